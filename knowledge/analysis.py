"""Text to index terms: word tokens, stop words, Snowball stems and synonym groups.

The same analyzer reads the article and the question, so both sides meet on the same
terms. A synonym group is a term of its own (`~pay`), added beside the word's stem.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from importlib import resources

from nltk.stem.snowball import SnowballStemmer

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_DIGIT_GROUPS = re.compile(r"(?<=\d),(?=\d{3})")
_POSSESSIVE = re.compile(r"'(?:s|re|ve|ll|d|m|t)$")
_MAX_PHRASE = 5


def _data_lines(name: str) -> list[str]:
    text = resources.files("knowledge").joinpath("data", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


@dataclass(frozen=True)
class Term:
    """One content word of a text, with what it means to the index."""

    surface: str  # as typed, lowercased
    stem: str
    groups: tuple[str, ...]  # synonym groups this word (or a phrase it is in) belongs to
    position: int  # index among all words of the text
    capitalized: bool = False  # typed with a capital letter not at the start of the text


@dataclass
class Analyzer:
    """Tokenizer, stop list, stemmer and synonym lexicon; one per knowledge base."""

    stopwords: frozenset[str]
    phrases: dict[tuple[str, ...], tuple[str, ...]]  # stem sequence -> groups
    specific: frozenset[str]  # stems of words that name one specific thing
    _stemmer: SnowballStemmer = field(default_factory=lambda: SnowballStemmer("english"), repr=False)
    _stems: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def default(cls) -> "Analyzer":
        """The analyzer with the lexicons shipped in `knowledge/data`."""
        stop = frozenset(w for line in _data_lines("stopwords.txt") for w in line.split())
        analyzer = cls(stopwords=stop, phrases={}, specific=frozenset())
        phrases: dict[tuple[str, ...], set[str]] = {}
        for line in _data_lines("lexicon.txt"):
            group, _, members = line.partition(":")
            for member in members.split(","):
                key = tuple(analyzer.stem(w) for w in analyzer.words(member))
                if key:
                    phrases.setdefault(key, set()).add("~" + group.strip())
        analyzer.phrases = {k: tuple(sorted(v)) for k, v in phrases.items()}
        analyzer.specific = frozenset(
            analyzer.stem(w) for line in _data_lines("specific.txt") for w in line.split()
        )
        return analyzer

    @staticmethod
    def normalize(text: str) -> str:
        text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")
        return _DIGIT_GROUPS.sub("", text)

    def words(self, text: str) -> list[str]:
        """Lowercase word tokens with possessives and contractions folded ("don't" -> "dont")."""
        return [_POSSESSIVE.sub("", w).replace("'", "") for w in _WORD.findall(self.normalize(text).lower())]

    def stem(self, word: str) -> str:
        stem = self._stems.get(word)
        if stem is None:
            stem = self._stems[word] = self._stemmer.stem(word)
        return stem

    def terms(self, text: str) -> list[Term]:
        """The content words of `text`, each with its synonym groups."""
        normalized = self.normalize(text)
        raw = [m for m in re.finditer(r"[A-Za-z0-9]+(?:['][A-Za-z]+)?", normalized)]
        words = self.words(normalized)
        stems = [self.stem(w) for w in words]
        groups: list[set[str]] = [set() for _ in words]
        for i in range(len(stems)):
            for n in range(min(_MAX_PHRASE, len(stems) - i), 0, -1):
                hit = self.phrases.get(tuple(stems[i : i + n]))
                if hit:
                    for j in range(i, i + n):
                        groups[j].update(hit)
        terms = []
        for i, word in enumerate(words):
            if word in self.stopwords and not groups[i]:
                continue
            if word in self.stopwords:
                # A stop word inside a phrase ("go for it") lends the phrase its group only.
                terms.append(Term(word, "", tuple(sorted(groups[i])), i))
                continue
            typed = raw[i].group(0) if i < len(raw) else word
            capitalized = i > 0 and typed[:1].isupper() and not normalized.isupper()
            terms.append(Term(word, stems[i], tuple(sorted(groups[i])), i, capitalized))
        return terms

    def tokens(self, text: str) -> list[str]:
        """Index tokens of a text: each content word's stem, then its groups."""
        out: list[str] = []
        for term in self.terms(text):
            if term.stem:
                out.append(term.stem)
            out.extend(term.groups)
        return out
