"""Prove a cached article against the text it claims to come from, or refuse it.

A cache entry is a file anyone can edit. Before one is used, everything it would show is
proved equal, character for character, to the article after the one normalisation parsing
applies: the body cleaned (`knowledge.read.cleaning.clean`) and each paragraph's words joined by
single spaces. The cheap steps of parsing (frontmatter split, cleaning, headings and
paragraphs: `sections.outline`) are done again, in time linear in the article, and every
section's id, title, level, text, line and captions must be what they give. Only what is
costly to redo is taken from the entry (where Punkt cut the sentences, and the stems, which
only rank), and each cut is checked: sentences in order, inside one paragraph, leaving out
no word, each after a sentence end (. ? ! and closing marks) or a paragraph start or where
the splitter's bounded pieces meet, each citing the line it starts on. A period Punkt may
pass over (after an abbreviation, an initial or a number, or not followed by a space, as
in "2.5") is no sentence end here: a cut there ("It is a myth that in the U.S." | "prompt
engineers earn $375,000 a year.") would quote words out of the sentence that qualifies
them, so such an entry is parsed again; so is a cut before a word in lower case, where
Punkt may have learnt an abbreviation from the article. (A real cut there, or after an
abbreviation before a capital, costs the entry one parse more, never a wrong quote.)
"""

from __future__ import annotations

import bisect
import re
from pathlib import Path

from ..inputs import MAX_UNIT_CHARS, ArticleError, chunks
from ..models import ArticleInfo, Section
from ..read.article import article_slug, body_line, file_title, header_lines
from ..read.sections import ABBREVIATIONS, Heading, outline, shown
from .frontmatter_check import front_and_body, info_holds

_ALNUM = re.compile(r"[^\W_]")  # what str.isalnum() accepts: a sentence holds one
_SENTENCE_END = ".?!"  # Punkt cuts only after these (and the closing marks after them)


def faithful(text: str, info: ArticleInfo, sections: list[Section], path: Path) -> bool:
    """Whether everything a reader would be shown from `info` and `sections` is the article
    `text` (of the file at `path`) as parsing reads it."""
    from ..read.cleaning import (
        clean,  # the normalisation itself: read only when an entry is checked
    )

    split = front_and_body(text)
    if split is None:  # a frontmatter only the YAML reader can split
        from ..read.article import read_frontmatter

        try:
            content = read_frontmatter(text, str(path))[1]
        except ArticleError:
            return False
        front = None
    else:
        front, content = split
    line_offset = body_line(text, content)
    cleaned = clean(content)
    if info.slug != article_slug(path) or [(h.text, h.line) for h in info.header] != [
        (h.text, h.line) for h in header_lines(text, line_offset)
    ]:
        return False
    if not info_holds(text, front, info, (cleaned.heading, file_title(path)), str(path)):
        return False
    heads = outline(cleaned.text, info.title)
    kept = [any(_ALNUM.search(unit) for _, unit in head.units) for head in heads]
    expected = shown(heads, kept, line_offset, cleaned.captions)
    if len(expected) != len(sections):
        return False
    kept_heads = [head for head, keep in zip(heads, kept, strict=True) if keep]
    for section, want, head in zip(sections, expected, kept_heads, strict=True):
        if (section.id, section.title, section.factor, section.level, section.text, section.line, section.captions) != (
            want.id,
            want.title,
            want.factor,
            head.level,
            want.text,
            want.line,
            want.captions,
        ):
            return False
        if section.article != info.slug or not _cuts_hold(section, head, line_offset):
            return False
    return True


