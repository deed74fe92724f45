"""Answer quality of a folder: our own articles loaded together, each one's questions,
beside the same questions asked of each article alone.

Every other benchmark loads one article at a time. Here each article's questions are asked
of all of them at once, as `career-chat --article tests/data` answers them (an answerable
one's sections prefixed with the article, as a folder's ids are: the right article has to
be found too), and of the article alone, with the same shipped models: the rows side by
side show what loading the others beside it costs. Unanswerable rows count as they do
everywhere (`knowledge.evaluation.figures`): an out-of-scope one ("far") fails unless it is
refused, a near-topic one unless it is refused or hedged, whichever article answers it.
The everyday questions of tests/data/everyday.txt are asked of the folder and of each
article alone. A second table gives the answerable rows alone, as this benchmark measured
them before it counted the others; last, how many of the folder's covered answers counted
wrong quote another article to a question that names none (labels name one article).

    python benchmarks/folder.py [--lexical]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from quality import table  # noqa: E402
from question_sets import DATA, own_sets  # noqa: E402

from knowledge import KnowledgeBase  # noqa: E402
from knowledge.evaluation import (  # noqa: E402
    EvalQuestion,
    Outcome,
    evaluate,
    figures,
    read_questions,
)


def everyday() -> list[EvalQuestion]:
    """The everyday questions no career article answers, as unanswerable far rows."""
    lines = (DATA / "everyday.txt").read_text(encoding="utf-8").splitlines()
    questions = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return [EvalQuestion(id=f"everyday-{n}", question=q, section=None, kind="out-of-scope") for n, q in enumerate(questions, 1)]


def in_folder(question: EvalQuestion, slug: str) -> EvalQuestion:
    """The question as a folder's ids name its sections: `<article>/<section>`."""
    if question.section is None:
        return question
    update = {"section": f"{slug}/{question.section}", "alt_sections": [f"{slug}/{s}" for s in question.alt_sections]}
    return question.model_copy(update=update)


def elsewhere(folder: KnowledgeBase, outcomes: list[Outcome]) -> int:
    """Covered answers counted wrong that quote another article to an answerable question
    naming none ("do I need a degree?" asked in the nurse's set, the electrician's "No
    college degree is needed."): a passage of its own article may be right, unlabelled."""
    return sum(
        1
        for o in outcomes
        if o.question.in_scope
        and o.answer.answered
        and o.answer.coverage == "covered"
        and not o.right
        and o.answer.citations[0].article != o.question.section.split("/")[0]
        and folder.read(o.question.question, meaning=False).article is None
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lexical", action="store_true", help="words alone, without the sentence model")
    args = parser.parse_args()
    semantic = not args.lexical
    folder = KnowledgeBase.load(DATA, semantic=semantic, wait=True)
    common = everyday()
    outcomes: dict[str, list[Outcome]] = {}
    for article in sorted({qs.article for qs in own_sets()}):
        alone = KnowledgeBase.load(article, semantic=semantic, wait=True)
        for qs in (s for s in own_sets() if s.article == article):
            questions = [q for path in qs.questions for q in read_questions(path)]
            outcomes.setdefault(f"folder {qs.kind}", []).extend(evaluate([in_folder(q, article.stem) for q in questions], folder.ask).outcomes)
            outcomes.setdefault(f"alone {qs.kind}", []).extend(evaluate(questions, alone.ask).outcomes)
        outcomes.setdefault("alone everyday", []).extend(evaluate(common, alone.ask).outcomes)
    outcomes["folder everyday"] = evaluate(common, folder.ask).outcomes
    order = [f"{where} {kind}" for kind in ("dev", "real", "everyday") for where in ("folder", "alone")]
    print(table([(name, figures(outcomes[name])) for name in order]))
    print()
    answerable = [name for name in order if not name.endswith("everyday")]
    print(table([(f"{name}, answerable", figures([o for o in outcomes[name] if o.question.in_scope])) for name in answerable]))
    print()
    for name in (n for n in answerable if n.startswith("folder")):
        wrong = sum(1 for o in outcomes[name] if o.answer.answered and o.answer.coverage == "covered" and not o.right)
        print(f"{name}: {wrong} covered answers counted wrong, {elsewhere(folder, outcomes[name])} of them another article's to an answerable question naming none")


if __name__ == "__main__":
    main()
