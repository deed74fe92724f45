"""Read a question against what the article knows: which words it covers, which it lacks.

A question word is one of three things:
- known: the article uses the word, or a word of the same synonym group;
- missing: it names something specific the article never mentions (a place, an employer,
  a profession, a tool, a capitalised name, or a career topic whose whole synonym group is
  absent, like "interview" in an article without one);
- unknown: everything else, mostly casual words ("folks", "twiddling") any career text
  might do without. Unknown words neither help nor count against an answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from .analysis import Analyzer, Term

# Group terms stand for many words, so they weigh less than a word the question itself used.
GROUP_WEIGHT = 0.7


@dataclass
class Vocabulary:
    """What one knowledge base's articles contain, for reading questions against it."""

    stems: frozenset[str]
    groups: frozenset[str]
    spellings: list[str]  # words to correct typos towards: the articles', the lexicon's, stop words

    def knows(self, term: Term) -> bool:
        return term.stem in self.stems or any(g in self.groups for g in term.groups)


@dataclass
class Query:
    text: str
    weights: dict[str, float] = field(default_factory=dict)  # index term -> weight
    known: list[Term] = field(default_factory=list)
    missing: list[Term] = field(default_factory=list)
    unknown: list[Term] = field(default_factory=list)

    @property
    def content(self) -> int:
        return len(self.known) + len(self.missing) + len(self.unknown)

    @property
    def known_share(self) -> float:
        """How much of what the question asks about the article has words for."""
        asked = len(self.known) + len(self.missing) + 0.5 * len(self.unknown)
        return len(self.known) / asked if asked else 0.0


def _correct(term: Term, analyzer: Analyzer, vocabulary: Vocabulary) -> Term:
    """A misspelt word mapped to the article's (or lexicon's) spelling, 1 edit, 2 if long."""
    word = term.surface
    if len(word) < 5 or term.stem in analyzer.specific or term.groups:
        return term
    limit = 2 if len(word) >= 8 else 1
    hit = process.extractOne(
        word,
        [w for w in vocabulary.spellings if w[:1] == word[:1]],
        scorer=Levenshtein.distance,
        score_cutoff=limit,
    )
    if hit is None:
        return term
    fixed = analyzer.terms(hit[0])
    if not fixed:  # corrected to a stop word
        return Term(word, "", (), term.position)
    return Term(word, fixed[0].stem, fixed[0].groups, term.position, term.capitalized)


def parse_query(text: str, analyzer: Analyzer, vocabulary: Vocabulary) -> Query:
    query = Query(text)
    seen: set[str] = set()
    for term in analyzer.terms(text):
        if term.stem and not vocabulary.knows(term) and term.stem not in analyzer.specific:
            term = _correct(term, analyzer, vocabulary)
        if not term.stem and not term.groups:
            continue
        key = term.stem or "+".join(term.groups)
        if key in seen:
            continue
        seen.add(key)
        if vocabulary.knows(term):
            query.known.append(term)
            if term.stem:
                query.weights[term.stem] = query.weights.get(term.stem, 0.0) + 1.0
            for group in term.groups:
                query.weights.setdefault(group, GROUP_WEIGHT)
        elif not term.stem:
            continue  # a phrase of stop words whose group the article lacks: no evidence either way
        elif term.stem in analyzer.specific or term.capitalized or term.groups:
            query.missing.append(term)
        else:
            query.unknown.append(term)
    return query
