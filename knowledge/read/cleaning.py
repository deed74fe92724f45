"""Turn a scraped markdown page into plain prose, line for line.

Every rule here is about how pages are scraped (ad HTML, widgets, link lists, template
tags), never about one article's sentences. Removed text becomes blank lines, so each
surviving line keeps its line number in the source file and citations can point at it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..inputs import NOTE_MARK, unescaped, visible_text

# Elements whose start tag begins a line are page furniture (ads, widgets, pull quotes,
# "also read" lists): removed with everything inside them.
_VOID_TAGS = {"img", "br", "hr", "input", "meta", "link", "source", "embed", "wbr", "col", "area"}
# ...except plain text formatting, where only the tags go.
_TEXT_TAGS = {"p", "strong", "em", "b", "i", "u", "mark", "small", "sup", "sub", "code", "abbr"}

_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
# An HTML heading on a line of its own ("<h2>Pay</h2>", as pages scraped to markdown keep
# them): the markdown heading it is, before HTML elements go with their content.
_HTML_HEADING = re.compile(r"^[ \t]*<h([1-6])\b[^>\n]*>([^\n]*?)</h\1\s*>[ \t]*$", re.I | re.M)
_FENCE = re.compile(r"^[ \t]*(```|~~~).*?^[ \t]*\1[^\n]*$", re.S | re.M)
_BLOCK_START = re.compile(r"^[ \t]*<([A-Za-z][A-Za-z0-9-]*)\b", re.M)
_ANY_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
# Every start and end tag, for balancing them all in one pass (`_closes`).
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^<>]*>")
# An image tag's alt text, read inside one template tag (`_template_tags`): tried on the
# whole text, an unclosed "{% img" with many "alt:" after it was tried from each (49 s).
_LIQUID_IMG = re.compile(r"""\{%-?\s*img\b[^%]*?alt:\s*["']([^"']*)["']""")
# A template tag's opening and its close ("{% include x %}", "{{ page.title }}").
_LIQUID = {"{%": "%}", "{{": "}}"}
_KRAMDOWN_ATTR = re.compile(r"\{:[^{}\n]*\}")
# The text of a link or an image holds no bracket and its address no parenthesis but a
# balanced pair: so each "[" or "(" is read up to the next one at most, and a line of
# thousands of "[" is read once, not once from each (50 KB of them took 29 s).
_IMAGE = re.compile(r"!\[([^\[\]]*)\]\((?:[^()]|\([^()]*\))*\)")
_LINK = re.compile(r"\[([^\[\]]+)\]\((?:[^()]|\([^()]*\))*\)|\[([^\[\]]+)\]\[[^\[\]]*\]")
_AUTOLINK = re.compile(r"<(https?://[^<>\s]+)>")
# A link whose text a hard-wrapped file breaks over two lines: the line-by-line rules below
# cannot see it whole. Replaced by its text, the line break kept where it was.
_WRAPPED_LINK = re.compile(r"(?<!!)\[([^\[\]\n]+\n[^\[\]\n]+)\]\((?:[^()\n]|\([^()\n]*\))*\)")
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$")
_LIST_MARK = re.compile(r"^(\s*)(?:[-*+]|\d{1,3}[.)])\s+")
_ONLY_LINK_ITEM = re.compile(r"^\s*(?:(?:[-*+]|\d{1,3}[.)])\s+)?(?:\*\*|__)?\[[^\]]+\]\([^)]*\)(?:\*\*|__)?\s*$")
_NOTE_MARK = re.compile(NOTE_MARK)
_BOLD = re.compile(r"(\*\*|__)(?=\S)((?:(?!\1).)+?)(?<=\S)\1")  # no mark inside: read to the next at most
_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])|(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!$|>~<\"'])")
_TICKS = re.compile(r"`+")
# Literal text (a code span's, an escaped mark) is held aside as a mark no rule reads, and
# put back once the rules are done: `<div>` or \*about\* is quoted as a reader sees it, not
# as a tag removed or emphasis taken off. The marks are noncharacters, taken out of the
# text first, so an article cannot write one.
_HELD = re.compile("\ufdd0([\ufde0-\ufde9]+)\ufdd1")
_NONCHARACTERS = re.compile("[\ufdd0-\ufdef]")
_RULE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
_BLOCKQUOTE = re.compile(r"^\s{0,3}(?:>\s?)+")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
# Short labels that pages put above link lists and ad slots.
_WIDGET_LABEL = re.compile(
    r"^\s*(also read|read more|read next|related( posts| articles)?|see also|sponsored|"
    r"advertisement|recommended( for you)?|you may also like|more from \w+|"
    r"(table of )?contents|in this (article|post|guide)|on this page|jump to|"
    r"(key )?takeaways|tl;? ?dr|at a glance|(in )?summary)\s*:?\s*$",
    re.I,
)
# Page furniture that reads like a line of text: a share bar ("Share on Facebook | Email"),
# a reading time ("Updated March 2026 · 9 min read"), a newsletter plea.
_WIDGET_LINE = re.compile(
    r"^\s*(share (this|on|via)\b.{0,80}|(\S+\s+){0,6}\d+[ -]min(ute)?s?\s+read\b.{0,30}|"
    r"(subscribe|sign up|join)\b.{0,40}\bnewsletter\b.{0,60})\s*$",
    re.I,
)
# A short line wholly in bold, standing alone above a list or a paragraph ("**Pros**",
# "**Cons**"), or a question wholly in bold ("**Is it stressful?**", an FAQ's way): a
# heading, one level below the heading it stands under.
_BOLD_LABEL = re.compile(r"^\s{0,3}(?:\*\*|__)([^*_.!?:]+)(?:\*\*|__)\s*$")
_BOLD_QUESTION = re.compile(r"^\s{0,3}(?:\*\*|__)([^*_]+\?)(?:\*\*|__)\s*$")
_LABEL_WORDS = 5
_QUESTION_WORDS = 20
# An FAQ written "Q: ...?" and "A: ...": the question heads its answer, which loses its "A:".
_Q_LINE = re.compile(r"^\s{0,3}(?:\*\*|__)?(?:Q|Question)\s*[:.](?:\*\*|__)?\s+(?:\*\*|__)?([^*_\n]+\?)(?:\*\*|__)?\s*$")
_A_MARK = re.compile(r"^(\s{0,3})(?:\*\*|__)?(?:A|Answer)\s*[:.](?:\*\*|__)?\s+")
# A markdown table: its rule row ("| --- | :-: |") goes; every other row becomes a list
# item of its cells ("California | $84,000"), so each row is quoted on its own, not the
# whole table as one run-on sentence. Each run of spaces is read by one \s* alone: two side
# by side ("^\s*\|?(\s*...") tried every split of a line's indent, and 100 KB of spaces took
# minutes.
_TABLE_RULE = re.compile(r"^\s*(?:\|\s*)?(?::?-{3,}:?\s*\|\s*)+(?::?-{3,}:?\s*)?$")
_TABLE_ROW = re.compile(r"^\s*\|(.*\|)\s*$")
# A setext heading's underline: the short line of text above it is the heading.
_UNDERLINE = re.compile(r"^ {0,3}(={3,}|-{3,})[ \t]*$")
_SETEXT_WORDS = 15


@dataclass
class Cleaned:
    """Clean prose with the same line count as the input, and the images' alt texts."""

    text: str
    captions: list[tuple[int, str]] = field(default_factory=list)  # (0-based line, alt)
    # The first heading the page wrote itself (not one made of a bold label): its title
    # when its frontmatter names none.
    heading: str | None = None


def _blank(text: str) -> str:
    return "\n" * text.count("\n")


class _Held:
    """Literal text held aside while the rules run (see `_HELD`), and put back after."""

    def __init__(self) -> None:
        self._texts: list[str] = []
        self._numbers: dict[str, int] = {}

    def mark(self, text: str) -> str:
        number = self._numbers.setdefault(text, len(self._texts))
        if number == len(self._texts):
            self._texts.append(text)
        return "\ufdd0" + "".join(chr(0xFDE0 + int(d)) for d in str(number)) + "\ufdd1"

    def back(self, text: str) -> str:
        if "\ufdd0" not in text:
            return text
        return _HELD.sub(lambda m: self._texts[int("".join(str(ord(c) - 0xFDE0) for c in m.group(1)))], text)

    def hold(self, line: str) -> str:
        """The line with its code spans' text and its escaped marks held: a code span is
        its text alone (its backticks and one space each side go, as a reader sees it), an
        escaped mark the mark. A code span ends at the next run of as many backticks; a run
        with none, or after a backslash, is backticks as written."""
        if "`" not in line:
            return self._escapes(line) if "\\" in line else line
        runs = [m.span() for m in _TICKS.finditer(line)]
        closer: list[int | None] = [None] * len(runs)
        after: dict[int, int] = {}  # run length -> the next run of that length, read from the end
        for i in range(len(runs) - 1, -1, -1):
            length = runs[i][1] - runs[i][0]
            closer[i], after[length] = after.get(length), i
        out: list[str] = []
        pos = i = 0
        while i < len(runs):
            start, end = runs[i]
            before = line[pos:start]
            escaped = (len(before) - len(before.rstrip("\\"))) % 2 == 1
            out.append(self._escapes(before[:-1] if escaped else before))
            j = None if escaped else closer[i]
            if j is None:
                out.append(self.mark(line[start:end]))
                pos, i = end, i + 1
                continue
            code = line[end : runs[j][0]]
            if len(code) > 2 and code[0] == code[-1] == " " and code.strip():
                code = code[1:-1]
            out.append(self.mark(code))
            pos, i = runs[j][1], j + 1
        out.append(self._escapes(line[pos:]))
        return "".join(out)

    def _escapes(self, text: str) -> str:
        """Each escaped mark in `text` held as the mark."""
        return _ESCAPE.sub(lambda m: self.mark(m.group(1)), text)


def _template_tags(text: str) -> Iterator[tuple[int, int]]:
    """Where each template tag ("{% ... %}", "{{ ... }}", the shortest from its opening)
    starts and ends, in order. Found in one pass: a pattern tried from each opening of a
    text with none closed ("{{" forty thousand times) read the rest of the text from every
    one (43 s for 80 KB). An opening with no close after it means none later has one."""
    found = {opening: text.find(opening) for opening in _LIQUID}
    while True:
        open_at = [(at, opening) for opening, at in found.items() if at != -1]
        if not open_at:
            return
        start, opening = min(open_at)
        end = text.find(_LIQUID[opening], start + 2)
        if end == -1:
            found[opening] = -1
            continue
        end += 2
        yield start, end
        for other in found:
            if found[other] != -1 and found[other] < end:
                found[other] = text.find(other, end)


def _without_template_tags(text: str, captions: list[tuple[int, str]]) -> str:
    """The text with each template tag blanked; an image tag's alt text, with its line,
    added to `captions` (lines counted as the tags come, not from the start for each)."""
    out: list[str] = []
    pos = line = 0
    for start, end in _template_tags(text):
        line += text.count("\n", pos, start)
        tag = text[start:end]
        if image := _LIQUID_IMG.match(tag):
            captions.append((line, image.group(1).strip()))
        out += [text[pos:start], _blank(tag)]
        line += tag.count("\n")
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _closes(text: str) -> dict[int, int]:
    """For each start tag (by where it ends), where the end tag that balances it ends:
    every tag name in one pass (balancing from each start tag in turn read the rest of
    the text again for each one left open: 14 s for 140 KB of "<div>")."""
    balanced: dict[int, int] = {}
    open_tags: dict[str, list[int]] = {}
    for m in _TAG.finditer(text):
        if m.group(0).endswith("/>"):
            continue
        name = m.group(2).lower()
        if not m.group(1):
            open_tags.setdefault(name, []).append(m.end())
        elif open_tags.get(name):
            balanced[open_tags[name].pop()] = m.end()
    return balanced


def _remove_html_blocks(text: str) -> str:
    """Drop each element that starts a line, with its content; strip other tags."""
    out: list[str] = []
    pos = 0
    closes: dict[int, int] | None = None  # made at the first element dropped
    while True:
        match = _BLOCK_START.search(text, pos)
        if match is None:
            out.append(text[pos:])
            break
        tag = match.group(1).lower()
        start = match.start(1) - 1
        out.append(text[pos:start])
        open_end = text.find(">", start)
        if open_end == -1:
            out.append(_blank(text[start:]))
            break
        open_tag = text[start : open_end + 1]
        if tag in _TEXT_TAGS:
            pos = open_end + 1
            continue
        if tag in _VOID_TAGS or open_tag.endswith("/>"):
            out.append(_blank(open_tag))
            pos = open_end + 1
            continue
        if closes is None:
            closes = _closes(text)
        end = closes.get(open_end + 1) or _paragraph_end(text, open_end + 1)
        out.append(_blank(text[start:end]))
        pos = end
    return _ANY_TAG.sub("", "".join(out))


_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _paragraph_end(text: str, pos: int) -> int:
    """Where the paragraph `pos` is in ends: an element never closed ends there."""
    blank_line = _BLANK_LINE.search(text, pos)
    return blank_line.start() + 1 if blank_line else len(text)


def _strip_emphasis(line: str) -> str:
    # Each rule only where its mark is: most lines have none (cleaning is redone to prove
    # every cached article, so its time counts twice).
    if "*" in line or "_" in line:
        line = _BOLD.sub(r"\2", line)
        line = _ITALIC.sub(lambda m: m.group(1) or m.group(2), line)
    return line


_ASCII_LOWER = re.compile("[a-z]")


def _is_shouting(line: str) -> bool:
    """A line in capitals with no sentence in it: "SCROLL TO CONTINUE", "VIDEO OF THE DAY"."""
    if _ASCII_LOWER.search(line):  # a lowercase letter: the common case, decided at once
        return False
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 4 and not any(c.islower() for c in letters) and len(line.split()) >= 2


def _clean_line(line: str, captions: list[tuple[int, str]], number: int) -> str:
    if _HEADING.match(line):
        line = _LINK.sub(lambda m: m.group(1) or m.group(2), line)
        return unescaped(_strip_emphasis(line))
    if _RULE.match(line) or _REF_DEF.match(line) or _ONLY_LINK_ITEM.match(line):
        return ""
    if "[" in line:  # images, links and note marks all start with one
        for alt in _IMAGE.findall(line):
            if alt.strip():
                captions.append((number, alt.strip()))
        line = _IMAGE.sub("", line)
        line = _LINK.sub(lambda m: m.group(1) or m.group(2), line)
        line = _NOTE_MARK.sub("", line)
    if ">" in line:
        line = _BLOCKQUOTE.sub("", line)
    line = _strip_emphasis(line)
    line = unescaped(line)  # "&amp;", "&#8217;": what a browser shows
    stripped = line.strip()
    if _is_shouting(_LIST_MARK.sub("", stripped)) or _WIDGET_LABEL.match(stripped) or _WIDGET_LINE.match(stripped):
        return ""
    return line.rstrip()


def _table_rows(lines: list[str]) -> None:
    """Each table row a list item of its cells; the rule row and empty rows blanked."""
    for i, line in enumerate(lines):
        if _TABLE_RULE.match(line):
            lines[i] = ""
        elif row := _TABLE_ROW.match(line):
            cells = [cell.strip() for cell in row.group(1).split("|")]
            lines[i] = "- " + " | ".join(cell for cell in cells if cell) if any(cells) else ""


def _setext_headings(lines: list[str]) -> None:
    """Make each setext heading ("Salary" over a line of "---" or "===") a "#" one: the
    underline is blanked, so no line moves. Only a short line standing alone above it
    counts; a "---" under a paragraph is a rule."""
    for i in range(1, len(lines)):
        underline = _UNDERLINE.match(lines[i])
        above = lines[i - 1]
        if not underline or not above.strip() or (i > 1 and lines[i - 2].strip()):
            continue
        if _HEADING.match(above) or _LIST_MARK.match(above) or above.lstrip()[:1] in ("<", "|", ">"):
            continue
        if len(above.split()) <= _SETEXT_WORDS:
            lines[i - 1] = ("# " if underline.group(1)[0] == "=" else "## ") + above.strip()
            lines[i] = ""


def _label_headings(lines: list[str]) -> set[int]:
    """Make each bold label standing alone above a list or paragraph, and each bold or
    "Q:" question, a heading one level down: a list's items are quoted under their label's
    name ("Cons"), an FAQ's answer under its question, and neither the label nor the
    question is quoted as if it answered anything."""

    made: set[int] = set()
    level = 1
    for i, line in enumerate(lines):
        if above := _HEADING.match(line):
            level = above.group(0).count("#")
            continue
        question = _BOLD_QUESTION.match(line) or _Q_LINE.match(line)
        label = _BOLD_LABEL.match(line)
        if not question and not label:
            continue
        after = next((j for j in range(i + 1, len(lines)) if lines[j].strip()), None)
        following = lines[after] if after is not None else ""
        if not following or _HEADING.match(following):
            continue
        if question and len(question.group(1).split()) <= _QUESTION_WORDS:
            lines[i] = _heading_below(level, question.group(1))
            lines[after] = _A_MARK.sub(r"\1", following)
            made.add(i)
            continue
        if not label or len(label.group(1).split()) > _LABEL_WORDS or _is_shouting(label.group(1)):
            continue  # "**SCROLL TO CONTINUE**" is page furniture, dropped below
        if _WIDGET_LABEL.match(label.group(1)):
            continue  # "**Table of contents**", dropped below with its items
        if _LIST_MARK.match(following) or i == 0 or not lines[i - 1].strip():
            lines[i] = _heading_below(level, label.group(1))
            made.add(i)
    return made


def _heading_below(level: int, text: str) -> str:
    return "#" * min(level + 1, 6) + " " + text.strip()


def _paragraphs(lines: list[str]) -> list[list[int]]:
    """Indexes of the lines of each paragraph (runs of non-blank, non-heading lines)."""
    groups: list[list[int]] = []
    current: list[int] = []
    for i, line in enumerate(lines):
        if not line.strip() or _HEADING.match(line):
            if current:
                groups.append(current)
            current = []
        else:
            current.append(i)
    if current:
        groups.append(current)
    return groups


def _drop_repeats(lines: list[str]) -> None:
    """Blank a paragraph that repeats an earlier one word for word (scrapers double them)."""
    seen: set[str] = set()
    for group in _paragraphs(lines):
        key = " ".join(" ".join(lines[i] for i in group).lower().split())
        if len(key.split()) < 6:
            continue
        if key in seen:
            for i in group:
                lines[i] = ""
        seen.add(key)


def _key(line: str) -> str:
    """A line's words, lowercased, without its list mark or heading marks."""
    return " ".join(re.findall(r"\w+", _LIST_MARK.sub("", line.lstrip(" #")).lower()))


def _drop_contents(lines: list[str]) -> None:
    """Blank each line that only repeats one of the article's headings: a table of contents
    (whose items, quoted, read "Career Growth. Pros and Cons.") or a "jump to" list."""
    headings = {_key(line) for line in lines if _HEADING.match(line)}
    headings.discard("")
    for i, line in enumerate(lines):
        if line.strip() and not _HEADING.match(line) and _key(line) in headings:
            lines[i] = ""


def clean(text: str) -> Cleaned:
    """Clean a markdown body; line i of the result is what is left of line i of `text`."""
    text = visible_text(text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _NONCHARACTERS.sub("", text)
    text = _FENCE.sub(lambda m: _blank(m.group(0)), text)
    text = _COMMENT.sub(lambda m: _blank(m.group(0)), text)
    captions: list[tuple[int, str]] = []
    text = _without_template_tags(text, captions)
    text = _KRAMDOWN_ATTR.sub("", text)
    text = _AUTOLINK.sub(r"\1", text)
    held = _Held()
    if "`" in text or "\\" in text:
        text = "\n".join(held.hold(line) for line in text.split("\n"))
    text = _WRAPPED_LINK.sub(r"\1", text)
    text = _HTML_HEADING.sub(lambda m: "#" * int(m.group(1)) + " " + _ANY_TAG.sub("", m.group(2)).strip(), text)
    text = _remove_html_blocks(text)
    raw = text.split("\n")
    _table_rows(raw)
    _setext_headings(raw)
    made = _label_headings(raw)
    lines = [_clean_line(line, captions, n) for n, line in enumerate(raw)]
    _drop_repeats(lines)
    _drop_contents(lines)
    lines = [held.back(line) for line in lines]
    captions = [(n, held.back(alt)) for n, alt in captions]
    return Cleaned("\n".join(lines), sorted(c for c in captions if c[1]), _title_heading(lines, made))


def _title_heading(lines: list[str], made: set[int]) -> str | None:
    """The first heading the page wrote itself, as its title: a "#" one anywhere, a lower
    one only where no prose comes before it. After an opening paragraph, "## Pay" names a
    section, not the article (the opening and the section were both listed as "Pay")."""
    prose = False
    for i, line in enumerate(lines):
        if i in made or not _HEADING.match(line):
            prose = prose or bool(line.strip())
            continue
        text = line.strip().strip("#").strip()
        if text:
            return text if line.lstrip().startswith("# ") or not prose else None
    return None
