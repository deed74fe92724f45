"""Answer quality on every labelled set, per set, per kind of question and per group.

Top-1, fact quoted, precision and share of covered, far and near handled, wrongly refused.

    python benchmarks/quality.py [--lexical] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from question_sets import held_out_sets, own_sets  # noqa: E402

from knowledge import KnowledgeBase  # noqa: E402
from knowledge.evaluation import evaluate, figures, read_questions  # noqa: E402

COLUMNS = [
    ("n", "count", "{}"),
    ("top-1", "top1", "{:.2f}"),
    ("fact", "contains", "{:.2f}"),
    ("prec cov", "covered_precision", "{:.2f}"),
    ("share cov", "covered", "{:.2f}"),
    ("far", "refused", "{:.2f}"),
    ("near", "near_topic_handled", "{:.2f}"),
    ("wr.refused", "wrongly_refused", "{:.2f}"),
]


def table(rows: list[tuple[str, object]]) -> str:
    lines = [["set"] + [c[0] for c in COLUMNS]]
    for name, fig in rows:
        cells = [name]
        for _, field, fmt in COLUMNS:
            value = getattr(fig, field)
            cells.append("-" if value is None else fmt.format(value))
        lines.append(cells)
    widths = [max(len(r[i]) for r in lines) for i in range(len(lines[0]))]
    return "\n".join("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lexical", action="store_true", help="words alone, without the sentence model")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures as JSON to FILE")
    args = parser.parse_args()
    rows, groups, kinds = [], {}, {}
    bases: dict[Path, KnowledgeBase] = {}
    for qs in own_sets() + held_out_sets():
        if qs.article not in bases:
            bases[qs.article] = KnowledgeBase.load(qs.article, semantic=not args.lexical)
        questions = [q for path in qs.questions for q in read_questions(path)]
        report = evaluate(questions, bases[qs.article].ask)
        rows.append((qs.name, report.overall))
        group = f"{'fitted' if qs.fitted else 'held out'} {qs.kind}"
        groups.setdefault(group, []).extend(report.outcomes)
        if qs.fitted and qs.kind == "real":
            for o in report.outcomes:
                kinds.setdefault(o.question.kind, []).append(o)
    summary = [(name, figures(outcomes)) for name, outcomes in sorted(groups.items())]
    by_kind = [(f"real: {k}", figures(v)) for k, v in sorted(kinds.items())]
    print(table(rows))
    print()
    print(table(summary + by_kind))
    for name, fig in summary:
        print(f"{name}: precision at " + ", ".join(f"{k} {'-' if v is None else f'{v:.2f}'}" for k, v in fig.precision_at.items()))
    if args.json:
        args.json.write_text(json.dumps({n: f.model_dump() for n, f in rows + summary + by_kind}, indent=1))


if __name__ == "__main__":
    main()