def _cuts_hold(section: Section, head: Heading, line_offset: int) -> bool:
    """Whether the section's sentence spans are cuts Punkt could have made in its (proved)
    text: see the module's docstring. Linear in the section's text."""
    text, spans = section.text, section.spans
    if not spans or len(spans) % 3:
        return False
    k, at = 0, 0  # the next span's index, the paragraph's start in `text`
    for first_line, unit in head.units:
        starts, lines, cuts = _paragraph_map(unit, at, 1 + line_offset + first_line)
        end = at + len(" ".join(unit.split()))
        covered, previous = at, None  # where the next sentence may start; the last one's span
        while k < len(spans) and spans[k] < end:
            start, stop, line = spans[k], spans[k + 1], spans[k + 2]
            if not (covered <= start < stop <= end) or _ALNUM.search(text, covered, start):
                return False  # overlapping, across paragraphs, or leaving words out
            if text[start] == " " or text[stop - 1] == " " or not _ALNUM.search(text, start, stop):
                return False
            if previous is not None and not (_ends_sentence(text, *previous, start) or start in cuts):
                return False  # a cut in the middle of a sentence
            if line != lines[bisect.bisect_right(starts, start) - 1]:
                return False
            covered, previous = stop, (start, stop)
            k += 3
        if _ALNUM.search(text, covered, end):
            return False  # the paragraph's last words are in no sentence
        at = end + 2
    return k == len(spans)


def _ends_sentence(text: str, start: int, stop: int, after: int) -> bool:
    """Whether text[start:stop] ends as Punkt ends a sentence that the one at `after`
    follows: ? or !, or a period Punkt surely cuts at, then closing marks."""
    i = stop - 1
    while i > start and not text[i].isalnum() and text[i] not in _SENTENCE_END:
        i -= 1
    if text[i] not in _SENTENCE_END:
        return False
    return text[i] != "." or _surely_cut(text[start : i + 1].rsplit(" ", 1)[-1], text, after)


def _surely_cut(word: str, text: str, after: int) -> bool:
    """Whether Punkt always cuts after `word` (ending in a period) before the sentence at
    `after`: that sentence starts after a space or with a mark ("(See below)"), and the
    word is none Punkt may take for an abbreviation (one it is given, one with a period
    inside, an ellipsis) or an initial; and the sentence starts with a capital (a period
    before a word in lower case is what makes Punkt learn an abbreviation from the article
    itself: "He works hard. he earns little." is one sentence)."""
    if text[after - 1] != " " and text[after].isalnum():
        return False  # "2.5", "example.com": Punkt cuts only where the text parts
    core = word[:-1].lstrip("\"'([{`*")
    if not core or "." in core or core.lower().split("-")[-1] in ABBREVIATIONS or (len(core) == 1 and core.isalpha()):
        return False  # "J. Bach": an initial may stand before a capital too
    return text[after : after + 8].lstrip("\"'([{`*")[:1].isupper()


def _paragraph_map(unit: str, at: int, first_line: int) -> tuple[list[int], list[int], frozenset[int]]:
    """For a paragraph starting at `at` in its section's text: where each of its source
    lines starts there and that line's number, and where the splitter's bounded pieces of
    a long paragraph start (a sentence may begin there without a sentence end before it)."""
    starts, lines = [], []
    offset = at
    for n, line in enumerate(unit.split("\n")):
        words = line.split()
        if words:
            starts.append(offset)
            lines.append(first_line + n)
            offset += len(" ".join(words)) + 1
    if len(unit) <= MAX_UNIT_CHARS:
        return starts, lines, frozenset()
    # Each word's place in the unit and in the joined text, to place each piece's start.
    places = [(m.start(), m.end()) for m in re.finditer(r"\S+", unit)]
    joined, offset = [], at
    for begin, stop in places:
        joined.append(offset)
        offset += stop - begin + 1
    word_starts = [begin for begin, _ in places]
    cuts = set()
    for piece_start, _ in chunks(unit)[1:]:
        i = bisect.bisect_right(word_starts, piece_start) - 1
        if i >= 0 and piece_start < places[i][1]:  # at a word's start, or in it (no space to cut at)
            cuts.add(joined[i] + piece_start - places[i][0])
        elif i + 1 < len(places):
            cuts.add(joined[i + 1])
    return starts, lines, frozenset(cuts)
