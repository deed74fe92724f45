"""Split clean article text into sections (one per heading) and sentences."""

from __future__ import annotations

import bisect
import contextlib
import re
import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from ..inputs import chunks
from ..models import Section

if TYPE_CHECKING:
    from nltk.tokenize.punkt import PunktSentenceTokenizer

# A heading line's marks and the rest; its closing #s are taken off by `_heading_text`, not
# by the pattern: "(.*?)\s*#*\s*$" tried each end of the text against each split of the
# spaces after it, and a heading of 3,000 spaces took a minute (a cube of its length).
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*)$")
_FACTOR = re.compile(r"^(\d{1,3})[.)]\s+(.+)$")
# A list item's mark, with a task list's box ("- [ ] I have saved ..."): never quoted.
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s+)?")
# Punkt learns abbreviations from the text itself; these are the ones any article may use
# once, too rarely for it to learn them.
ABBREVIATIONS = {
    "e.g", "i.e", "etc", "vs", "mr", "mrs", "ms", "dr", "prof", "inc", "ltd", "co", "corp",
    "jr", "sr", "st", "no", "approx", "dept", "est", "fig", "u.s", "u.k", "a.m", "p.m", "min",
    "max", "mo", "yr", "yrs", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "ph.d", "b.s", "m.s", "b.a", "m.a",
}


def slugify(text: str) -> str:
    """GitHub's heading anchor: lowercase, punctuation dropped, spaces to hyphens. Invisible
    characters (format characters, lone combining marks) go before the ends are trimmed,
    so none leaves a hyphen no one can see; "Pay ?" is still "pay-", as on GitHub."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = "".join(c for c in text if unicodedata.category(c) not in ("Cf", "Mn", "Me")).strip()
    text = "".join(c for c in text if c.isalnum() or c in " -_")
    return re.sub(r" ", "-", text)


@contextlib.contextmanager
def _punkt_unclocked() -> Iterator[None]:
    """Punkt's own fixed patterns, run without nltk's per-match time limit.

    nltk >= 3.10 runs every regex under a wall-clock limit meant for caller-supplied
    patterns; Punkt's are nltk's own, and the text reaches them in 20,000-character pieces
    (`inputs.chunks`), yet reading the clock on every match was a quarter of a first load.
    nltk documents `redos.DEFAULT_TIMEOUT = None` as the way to lift it; it is lifted for
    this parse only and put back after (left alone if another parse has it lifted already).
    """
    try:
        from nltk import redos
    except ImportError:  # nltk before 3.10: no time limit to lift
        yield
        return
    if redos.DEFAULT_TIMEOUT is None:
        yield
        return
    before, redos.DEFAULT_TIMEOUT = redos.DEFAULT_TIMEOUT, None
    try:
        yield
    finally:
        redos.DEFAULT_TIMEOUT = before


def sentence_splitter(text: str) -> "PunktSentenceTokenizer":
    """Punkt trained on the article itself (no nltk_data needed), plus common abbreviations.

    nltk is imported here, on a cache miss only: importing it costs 150 ms of every start.
    """
    from nltk.tokenize.punkt import PunktSentenceTokenizer, PunktTrainer

    trainer = PunktTrainer()
    trainer.train(text, finalize=True)
    params = trainer.get_params()
    params.abbrev_types.update(ABBREVIATIONS)
    return PunktSentenceTokenizer(params)


def _units(lines: list[str], first: int, last: int) -> list[tuple[int, str]]:
    """Paragraphs and list items in lines[first:last] as (0-based first line, text).

    A unit's lines stay joined by newlines, so a sentence can count which line it starts on.
    """
    units: list[tuple[int, list[str]]] = []
    for i in range(first, last):
        line = lines[i]
        item = _LIST_ITEM.match(line)
        if not line.strip():
            units.append((i, []))
        elif item:
            units.append((i, [line[item.end():].strip()]))
        elif units and units[-1][1]:
            units[-1][1].append(line.strip())
        else:
            units.append((i, [line.strip()]))
    return [(start, "\n".join(parts)) for start, parts in units if parts]


def _sentences(units: list[tuple[int, str]], splitter: "PunktSentenceTokenizer", line_offset: int) -> list[tuple[str, int]]:
    """Each sentence's text (spaces made single) and its line in the file."""
    sentences: list[tuple[str, int]] = []
    for line, unit in units:
        seen, at = 0, 1 + line_offset + line  # lines counted so far: a long paragraph costs linear time
        for offset, text in chunks(unit):
            for begin, end in splitter.span_tokenize(text):
                sentence = " ".join(text[begin:end].split())
                at += unit.count("\n", seen, offset + begin)
                seen = offset + begin
                if any(c.isalnum() for c in sentence):
                    sentences.append((sentence, at))
    return sentences


