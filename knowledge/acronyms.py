"""Read an acronym the article spells out: "CFO" for its "chief financial officer".

Career questions are full of acronyms (CFO, HR, CPA, HVAC) that an article may only write
out in full. A question word the article lacks, shaped like an acronym (2 to 5 letters,
typed in capitals or not an English word), is looked for as the initials of words in a row
in the article; the most frequent such run stands for it. Stop words never count as one of
its words, so "CFO" is not "can find opportunities".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import replace

from .analysis import Analyzer, Term
from .query import Query

_LETTERS = re.compile(r"[a-z]{2,5}")


def _looks_like_one(term: Term, analyzer: Analyzer) -> bool:
    return (
        len(term.stems) == 1
        and not term.groups
        and _LETTERS.fullmatch(term.surface) is not None
        and (term.capitalized or not analyzer.is_english(term.surface))
    )


def spelled_out(acronym: str, text: str, analyzer: Analyzer) -> str | None:
    """The words in a row in `text` whose initials spell `acronym`, the most frequent run
    first (ties: the first written); None when the article has none."""
    pattern = re.compile(r"\b" + r"[ \t-]+".join(rf"({letter}[a-z]+)" for letter in acronym) + r"\b", re.I)
    runs: Counter[str] = Counter()
    for match in pattern.finditer(text):
        words = [w.lower() for w in match.groups()]
        if all(analyzer.terms(w) for w in words):  # none a stop word
            runs[" ".join(words)] += 1
    return runs.most_common(1)[0][0] if runs else None


def read_acronyms(query: Query, analyzer: Analyzer, expand: Callable[[str], str | None]) -> None:
    """Each acronym-shaped word the article lacks becomes the words it stands for there,
    counted as known (`expand`: an acronym's spelled-out words in the article, or None)."""
    for term in [t for t in query.missing + query.unknown if _looks_like_one(t, analyzer)]:
        words = expand(term.surface)
        if words is None:
            continue
        stems = tuple(stem for part in analyzer.terms(words) for stem in part.stems)
        query.missing = [t for t in query.missing if t is not term]
        query.unknown = [t for t in query.unknown if t is not term]
        query.known.append(replace(term, stems=stems, groups=()))
        for stem in stems:
            query.weights[stem] = query.weights.get(stem, 0.0) + 1.0
