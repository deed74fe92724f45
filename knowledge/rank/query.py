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

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from .analysis import Analyzer, Term
from .introduction import Introduction, introduction, may_introduce

if TYPE_CHECKING:
    import numpy as np

# Group terms stand for many words, so they weigh less than a word the question itself used.
GROUP_WEIGHT = 1.0
CUE_WEIGHT = 1.0
MISSING_WEIGHT = 2.0
UNKNOWN_WEIGHT = 0.5


@dataclass
class Vocabulary:
    """What one knowledge base's articles contain, for reading questions against it."""

    stems: frozenset[str]
    groups: frozenset[str]
    spellings: dict[str, list[str]]  # first letter -> words to correct typos towards
    subject: frozenset[str] = frozenset()  # stems of what the article is about (title, common words)
    headings: frozenset[str] = frozenset()  # stems of the section headings
    recurring: frozenset[str] = frozenset()  # stems in more than one sentence
    frequency: dict[str, int] = field(default_factory=dict)  # how often the articles use each word

    def about_subject(self, term: Term) -> bool:
        return any(s in self.subject for s in term.stems)

    def topical(self, term: Term) -> bool:
        """The term touches what the article is about: its subject, a heading, a word it
        comes back to, or a career topic of the lexicon. A word used once in passing
        ("a quick fix") is no sign that the article covers a question about it."""
        return (
            self.about_subject(term)
            or any(s in self.headings or s in self.recurring for s in term.stems)
            or any(g in self.groups for g in term.groups)
        )

    def knows(self, term: Term) -> bool:
        return any(s in self.stems for s in term.stems) or any(g in self.groups for g in term.groups)


@dataclass
class Query:
    text: str
    weights: dict[str, float] = field(default_factory=dict)  # index term -> weight
    known: list[Term] = field(default_factory=list)
    missing: list[Term] = field(default_factory=list)
    unknown: list[Term] = field(default_factory=list)
    vector: "np.ndarray | None" = None  # the question's meaning, when the model is in use
    # Set by ranking: the best section by words alone, and by meaning alone (if in use).
    lexical_top: int | None = None
    semantic_top: int | None = None
    closest: float | None = None  # the best similarity of any sentence to the question
    # Set by ranking when no sentence is near in meaning: two of the question's own words
    # (not the article's subject) stand in one sentence of the article.
    together: bool = False
    # Set by ranking: the question repeats a heading (in words or meaning), and how far the
    # best section by meaning stands ahead of the second (cosine).
    asked_heading: bool = False
    semantic_margin: float | None = None
    best_heading: float | None = None  # the nearest heading in meaning (cosine)
    section_standing: "np.ndarray | None" = None  # each section's similarity in standard deviations
    sentence_spread: tuple[float, float] = (0.0, 1.0)  # mean and spread of the sentences' similarities
    lexical_strength: float = 0.0  # the best section's BM25 per unit of the question's weight
    matched: bool = False  # some section holds a word of the question
    # Set by ranking: the sections the re-ranker read, and what it read of each.
    candidates: "np.ndarray | None" = None
    candidate_features: "np.ndarray | None" = None
    # Set by ranking, of a folder: the one article the question names ("how much do nurses
    # make?"), whose sections alone are candidates (`knowledge.rank.naming`).
    article: int | None = None
    own: frozenset[str] = frozenset()  # its stems that name that article: its subject there
    # The positions of what the writer says they are ("I'm a nurse, ..."): `introduction`.
    describing: frozenset[int] = frozenset()
    # What the writer says they are that the article has no word for: not asked about, but
    # the answer may hinge on it ("I'm a felon, can I become a nurse?"), so never "covered".
    set_aside: list[Term] = field(default_factory=list)

    @property
    def known_share(self) -> float:
        """How much of what the question asks the article has words for.

        A named thing the article lacks weighs double (it is what such a question is about);
        a casual unknown word weighs half (it is mostly how people talk).
        """
        known = float(len(self.known))
        missing = sum(MISSING_WEIGHT if t.named else 1.0 for t in self.missing)
        asked = known + missing + UNKNOWN_WEIGHT * len(self.unknown)
        return known / asked if asked else 0.0

    @property
    def names_missing(self) -> bool:
        """The question names something specific (a place, an employer, a tool) the article lacks."""
        return any(t.named for t in self.missing)


# Ways of asking that name a career topic by no word of it: "how much do nurses make?"
# asks about pay though "make" alone is no pay word; "how do I find nursing jobs?" asks
# where jobs are listed though "find" is no such word (and "find" in "you'll find several
# courses" is not what it asks). Each with the asking verbs that are the topic's word here,
# not their own. General English, never one article's.
_MAKE = frozenset({"make", "makes", "making"})
_FIND = frozenset({"find", "finding", "search", "searching", "look", "looking", "hunt", "hunting"})
_IMPLIED = [
    (re.compile(r"\b(how much|what)\b.{0,40}\b(make|makes|making|bring home|pull in)\b", re.I | re.S), "~pay", _MAKE),
    (re.compile(r"\b(make|makes|making)\b.{0,20}\b(a|an|per) (year|hour|month|week)\b", re.I | re.S), "~pay", _MAKE),
    (
        re.compile(r"\b(find|finding|search(ing)? for|look(ing)? for|hunt(ing)? for)\b.{0,40}\b(jobs?|work|openings|vacancies|positions|roles|gigs)\b", re.I | re.S),
        "~posting",
        _FIND,
    ),
]


