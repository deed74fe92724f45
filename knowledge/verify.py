"""Check a parsed article against the text it claims to come from.

A cache entry is a file anyone can edit: before one is used, every heading, paragraph and
frontmatter line it would show must stand in the article, word for word (frontmatter lines
at the line they name), and every sentence it would quote must be a piece of its section's
paragraphs, citing a line of that section. The check reads the article's words once (no
cleaning, no sentence splitting) and every quote's words in one pass, so it costs a
fraction of parsing.
"""

from __future__ import annotations

import re

from .inputs import NOTE_MARK, safe_text, unescaped
from .models import ArticleInfo, Section

# Markup whose words never reach a sentence: link targets, HTML tags and comments, and
# footnote marks stuck to a word.
_HIDDEN = re.compile(r"\]\([^)\n]*\)|<!--.*?-->|<[^<>\n]*>|" + NOTE_MARK, re.S)
_RECORD = b"\x01"  # between quotes checked together: a control character, never in a faithful quote
# Every ASCII character but letters, digits, line breaks and the record mark becomes a space:
# a quote and the article meet on their words, whatever markup or spacing stood between.
# Bytes beyond ASCII stay as they are (letters and typographic marks alike, on both sides).
_KEPT = set(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\n\x01")
_GAPS = bytes.maketrans(bytes(c for c in range(128) if c not in _KEPT), b" " * (128 - len(_KEPT)))


class _Words:
    """The article's words in order, as one byte string (words joined by spaces): a quote is
    checked with one substring search. Where a line starts in it is counted only for the
    few quotes that name their line (frontmatter lines, at the top)."""

    def __init__(self, text: str):
        # Entities read as cleaning reads them, after the markup they might spell is hidden.
        text = unescaped(_HIDDEN.sub(lambda m: " " + "\n" * m.group(0).count("\n"), safe_text(text)))
        self._lines = text.encode("utf-8", "replace").translate(_GAPS)
        self.joined = b" " + b" ".join(self._lines.split()) + b" "
        self.line_count = self._lines.count(b"\n") + 1

    def _start(self, line: int) -> int:
        """Offset in `joined` of the space before `line`'s first word."""
        at = -1
        for _ in range(line - 1):
            at = self._lines.find(b"\n", at + 1)
        words = self._lines[: at + 1].split()
        return sum(map(len, words)) + len(words)

    def holds(self, needle: bytes, line: int | None = None) -> bool:
        """Whether a quote's words (see `_needles`) stand in a row in the article, starting
        on `line` if given."""
        if needle == b" ":
            return True  # no words: nothing to check
        if line is None:
            return needle in self.joined
        if not 1 <= line <= self.line_count:
            return False
        begin = self._start(line)
        end = self._start(line + 1) if line < self.line_count else len(self.joined)
        at = self.joined.find(needle, begin)
        return 0 <= at < end


def _needles(texts: list[str]) -> list[bytes] | None:
    """Each text's words joined as the article's are, all in one pass; None when a text
    holds the record mark (no faithful quote does)."""
    # Spaces made single across all of them at once, then each cut out by the record mark.
    blob = "\x01".join(texts).encode("utf-8", "replace").translate(_GAPS)
    parts = b" ".join(blob.split()).split(_RECORD)
    if len(parts) != len(texts):
        return None
    return [b" " + words + b" " if (words := part.strip()) else b" " for part in parts]


def _spans_fit(section: Section, next_line: int) -> bool:
    """Whether each sentence is a piece of one paragraph of the section's text, after the
    sentence before it, citing a line inside the section, in order."""
    spans = section.spans
    if len(spans) % 3:
        return False
    at, line = 0, section.line
    for i in range(0, len(spans), 3):
        start, end, cited = spans[i : i + 3]
        if not (at <= start < end <= len(section.text) and line <= cited < next_line):
            return False
        if section.text.find("\n\n", start, end) >= 0:
            return False
        at, line = end, cited
    return True


def faithful(text: str, info: ArticleInfo, sections: list[Section], file_title: str) -> bool:
    """Whether everything a reader would be shown from `sections` stands in `text`.

    Headings, paragraphs and frontmatter lines are found in the article's words; each
    sentence must be a piece of its section's paragraphs (as Punkt cut it) and name a line
    inside its section, in order.
    """
    words = _Words(text)
    bounds = [s.line for s in sections] + [words.line_count + 1]
    for i, section in enumerate(sections):
        if not 1 <= section.line < bounds[i + 1]:
            return False
        if not _spans_fit(section, bounds[i + 1]):
            return False
    anywhere = [
        info.title if info.title != file_title else "",
        info.description or "",
        info.author or "",
        *info.tags,
        *(s.title for s in sections if s.title != info.title),
        *(paragraph for s in sections for paragraph in s.text.split("\n\n")),
    ]
    needles = _needles(anywhere + [x.text for x in info.header])
    if needles is None:
        return False
    if not all(words.holds(needle) for needle in needles[: len(anywhere)]):
        return False
    return all(words.holds(needle, x.line) for needle, x in zip(needles[len(anywhere) :], info.header, strict=True))
