"""Answer quality on our own articles, each answered by models fitted without it.

The re-ranker and the coverage model are fitted on these articles (scripts/fit.py), so
benchmarks/quality.py's figures for them are in-sample. Here each article is answered by a
re-ranker fitted on the other articles and a coverage decision (models and thresholds)
fitted and chosen on the other articles alone: what an article the models never saw gets.

    python benchmarks/held_out.py [--lexical]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import fit  # noqa: E402
from quality import table  # noqa: E402
from question_sets import own_sets  # noqa: E402

from knowledge.answer.calibration import (  # noqa: E402
    MEANING_SIGNALS,
    SIGNALS,
    CoverageModel,
    Decision,
)
from knowledge.evaluation import evaluate, figures, read_questions  # noqa: E402


def decision_without(rows: list[fit.Row], article: str, names: tuple[str, ...]) -> Decision:
    """The coverage decision fitted, and its thresholds chosen, on the other articles."""
    rest = [r for r in rows if r.article != article]
    return fit.decision(rest, names, fit.out_of_fold(rest, names), fit.out_of_fold(rest, names, "far"))


def write_outcomes(path: Path, outcomes: list) -> None:
    """One line a question: what was asked and expected, what was ranked and decided."""
    with path.open("w", encoding="utf-8") as out:
        for name, o in outcomes:
            q, a = o.question, o.answer
            row = {
                "set": name,
                "id": q.id,
                "kind": q.kind,
                "question": q.question,
                "expected": [q.section, *q.alt_sections] if q.section else [],
                "got": [s.section_id for s in a.ranking[:3]],
                "coverage": a.coverage,
                "confidence": a.confidence,
                "top1": o.top1,
                "contains": o.contains,
                "passed": o.passed,
            }
            out.write(json.dumps(row) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lexical", action="store_true", help="words alone, without the sentence model")
    parser.add_argument("--outcomes", type=Path, help="write each question's outcome here (JSON lines), to study the misses")
    args = parser.parse_args()
    semantic = not args.lexical
    names = SIGNALS if semantic else tuple(n for n in SIGNALS if n not in MEANING_SIGNALS)
    bases = fit._bases(semantic)
    _, folds, _ = fit.rankers(bases, semantic)
    rows = fit.collect_answers(bases, folds)  # each base keeps its article's fold re-ranker
    results, groups, kinds, outcomes = [], {}, {}, []
    for article in sorted(folds):
        kb = bases[article]
        decision = decision_without(rows, article, names)
        kb._coverage = CoverageModel(meaning=decision, words=decision)
        for qs in (s for s in own_sets() if s.group == article):
            report = evaluate([q for p in qs.questions for q in read_questions(p)], kb.ask)
            results.append((qs.name, report.overall))
            outcomes.extend((qs.name, o) for o in report.outcomes)
            groups.setdefault(qs.kind, []).extend(report.outcomes)
            if qs.kind == "real":
                for o in report.outcomes:
                    kinds.setdefault(o.question.kind, []).append(o)
    if args.outcomes:
        write_outcomes(args.outcomes, outcomes)
    print(table(results))
    print()
    summary = [(f"all {k}", figures(v)) for k, v in sorted(groups.items())]
    print(table(summary + [(f"real: {k}", figures(v)) for k, v in sorted(kinds.items())]))
    for name, fig in summary:
        points = ", ".join(f"{k} {'-' if v is None else f'{v:.2f}'}" for k, v in fig.precision_at.items())
        print(f"{name}: precision at {points}")


if __name__ == "__main__":
    main()
