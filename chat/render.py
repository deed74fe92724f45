"""Answers as plain text and Markdown: for the terminal, pipes and saved transcripts."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from knowledge import Answer, Section
from knowledge.inputs import one_line, safe_text

# Characters Markdown reads as formatting anywhere, and what starts a block at a line's
# start (a heading, a list, a quote); quoted article text must appear as written.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>~])")
_BLOCK_START = re.compile(r"^(\s*)([#+\-]|\d+(?=[.)]))", re.M)


def printable(text: str) -> str:
    """Text with control and bidi characters removed, so nothing typed or quoted can drive
    the terminal or reorder what a reader sees."""
    return safe_text(text)


def markdown_literal(text: str) -> str:
    """Text escaped so a Markdown renderer shows it exactly as written."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", printable(text))
    return _BLOCK_START.sub(lambda m: m.group(1) + ("\\" + m.group(2) if not m.group(2).isdigit() else m.group(2) + "\\"), escaped)


def source_line(answer: Answer, marker: int) -> str:
    citation = answer.citations[marker - 1]
    where = f"{source_name(citation.source)}:{citation.line}" if citation.source else f"line {citation.line}"
    return f"[{citation.marker}] {citation.label} — {where}"


def source_name(source: str) -> str:
    """An article file as citations name it: its file name, the same from any folder (never
    a path into the installed package)."""
    return one_line(Path(source).name)


def plain(answer: Answer, width: int = 88, style: "Style | None" = None) -> str:
    """The answer as a terminal shows it: quoted text, then what is missing, then sources."""
    style = style or Style(False)
    if not answer.answered:
        topics = "\n".join(f"  • {printable(t)}" for t in answer.topics)
        lines = [style.bold(printable(answer.message or "The article does not cover that."))]
        if answer.missing:
            lines.append(f"It does not mention: {printable(', '.join(answer.missing))}.")
        lines += ["", "It covers:", topics]
        return "\n".join(lines)
    if not answer.citations:
        return printable(answer.message)
    parts = [textwrap.fill(printable(answer.text), width=width)]
    if answer.missing:
        parts.append(style.warn(f"The article does not mention: {printable(', '.join(answer.missing))}."))
    sources = "\n".join(style.dim(printable(source_line(answer, c.marker))) for c in answer.citations)
    parts.append(style.bold("Sources") + "\n" + sources)
    return "\n\n".join(parts)


def markdown(answer: Answer, sources: bool = True) -> str:
    """The answer as Markdown with every quoted character shown literally.

    Without `sources`, the list of sources is left out (the app shows it as options).
    """
    if not answer.answered:
        topics = " · ".join(markdown_literal(t) for t in answer.topics)
        missing = f" It does not mention: {markdown_literal(', '.join(answer.missing))}." if answer.missing else ""
        return f"**{markdown_literal(answer.message)}**{missing}\n\nIt covers: {topics}."
    if not answer.citations:
        return markdown_literal(answer.message)
    body = " ".join(f"{markdown_literal(c.quote)} **\\[{c.marker}\\]**" for c in answer.citations)
    missing = f"\n\n*The article does not mention: {markdown_literal(', '.join(answer.missing))}.*" if answer.missing else ""
    if not sources:
        return f"{body}{missing}"
    listed = "\n".join(f"- {markdown_literal(source_line(answer, c.marker))}" for c in answer.citations)
    return f"{body}{missing}\n\n**Sources**\n\n{listed}"


def topic_label(section: Section) -> str:
    return f"{section.factor} {section.title}" if section.factor is not None else section.title


class Style:
    """ANSI styling, on only where it helps: a terminal, and NO_COLOR unset."""

    def __init__(self, enabled: bool):
        self.enabled = enabled

    def _wrap(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.enabled else text

    def bold(self, text: str) -> str:
        return self._wrap("1", text)

    def dim(self, text: str) -> str:
        return self._wrap("2", text)

    def warn(self, text: str) -> str:
        return self._wrap("33", text)