def sentence_spans(text: str, sentences: list[tuple[str, int]]) -> list[int]:
    """Each sentence's start, end and line, found in order in its section's text (a
    sentence is a paragraph's words as they stand there, spaces made single)."""
    spans: list[int] = []
    at = 0
    for sentence, line in sentences:
        at = text.index(sentence, at)
        spans += (at, at + len(sentence), line)
        at += len(sentence)
    return spans


def split_sections(
    text: str,
    *,
    title: str,
    line_offset: int = 0,
    captions: list[tuple[int, str]] | None = None,
) -> list[Section]:
    """One section per heading; text before the first heading is a section named `title`.

    `line_offset` is how many source lines precede `text` (the frontmatter), so sentence
    lines count from the top of the file.
    """
    with _punkt_unclocked():
        return _split_sections(text, title=title, line_offset=line_offset, captions=captions)


class Heading(NamedTuple):
    """A candidate section before its sentences are found: where its heading stands (-1:
    none, the lead), its level and heading text, and its paragraphs as (0-based first
    line, lines joined by newlines)."""

    line: int
    level: int
    text: str
    units: list[tuple[int, str]]


def outline(text: str, title: str) -> list[Heading]:
    """Every heading of clean text with the paragraphs under it, in order; the text before
    the first heading is headed by `title`. Cheap (no sentence splitting): the cache check
    reads it again to prove an entry's sections."""
    lines = text.split("\n")
    heads: list[tuple[int, int, str]] = [(-1, 0, title)]
    for i, line in enumerate(lines):
        match = _HEADING.match(line)
        if match and (heading := _heading_text(match.group(2))):
            heads.append((i, len(match.group(1)), heading))
    found = []
    for n, (head_line, level, heading) in enumerate(heads):
        end = heads[n + 1][0] if n + 1 < len(heads) else len(lines)
        found.append(Heading(head_line, level, heading, _units(lines, head_line + 1, end)))
    return found


def _heading_text(rest: str) -> str:
    """A heading's text: what follows its marks, without the closing #s and the spaces
    around them ("Pay ##" -> "Pay"; "" for marks alone)."""
    return rest.rstrip().rstrip("#").strip()


class Shown(NamedTuple):
    """What a section shows of its heading and paragraphs (see `shown`)."""

    id: str
    title: str
    factor: int | None
    text: str
    line: int
    captions: list[str]


def shown(heads: list[Heading], kept: list[bool], line_offset: int, captions: list[tuple[int, str]] | None) -> list[Shown]:
    """The id, title, factor, text, line and captions of each kept heading's section: ids
    made unique in order, paragraphs' words joined by single spaces, paragraphs by a blank
    line. Shared by parsing and by the cache check, so the two cannot drift apart."""
    used: dict[str, int] = {}
    result = []
    # Each section's captions found by bisection: read whole for each section, a page with
    # an image in each of 10,000 sections took 50 s.
    captions = sorted(captions or [])
    caption_lines = [i for i, _ in captions]
    for n, head in enumerate(heads):
        if not kept[n]:
            continue
        factor = None
        title = " ".join(head.text.split())
        numbered = _FACTOR.match(title)
        if numbered:
            factor, title = int(numbered.group(1)), numbered.group(2).strip()
        slug = slugify(title) or "section"
        if slug in used:
            used[slug] += 1
            slug = f"{slug}-{used[slug]}"
        else:
            used[slug] = 0
        end = heads[n + 1].line if n + 1 < len(heads) else None
        first = bisect.bisect_right(caption_lines, head.line)
        last = len(captions) if end is None else max(first, bisect.bisect_left(caption_lines, end))
        caps = [alt for _, alt in captions[first:last]]
        body = "\n\n".join(" ".join(u[1].split()) for u in head.units)
        line = line_offset + max(head.line, head.units[0][0]) + 1
        result.append(Shown(slug, title, factor, body, line, caps))
    return result


def _split_sections(text: str, *, title: str, line_offset: int, captions: list[tuple[int, str]] | None) -> list[Section]:
    heads = outline(text, title)
    splitter = sentence_splitter(text)
    found = [_sentences(head.units, splitter, line_offset) for head in heads]
    shows = iter(shown(heads, [bool(s) for s in found], line_offset, captions))
    sections = []
    for head, sentences in zip(heads, found, strict=True):
        if not sentences:
            continue
        show = next(shows)
        sections.append(
            Section(
                id=show.id,
                title=show.title,
                factor=show.factor,
                level=head.level,
                text=show.text,
                spans=sentence_spans(show.text, sentences),
                captions=show.captions,
                line=show.line,
            )
        )
    return sections
