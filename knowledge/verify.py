"""Check a parsed article against the text it claims to come from.

A cache entry is a file anyone can edit: before one is used, every sentence it would quote,
every heading and paragraph it would show, must stand in the article, word for word, at the
line it names. The check reads the article's words once (no cleaning, no sentence splitting),
so it costs a fraction of parsing.
"""

from __future__ import annotations

import bisect
import re

from .inputs import safe_text
from .models import ArticleInfo, Section

# Markup whose words never reach a sentence: link targets, HTML tags and comments.
_HIDDEN = re.compile(r"\]\([^)\n]*\)|<!--.*?-->|<[^<>\n]*>", re.S)
_WORD = re.compile(r"[^\W_]+")
_JOIN = "\x00"


class _Words:
    """The article's words in order, each with its line, searchable as one string."""

    def __init__(self, text: str):
        text = _HIDDEN.sub(lambda m: " " + "\n" * m.group(0).count("\n"), safe_text(text))
        matches = list(_WORD.finditer(text))
        self.lines: list[int] = []
        line, seen = 1, 0
        for m in matches:
            line += text.count("\n", seen, m.start())
            seen = m.start()
            self.lines.append(line)
        self.joined = _JOIN.join(m.group(0) for m in matches)
        self.starts = []  # offset of each word in `joined`
        at = 0
        for m in matches:
            self.starts.append(at)
            at += len(m.group(0)) + 1
        self.line_count = text.count("\n") + 1

    def holds(self, text: str, line: int | None = None) -> bool:
        """Whether `text`'s words stand in a row in the article (starting on `line`, if given)."""
        words = _WORD.findall(text)
        if not words:
            return True
        needle = _JOIN.join(words)
        first = 0 if line is None else bisect.bisect_left(self.lines, line)
        if line is not None and (first >= len(self.lines) or self.lines[first] != line):
            return False
        at = self.joined.find(needle, self.starts[first] if first < len(self.starts) else len(self.joined))
        while at >= 0:
            index = bisect.bisect_left(self.starts, at)
            whole = index < len(self.starts) and self.starts[index] == at and (
                at + len(needle) == len(self.joined) or self.joined[at + len(needle)] == _JOIN
            )
            if whole:
                return line is None or self.lines[index] == line
            if line is not None and index < len(self.lines) and self.lines[index] > line:
                return False
            at = self.joined.find(needle, at + 1)
        return False


def faithful(text: str, info: ArticleInfo, sections: list[Section], file_title: str) -> bool:
    """Whether everything a reader would be shown from `sections` stands in `text`."""
    words = _Words(text)
    if info.title != file_title and not words.holds(info.title):
        return False
    if not all(words.holds(t) for t in [info.description or "", info.author or "", *info.tags]):
        return False
    if not all(words.holds(h.text, h.line) for h in info.header):
        return False
    for section in sections:
        if not 1 <= section.line <= words.line_count:
            return False
        if section.title != info.title and not words.holds(section.title):
            return False
        if not all(words.holds(paragraph) for paragraph in section.text.split("\n\n")):
            return False
        if not all(words.holds(s.text, s.line) for s in section.sentences):
            return False
    return True
