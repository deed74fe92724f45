"""Answers as plain text and Markdown: for the terminal, pipes and saved transcripts."""

from __future__ import annotations

import os
import re
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from knowledge.inputs import one_line, safe_text, shown_name

if TYPE_CHECKING:
    from knowledge import Answer, Citation, Part, Section

# Characters Markdown reads as formatting anywhere ("&" opens an entity: "&lt;" would show
# "<"), and what starts a block at a line's start (a heading, a list, a quote); quoted
# article text must appear as written. Here and below, patterns only Markdown and JSON
# output use are texts, compiled (and kept, by `re`) when first used: a plain answer
# never does.
_MARKDOWN_SPECIAL = r"([\\`*_\[\]<>~&])"
_BLOCK_START = r"(?m)^(\s*)([#+\-]|\d+(?=[.)]))"


def printable(text: str) -> str:
    """Text with control and bidi characters removed, so nothing typed or quoted can drive
    the terminal or reorder what a reader sees."""
    return safe_text(text)


# Besides control and bidi characters: line and paragraph separators (a JavaScript string
# literal, or a log line, ends at them), zero-width characters and the byte-order mark
# (invisible, they hide or join words), and Unicode tags (invisible text some programs
# read, "ASCII smuggling"). None of them is JSON syntax, so removed from a serialised
# document they are removed from its strings and nothing else.
_JSON_UNWANTED = r"[\x7f-\x9f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\U000e0000-\U000e007f]"


def json_text(document: str) -> str:
    """A serialised JSON document (written with ensure_ascii off) with none of the
    characters above in any of its strings."""
    return re.sub(_JSON_UNWANTED, "", document)


def markdown_literal(text: str) -> str:
    """Text escaped so a Markdown renderer shows it exactly as written."""
    escaped = re.sub(_MARKDOWN_SPECIAL, r"\\\1", printable(text))
    return re.sub(_BLOCK_START, lambda m: m.group(1) + ("\\" + m.group(2) if not m.group(2).isdigit() else m.group(2) + "\\"), escaped)


# Files of a folder named one by one when they could not be read, at most; the rest counted.
SKIPPED_NAMED = 3


def skipped_lines(skipped: list[str]) -> list[str]:
    """What is said of a folder's files that could not be read (`KnowledgeBase.skipped`):
    the first few by name and why, the rest counted."""
    lines = [f"skipped {printable(message)}" for message in skipped[:SKIPPED_NAMED]]
    if len(skipped) > SKIPPED_NAMED:
        lines.append(f"and {len(skipped) - SKIPPED_NAMED} more files that could not be read")
    return lines


def is_reply(answer: Answer) -> bool:
    """A reply rather than an outcome: small talk, "That is all the article says on this.",
    "The article names no author.". Nothing was refused, so it is drawn neither red nor as
    "Not covered"; a refusal names what the article covers or lacks."""
    return bool(answer.suggestions) or (answer.coverage == "none" and not answer.topics and not answer.missing)


def _source_parts(answer: Answer, marker: int) -> tuple[str, str]:
    """A source as "[n] label" and where it is: a web article's link to the sentence on its
    page, else file:line."""
    citation = answer.citations[marker - 1]
    if citation.url:
        return f"[{citation.marker}] {citation.label}", one_line(citation.url)
    where = f"{source_name(citation.source)}:{citation.line}" if citation.source else f"line {citation.line}"
    return f"[{citation.marker}] {citation.label}", where


def _wrapped_source(answer: Answer, marker: int, width: int) -> str:
    """A source wrapped to `width`: the label may wrap, where it is never is (a link or a
    file name, spaces and all, stays whole, on its own line when it does not fit)."""
    label, where = (printable(part) for part in _source_parts(answer, marker))
    whole = f"{label} — {where}"
    if len(whole) <= width:
        return whole
    return textwrap.fill(f"{label} —", width=width, subsequent_indent="    ") + "\n    " + where


