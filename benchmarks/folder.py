"""Answer quality of a folder: our nineteen articles loaded together, each one's questions.

Every other benchmark loads one article at a time. Here the in-scope questions of each
article (its sections prefixed with the article, as a folder's ids are) are asked of all
nineteen at once, as `career-chat --article tests/data` answers them: the right article
has to be found too. Out-of-scope rows are left out (another article may answer them).

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
from knowledge.evaluation import evaluate, read_questions  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lexical", action="store_true", help="words alone, without the sentence model")
    args = parser.parse_args()
    kb = KnowledgeBase.load(DATA, semantic=not args.lexical, wait=True)
    kinds: dict[str, list] = {}
    for qs in own_sets():
        slug = qs.article.stem
        for path in qs.questions:
            for q in read_questions(path):
                if q.section is not None:
                    update = {"section": f"{slug}/{q.section}", "alt_sections": [f"{slug}/{s}" for s in q.alt_sections]}
                    kinds.setdefault(qs.kind, []).append(q.model_copy(update=update))
    print(table([(f"folder {kind}", evaluate(questions, kb.ask).overall) for kind, questions in sorted(kinds.items())]))


if __name__ == "__main__":
    main()
