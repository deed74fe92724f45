"""Check a parsed article against the text it claims to come from.

A cache entry is a file anyone can edit: before one is used, every sentence it would quote,
every heading and paragraph it would show, must stand in the article, word for word, at the
line it names. The check reads the article's words once (no cleaning, no sentence splitting),
so it costs a fraction of parsing.
"""

from __future__ import annotations

import re

from .inputs import safe_text
from .models import ArticleInfo, Section

# Markup whose words never reach a sentence: link targets, HTML tags and comments.
_HIDDEN = re.compile(r"\]\([^)\n]*\)|<!--.*?-->|<[^<>\n]*>", re.S)
_WORD = re.compile(r"[^\W_]+")
_SEPARATOR = re.compile(r"[\W_]+")
_JOIN = "\x00"


class _Words:
    """The article's words in order, as one string (words joined by \\x00), and where
    each line starts in it: a quote is checked with one substring search."""

    def __init__(self, text: str):
        text = _HIDDEN.sub(lambda m: " " + "\n" * m.group(0).count("\n"), safe_text(text))
        self.starts: list[int] = []  # offset in `joined` of each line's first character
        parts: list[str] = []
        at = 0
        for line in text.split("\n"):
            self.starts.append(at)
            words = _SEPARATOR.sub(_JOIN, line).strip(_JOIN)
            if words:
                parts.append(words)
                at += len(words) + 1
        self.joined = _JOIN + _JOIN.join(parts) + _JOIN
        self.starts = [s + 1 for s in self.starts]
        self.line_count = len(self.starts)

    def holds(self, text: str, line: int | None = None) -> bool:
        """Whether `text`'s words stand in a row in the article (starting on `line`, if given)."""
        words = _WORD.findall(text)
        if not words:
            return True
        needle = _JOIN + _JOIN.join(words) + _JOIN
        if line is None:
            return needle in self.joined
        if not 1 <= line <= self.line_count:
            return False
        begin = self.starts[line - 1] - 1
        end = self.starts[line] - 1 if line < self.line_count else len(self.joined)
        at = self.joined.find(needle, begin)
        return 0 <= at < end


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