def _correct(term: Term, analyzer: Analyzer, vocabulary: Vocabulary) -> Term:
    """A misspelt word mapped to the article's (or lexicon's) spelling: 1 edit, 2 if long.

    Typos rarely hit the first letter, so only words with the same first letter compete. A
    real word is left as it is: the article lacks it, and another word is not what was asked.
    """
    word = term.surface
    if len(word) < 5 or term.groups or term.compound or len(term.stems) != 1 or analyzer.is_english(word):
        return term
    # Imported here: only a word the article lacks needs it, and it costs a cold start 30 ms.
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    limit = 2 if len(word) >= 8 else 1
    hits = process.extract(
        word, vocabulary.spellings.get(word[0], []), scorer=Levenshtein.distance, score_cutoff=limit, limit=None
    )
    # A word that only adds or drops an ending ("change" -> "changer") is another word, not a typo.
    hits = [h for h in hits if not (h[0].startswith(word) or word.startswith(h[0]))]
    if not hits:
        return term
    # Fewest edits; then a fix that adds letters (typos drop more than they add); then
    # the word the article uses most.
    best = min(hits, key=lambda h: (h[1], len(h[0]) < len(word), -vocabulary.frequency.get(h[0], 0), h[0]))
    fixed = analyzer.terms(best[0])
    if not fixed:  # corrected to a stop word
        return replace(term, stems=(), groups=())
    return replace(term, stems=fixed[0].stems, groups=fixed[0].groups)


def _close_up(query: Query, compound: Term) -> None:
    """Read two words as the one word the article writes ("Open Collective" for its
    "OpenCollective"): the compound replaces them, whatever each alone would match
    ("open" source, "collect"ing) or lack."""
    parts = (compound.position, compound.position + 1)

    def part(term: Term) -> bool:
        return term.position in parts and " " not in term.surface and "-" not in term.surface

    dropped = [t for t in query.known if part(t)]
    query.known = [t for t in query.known if not part(t)] + [compound]
    query.missing = [t for t in query.missing if not part(t)]
    query.unknown = [t for t in query.unknown if not part(t)]
    kept = {key for t in query.known for key in (*t.stems, *t.groups)}
    for term in dropped:
        for key in (*term.stems, *term.groups):
            if key not in kept:
                query.weights.pop(key, None)
    query.weights[compound.stems[0]] = 1.0


def _implied(query: Query, group: str, verbs: set[str]) -> None:
    """The question asks about `group` in its asking verb ("make" as in earn, "find" as in
    a job search): the verb is the topic's word here, not its own, alone or inside a
    lexicon phrase ("find a job")."""
    known = []
    for term in query.known:
        if term.stems and all(s in verbs for s in term.stems) and not term.groups:
            continue
        known.append(replace(term, stems=tuple(s for s in term.stems if s not in verbs)) if term.groups else term)
    kept = {s for t in known for s in t.stems}
    for stem in verbs - kept:
        query.weights.pop(stem, None)
    query.known = known
    if group not in query.weights:
        query.known.append(Term(surface=group[1:], stems=(), groups=(group,), position=-1))
        query.weights[group] = 1.0


def _introduces(term: Term, introduced: Introduction, vocabulary: Vocabulary) -> bool:
    """Whether the term is the writer's introduction, not what they ask
    (`knowledge.rank.introduction`): the word "name" of "my name is", an age, or a name the
    article does not know. A capitalised word after "I'm" that the lexicon lists ("I'm
    Canadian": a nationality, a place, a profession) says something of what is asked."""
    if term.position in introduced.said:
        return True
    if vocabulary.knows(term):
        return False
    maybe = term.position in introduced.maybe and (term.capitalized or term.position == 0) and not term.listed
    return term.position in introduced.given or maybe


def parse_query(text: str, analyzer: Analyzer, vocabulary: Vocabulary) -> Query:
    query = Query(text)
    seen: set[tuple[str, ...]] = set()
    introduced = introduction(analyzer.typed(text)) if may_introduce(text) else Introduction()
    query.describing = introduced.describes
    for term in analyzer.terms(text):
        if _introduces(term, introduced, vocabulary):
            continue
        if not vocabulary.knows(term) and not term.listed:
            term = _correct(term, analyzer, vocabulary)
        if term.position in introduced.describes and not vocabulary.knows(term):
            query.set_aside.append(term)  # what the writer is ("I'm a baker, ..."), unknown here, is not what they ask
            continue
        key = term.stems or term.groups
        if not key or key in seen:
            continue
        seen.add(key)
        if vocabulary.knows(term):
            query.known.append(term)
            for stem in term.stems:
                query.weights[stem] = query.weights.get(stem, 0.0) + 1.0
            for group in term.groups:
                query.weights.setdefault(group, GROUP_WEIGHT)
        elif not term.stems:
            continue  # a phrase of stop words whose group the article lacks: no evidence either way
        elif term.named or term.groups:
            query.missing.append(term)
        else:
            query.unknown.append(term)
    for position, surface, stem in analyzer.closed_compounds(text):
        if stem in vocabulary.stems and stem not in query.weights:
            _close_up(query, Term(surface=surface, stems=(stem,), groups=(), position=position))
    for pattern, group, asking in _IMPLIED:
        if group in vocabulary.groups and pattern.search(text):
            _implied(query, group, {analyzer.stem(word) for word in asking})
    for cue in analyzer.cues(text):
        if cue in vocabulary.stems:
            query.weights[cue] = CUE_WEIGHT
    return query