def path_lines(path: str | Path, width: int) -> list[str]:
    """A path said in lines of at most `width` cells, for a notice too narrow for it: the home
    folder as ~, the folders broken after a "/", never inside a name, the file name on a line
    of its own. A name longer than a line breaks after a "-", "_" or "." in it, and is cut at
    the width only where it has none."""
    from rich.cells import cell_len, chop_cells

    sep = os.sep
    shown = shown_name(os.path.abspath(path))  # undecodable bytes and controls made safe
    home = shown_name(os.path.expanduser("~")).rstrip(sep)
    if home not in ("~", "") and (shown == home or shown.startswith(home + sep)):
        shown = "~" + shown[len(home) :]
    folder, name = shown.rsplit(sep, 1) if sep in shown else ("", shown)

    def pieces(text: str, breaks: str) -> list[str]:
        out = []
        for piece in re.findall(rf"[^{breaks}]*[{breaks}]|[^{breaks}]+$", text):
            if cell_len(piece) > width and breaks != "-_.":
                out.extend(pieces(piece, "-_."))
            else:
                out.extend(chop_cells(piece, width) if cell_len(piece) > width else [piece])
        return out

    lines: list[str] = []
    folders = pieces(folder + sep, re.escape(sep)) if sep in shown else []
    for part in (folders, pieces(name, "-_.")):
        line = ""
        for piece in part:
            if line and cell_len(line + piece) > width:
                lines.append(line)
                line = ""
            line += piece
        if line:
            lines.append(line)
    return lines


def source_name(source: str) -> str:
    """An article file as citations name it: its file name, the same from any folder (never
    a path into the installed package); a web article by its address."""
    if source.lower().startswith(("http://", "https://")):
        return one_line(source)
    return one_line(Path(source).name)


# How each outcome opens, in every interface: plainly, and differently.
OUTCOME = {
    "covered": "Answered from the article.",
    "partial": "Partly answered.",
    "closest": "Closest passage only.",
    "none": "The article does not cover that.",
}


def headline(answer: Answer) -> str:
    """The first line: the outcome, then what the engine has to say about it."""
    if answer.suggestions:  # small talk: no outcome to report
        return printable(answer.message)
    if answer.coverage == "none":
        return printable(answer.message or "The article does not cover that.")
    return printable(f"{OUTCOME[answer.coverage]} {answer.message}".strip())


def answered_parts(answer: Answer) -> list[tuple[str | None, list[Citation]]]:
    """The quoted sentences grouped by the question of a message they answer, each group
    under that question (so "yes" reads as the answer to "is it a real job?", not to the
    pay question before it) and its own outcome where it is not "covered" (a part only
    the closest passage answers is said so where it stands); one group without a heading
    for a single question."""
    if len(answer.parts) < 2:
        return [(None, answer.citations)]
    groups: dict[int, list[Citation]] = {}
    for citation in answer.citations:
        groups.setdefault(citation.part or 0, []).append(citation)
    return [(part_heading(answer.parts[n]) if n < len(answer.parts) else None, cited) for n, cited in sorted(groups.items())]


def part_heading(part: Part) -> str:
    """A part's question as its answer's heading: “What does it pay?”, and its outcome
    when hedged ("— Closest passage only.")."""
    asked = f"\u201c{one_line(part.question)}\u201d"
    return asked if part.coverage == "covered" else f"{asked} \u2014 {OUTCOME[part.coverage]}"


