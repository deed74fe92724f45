"""`career-chat eval` output: a table of figures, the failures, and a progress bar."""

from __future__ import annotations

import textwrap

from knowledge.evaluation import Figures, Outcome, Report
from knowledge.inputs import one_line

from .render import Style, printable

_COLUMNS = [
    ("n", "count", "{}"),
    ("top-1", "top1", "{:.2f}"),
    ("top-3", "top3", "{:.2f}"),
    ("MRR", "mrr", "{:.2f}"),
    ("phrase", "contains", "{:.2f}"),
    ("refused", "refused", "{:.2f}"),
    ("near ok", "near_topic_handled", "{:.2f}"),
    ("wrongly refused", "wrongly_refused", "{:.2f}"),
    ("hedged", "hedged", "{:.2f}"),
    ("covered", "covered", "{:.2f}"),
    ("precision", "covered_precision", "{:.2f}"),
]


def _row(name: str, figures: Figures) -> list[str]:
    cells = [name]
    for _, field, fmt in _COLUMNS:
        value = getattr(figures, field)
        cells.append("-" if value is None else fmt.format(value))
    return cells


def _got(outcome: Outcome) -> str:
    """What a failed question got: the section and the outcome ("pay (covered)" is another
    failure than "pay (closest)"), what the answer said it lacks, and a phrase not quoted."""
    answer = outcome.answer
    if not answer.answered:
        return "refused"
    notes = [answer.coverage]
    if answer.missing:
        notes.append(f"missing: {', '.join(answer.missing)}")
    if outcome.question.in_scope and outcome.top1:
        notes.append("phrase not quoted")
    return f"{answer.section_id} ({'; '.join(notes)})"


def report_data(report: Report) -> dict:
    """The report as JSON data: its figures and, for each failed question, what it got (a
    CI that misses a floor can say which rows failed without running them again)."""
    data = report.model_dump(mode="json", exclude={"outcomes"})
    data["failures"] = [
        {
            "id": o.question.id,
            "question": o.question.question,
            "expected": o.question.expected or None,
            "got": o.answer.section_id if o.answer.answered else None,
            "coverage": o.answer.coverage,
            "rank": o.rank,
            "phrase_quoted": o.contains if o.question.answer_contains is not None else None,
        }
        for o in report.failures
    ]
    return data


def report_text(report: Report, style: Style | None = None) -> str:
    style = style or Style(False)
    rows = [["kind"] + [c[0] for c in _COLUMNS], _row("all", report.overall)]
    rows += [_row(one_line(kind), figures) for kind, figures in report.kinds.items()]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths))) for row in rows]
    lines[0] = style.bold(lines[0])
    legend = (
        "top-1/top-3/MRR: the expected section (or an alternative) ranked first / in the first three; "
        "phrase: the answer holds the expected phrase; refused: far off-topic questions refused; "
        "near ok: near-topic questions refused, or answered as partly covered or closest; "
        "wrongly refused: answerable questions refused; hedged: answerable questions answered "
        "as partly covered or closest; covered: questions answered as covered; precision: covered "
        "answers that stand on a right passage (how often \"Answered\" is true). Risk-coverage: "
        "were only the most confident answers given, as many as 50%, 70%, 90% of the questions, "
        "the share of them on a right passage (an answer to a question the article should not "
        "answer counts as wrong, a near-topic one marked closest too; - where fewer were given)."
    )
    curve = ", ".join(f"{'-' if v is None else f'{v:.2f}'} at {k}" for k, v in report.overall.precision_at.items())
    out = [
        "\n".join(lines),
        f"Risk-coverage: precision {curve} of questions answered, most confident first.",
        style.dim(textwrap.fill(legend, width=88)),
    ]
    failures = report.failures
    if failures:
        detail = []
        for o in failures:
            q = o.question
            expected = q.section or "refusal"
            # Every field of the question file on one line, with nothing that drives a terminal.
            detail.append(f"  {one_line(q.id)}: {printable(q.question)!r} expected {one_line(expected)}, got {one_line(_got(o))}")
        out.append(style.bold(f"Failures ({len(failures)} of {report.overall.count})") + "\n" + "\n".join(detail))
    else:
        count = report.overall.count
        out.append(f"No failures in {count} question{'' if count == 1 else 's'}.")
    return "\n\n".join(out)


def compare_text(semantic: Report, lexical: Report, style: Style | None = None) -> str:
    """report_text's figures per kind, with meaning and by words alone, side by side."""
    style = style or Style(False)

    def cell(value: float | None) -> str:
        return "-" if value is None else f"{value:.2f}"

    fields = [
        ("top-1", "top1"),
        ("top-3", "top3"),
        ("phrase", "contains"),
        ("refused", "refused"),
        ("near ok", "near_topic_handled"),
        ("wrongly refused", "wrongly_refused"),
        ("covered", "covered"),
        ("precision", "covered_precision"),
    ]
    header = ["kind", "n"] + [f"{name} m / w" for name, _ in fields]
    rows = [header]
    kinds = [("all", semantic.overall, lexical.overall)] + [(one_line(k), f, lexical.kinds.get(k)) for k, f in semantic.kinds.items()]
    for name, a, b in kinds:
        b = b or a
        rows.append([name, str(a.count)] + [f"{cell(getattr(a, f))} / {cell(getattr(b, f))}" for _, f in fields])
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))) for row in rows]
    lines[0] = style.bold(lines[0])
    note = (
        "m: words and meaning (BM25 with the sentence model); w: words alone (--lexical); the "
        "columns as without --compare (see eval's report). The --min-* floors are checked on m."
    )
    return "\n".join(lines) + "\n\n" + style.dim(textwrap.fill(note, width=88))
