"""Read an acronym the article spells out: "CFO" for its "chief financial officer".

Career questions are full of acronyms (CFO, HR, CPA, HVAC) that an article may only write
out in full. A question word the article lacks, shaped like an acronym (2 to 5 letters,
typed in capitals or not an English word), is looked for as the initials of words in a row
in an article, written there with capitals or more than once; the most frequent such run
stands for it. Stop words never count as one of its words, so "CFO" is not "can find
opportunities".

An acronym the lexicon lists ("VC" beside "venture capital") is known through its synonym
group, which also holds looser words ("investment"); where the article lacks the acronym but
writes the phrase of that group whose initials it is, the phrase's words count too, so the
section that names the thing outranks one that only shares its group.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
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


def spelled_out(acronym: str, articles: Iterable[str], analyzer: Analyzer) -> str | None:
    """The words in a row whose initials spell `acronym`, written with capitals or more
    than once in one of `articles` (their texts); the run most articles qualify, the first
    found on a tie. None when there is none."""
    pattern = re.compile(r"\b" + r"[ \t-]+".join(rf"({letter}[a-z]+)" for letter in acronym) + r"\b", re.I)
    qualified: Counter[tuple[str, ...]] = Counter()
    shown: dict[tuple[str, ...], str] = {}  # a run's stems -> its words as first written
    for text in articles:
        runs: Counter[tuple[str, ...]] = Counter()
        named: set[tuple[str, ...]] = set()
        for match in pattern.finditer(text):
            words = match.groups()
            key = tuple(analyzer.stem(w.lower()) for w in words)
            runs[key] += 1
            shown.setdefault(key, " ".join(words).lower())
            if all(w[0].isupper() for w in words):
                named.add(key)
        # Words in a row that happen to have those initials are common in any long text;
        # what an acronym stands for is written with capitals ("Human Resources") or
        # comes back ("chief financial officers ... a chief financial officer").
        qualified.update(key for key, times in runs.items() if times > 1 or key in named)
    for key, _ in qualified.most_common():
        if all(analyzer.terms(word) for word in shown[key].split()):
            return shown[key]
    return None


def _listed_words(term: Term, analyzer: Analyzer, stems: frozenset[str]) -> tuple[str, ...]:
    """The stems of the lexicon phrase an acronym of the lexicon stands for ("vc", "venture
    capital": one group, its initials), when the article has them and not the acronym."""
    if not term.groups or len(term.stems) != 1 or _LETTERS.fullmatch(term.surface) is None:
        return ()
    if term.stems[0] in stems:
        return ()
    for phrase, groups in analyzer.phrases.items():
        if (
            len(phrase) == len(term.surface) > 1
            and "".join(s[0] for s in phrase) == term.surface
            and set(groups) & set(term.groups)
            and all(s in stems or s in analyzer.stopwords for s in phrase)
        ):
            return tuple(s for s in phrase if s not in analyzer.stopwords)
    return ()


def read_acronyms(query: Query, analyzer: Analyzer, expand: Callable[[str], str | None], stems: frozenset[str]) -> None:
    """Each acronym-shaped word the article lacks becomes the words it stands for there,
    counted as known (`expand`: an acronym's spelled-out words in the article, or None;
    `stems`: the articles' stems)."""
    for term in query.known:
        for stem in _listed_words(term, analyzer, stems):
            query.weights[stem] = query.weights.get(stem, 0.0) + 1.0
    for term in [t for t in query.missing + query.unknown if _looks_like_one(t, analyzer)]:
        words = expand(term.surface)
        if words is None:
            continue
        spelled = tuple(stem for part in analyzer.terms(words) for stem in part.stems)
        query.missing = [t for t in query.missing if t is not term]
        query.unknown = [t for t in query.unknown if t is not term]
        query.known.append(replace(term, stems=spelled, groups=()))
        for stem in spelled:
            query.weights[stem] = query.weights.get(stem, 0.0) + 1.0