def plain(answer: Answer, width: int = 88, style: "Style | None" = None, nearest: list[str] | None = None) -> str:
    """The answer as a terminal shows it: the outcome, the quoted text, then the sources.
    With `nearest`, a refusal names those topics, not every one."""
    style = style or Style(False)
    said = textwrap.fill(headline(answer), width=width)
    first = style.warn(said) if answer.coverage in ("partial", "closest") else style.bold(said)
    if answer.suggestions:
        return "\n".join([first, *(f"  • {printable(q)}" for q in answer.suggestions)])
    if not answer.answered:
        if not answer.topics:  # a passage said in full: nothing to list
            return first
        if not nearest:  # one topic a line: a label may hold " · " ("Factor 1 · Pay")
            return "\n".join([first, "", "It covers:", *(f"  \u2022 {printable(t)}" for t in answer.topics)])
        intro = f"It covers {len(answer.topics)} topics (`topics` lists them all), among them: "
        return "\n".join([first, "", textwrap.fill(intro + "; ".join(printable(t) for t in nearest), width=width)])
    if not answer.citations:
        return first
    parts = [first]
    for question, cited in answered_parts(answer):
        if question is None:
            parts.append(textwrap.fill(printable(answer.text), width=width))
            continue
        said = textwrap.fill(" ".join(f"{printable(c.quote)} [{c.marker}]" for c in cited), width=width)
        asked = textwrap.shorten(question, width)
        parts.append(f"{style.bold(asked)}\n{said}")
    sources = "\n".join(style.dim(_wrapped_source(answer, c.marker, width)) for c in answer.citations)
    parts.append(style.bold("Sources") + "\n" + sources)
    return "\n\n".join(parts)


def markdown(answer: Answer, sources: bool = True, nearest: list[str] | None = None) -> str:
    """The answer as Markdown with every quoted character shown literally.

    Without `sources`, the list of sources is left out (the app shows it as options). With
    `nearest`, a refusal names those topics only, and where to find the rest (the app).
    """
    first = f"**{markdown_literal(headline(answer))}**"
    if answer.suggestions:
        return first + "\n\n" + "\n".join(f"- {markdown_literal(q)}" for q in answer.suggestions)
    if not answer.answered:
        if not answer.topics:
            return first
        if nearest:
            named = "; ".join(markdown_literal(t) for t in nearest)
            return f"{first}\n\nNearest topics: {named} (the topics list, ctrl+b, has all {len(answer.topics)})"
        topics = "\n".join(f"- {markdown_literal(t)}" for t in answer.topics)
        return f"{first}\n\nIt covers:\n\n{topics}"
    if not answer.citations:
        return first
    body = "\n\n".join(
        (f"*{markdown_literal(question)}*\n\n" if question else "")
        + " ".join(f"{markdown_literal(c.quote)} **\\[{c.marker}\\]**" for c in cited)
        for question, cited in answered_parts(answer)
    )
    if not sources:
        return f"{first}\n\n{body}"
    listed = "\n".join(f"- {_markdown_source(answer, c.marker)}" for c in answer.citations)
    return f"{first}\n\n{body}\n\n**Sources**\n\n{listed}"


# A web address as a Markdown autolink takes: no space, control or angle bracket in it.
_AUTOLINK = r"https?://[^\s<>\x00-\x1f\x7f]+"


def _markdown_source(answer: Answer, marker: int) -> str:
    """A source in Markdown: its label escaped; a web article's link to the sentence as an
    autolink, which every viewer reads whole (escaped, a viewer that links bare addresses
    kept the backslashes in "#:\\~:text=" and broke the link); a file:line escaped."""
    label, where = _source_parts(answer, marker)
    linked = answer.citations[marker - 1].url and re.fullmatch(_AUTOLINK, where)
    return f"{markdown_literal(label)} — {f'<{where}>' if linked else markdown_literal(where)}"


def topic_label(section: Section) -> str:
    return f"{section.factor} {section.title}" if section.factor is not None else section.title


def nearest_topics(
    answer: Answer, section: Callable[[str], Section], label: Callable[[Section], str] = topic_label, count: int = 3
) -> list[str]:
    """A refusal's few nearest topics (`section` finds one by id, `label` names it), to name
    instead of all; the first topics when nothing came near (every score 0, by words)."""
    near = [r for r in answer.ranking[:count] if r.score > 0]
    return [label(section(r.section_id)) for r in near] or answer.topics[:count]


def no_color() -> bool:
    """Whether NO_COLOR asks for no colour: set and not empty (no-color.org; Rich reads it
    so). An empty one, as `NO_COLOR=` in a .env file leaves it, asks for nothing."""
    import os

    return bool(os.environ.get("NO_COLOR"))


class Style:
    """ANSI styling, on only where it helps: a terminal, and no `no_color()`."""

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
