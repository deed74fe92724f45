"""Text to index terms: word tokens, stop words, Snowball stems and synonym groups.

The same analyzer reads the article and the question, so both sides meet on the same
terms. A synonym group is a term of its own (`~pay`), added beside the word's stem.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import Stemmer

from .dictionary import english_words

_RAW_WORD = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")
_DIGIT_GROUPS = re.compile(r"(?<=\d),(?=\d{3})")
_POSSESSIVE = re.compile(r"'(?:s|re|ve|ll|d|m|t)$")
_MAX_PHRASE = 5
# What `Analyzer.parts` holds, each a list of strings.
_PARTS = ("stopwords", "merged", "merges", "phrases", "groups", "idioms", "specific", "stemmed", "stems")
# "how" and "what" open most questions and many headings alike; these four choose.
_CUE_WORDS = {"why", "when", "where", "who"}


def _fold(word: str) -> str:
    word = word.lower()
    return _POSSESSIVE.sub("", word).replace("'", "") if "'" in word else word


def _data_lines(name: str) -> list[str]:
    text = (Path(__file__).parent.parent / "data" / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def _title_case(text: str) -> bool:
    """Most of the longer words capitalised, as headings are written."""
    long_words = re.findall(r"[^\W\d_]{3,}", text)[1:]
    return len(long_words) >= 3 and sum(w[0].isupper() for w in long_words) >= 0.75 * len(long_words)


@dataclass(frozen=True)
class Term:
    """One thing a text talks about: a content word, or a lexicon phrase read as one."""

    surface: str  # as written, lowercased ("job security", "fine-tuning")
    stems: tuple[str, ...]  # stems of its content words (none for a phrase of stop words)
    groups: tuple[str, ...]  # synonym groups it belongs to
    position: int  # index of its first word among all words of the text
    capitalized: bool = False  # typed with a capital letter, not as the first word
    compound: bool = False  # written with hyphens: usually a term of art
    listed: bool = False  # in the lexicon of specific things (places, employers, professions...)

    @property
    def named(self) -> bool:
        """Names one specific thing: listed, typed with a capital, or a hyphenated term of art."""
        return self.listed or self.capitalized or self.compound


# Before "mean", these make it the figure ("the mean salary"), not the verb.
_DETERMINERS = frozenset("the a an its their your my our his her this that these those whats what's".split())


@dataclass
class Analyzer:
    """Tokenizer, stop list, stemmer and synonym lexicon; one per knowledge base."""

    stopwords: frozenset[str]
    phrases: dict[tuple[str, ...], tuple[str, ...]]  # stem sequence -> groups
    specific: frozenset[str]  # stems of words that name one specific thing
    merges: dict[str, str] = field(default_factory=dict)  # Snowball stems of one word family
    idioms: frozenset[tuple[str, ...]] = frozenset()  # phrases whose words mean nothing alone
    # PyStemmer: the Snowball project's own C code, so answering never imports nltk
    # (150 ms); it differs from nltk's Snowball port on 11 of 3,400 words of the shared
    # articles and questions ("organization" is no longer "organ").
    _stemmer: Stemmer.Stemmer = field(default_factory=lambda: Stemmer.Stemmer("english"), repr=False)
    _stems: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def default(cls) -> "Analyzer":
        """The analyzer with the lexicons shipped in `knowledge/data`."""
        stop = frozenset(w for line in _data_lines("stopwords.txt") for w in line.split())
        merges = dict(line.split()[:2] for line in _data_lines("stems.txt"))
        analyzer = cls(stopwords=stop, phrases={}, specific=frozenset(), merges=merges)
        phrases: dict[tuple[str, ...], set[str]] = {}
        idioms: set[tuple[str, ...]] = set()
        for line in _data_lines("lexicon.txt"):
            group, _, members = line.partition(":")
            for member in members.split(","):
                key = tuple(analyzer.stem(w) for w in analyzer.words(member))
                if key:
                    phrases.setdefault(key, set()).add("~" + group.strip())
                    if member.strip().startswith("="):
                        idioms.add(key)
        analyzer.phrases = {k: tuple(sorted(v)) for k, v in phrases.items()}
        analyzer.idioms = frozenset(idioms)
        analyzer.specific = frozenset(
            analyzer.stem(w) for line in _data_lines("specific.txt") for w in line.split()
        )
        return analyzer

    def parts(self) -> dict[str, list[str]]:
        """All `default` builds, as JSON data: the cache keeps it, so a start reads the
        lexicons' stems rather than stemming 1,300 words again (4 ms). Lists of strings
        only, quick to check when read back: a mapping as two lists, a phrase's stems (and
        its groups) joined by spaces, which no stem or group holds."""
        return {
            "stopwords": sorted(self.stopwords),
            "merged": list(self.merges),
            "merges": list(self.merges.values()),
            "phrases": [" ".join(stems) for stems in self.phrases],
            "groups": [" ".join(groups) for groups in self.phrases.values()],
            "idioms": sorted(" ".join(idiom) for idiom in self.idioms),
            "specific": sorted(self.specific),
            "stemmed": list(self._stems),
            "stems": list(self._stems.values()),
        }

    @classmethod
    def from_parts(cls, parts: object) -> "Analyzer":
        """The analyzer `parts` (decoded JSON) describes; `ValueError` when it is not what
        `parts` makes: the same names, each a list of strings, the paired lists alike long."""
        if not (
            type(parts) is dict
            and parts.keys() == set(_PARTS)
            and all(type(value) is list and all(type(item) is str for item in value) for value in parts.values())
        ):
            raise ValueError("not an analyzer's parts")
        return cls(
            stopwords=frozenset(parts["stopwords"]),
            phrases={
                tuple(stems.split()): tuple(groups.split())
                for stems, groups in zip(parts["phrases"], parts["groups"], strict=True)
            },
            specific=frozenset(parts["specific"]),
            merges=dict(zip(parts["merged"], parts["merges"], strict=True)),
            idioms=frozenset(tuple(idiom.split()) for idiom in parts["idioms"]),
            _stems=dict(zip(parts["stemmed"], parts["stems"], strict=True)),
        )

    @staticmethod
    def normalize(text: str) -> str:
        text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")
        return _DIGIT_GROUPS.sub("", text)

    def words(self, text: str) -> list[str]:
        """Lowercase word tokens with possessives and contractions folded ("don't" -> "dont")."""
        return [_fold(w) for w in _RAW_WORD.findall(self.normalize(text))]

    def typed(self, text: str) -> list[tuple[str, str]]:
        """Each word as typed, at the positions `terms` counts, with the text between it and
        the word before: what grammar reads that folded words lose (a capital, a comma)."""
        normalized = self.normalize(text)
        typed, end = [], 0
        for match in _RAW_WORD.finditer(normalized):
            typed.append((match.group(0), normalized[end : match.start()]))
            end = match.end()
        return typed

    def stem(self, word: str) -> str:
        stem = self._stems.get(word)
        if stem is None:
            stem = self.merges.get("=" + word) or self._stemmer.stemWord(word)
            stem = self._stems[word] = self.merges.get(stem, stem)
        return stem

    @functools.cached_property
    def _english(self) -> frozenset[str]:
        """Read when a question first has a word to correct (8 ms), not at start."""
        return english_words()

    def is_english(self, word: str) -> bool:
        """A real English word (so not a typo of another one), by the model's vocabulary."""
        return word in self._english

    @functools.cached_property
    def _phrase_starts(self) -> frozenset[str]:
        """First stems of the lexicon's phrases: most words start none, and skip the lookups."""
        return frozenset(phrase[0] for phrase in self.phrases if len(phrase) > 1)

    def terms(self, text: str) -> list[Term]:
        """What `text` talks about: lexicon phrases (longest first), hyphenated compounds, words."""
        normalized, spans, words, _ = read = self._split(text)
        # In a shouted or Title Case question ("What Qualifications Do You Need?", as blog
        # headings write them) a capital says nothing of a name.
        shouting = normalized.isupper() or _title_case(normalized)
        terms = []
        for i, size, groups, content in self._spans(*read):
            first = spans[i][0]
            terms.append(
                Term(
                    surface=" ".join(words[i : i + size]) if groups or size == 1 else "-".join(words[i : i + size]),
                    stems=content,
                    groups=groups,
                    position=i,
                    capitalized=i > 0 and first[:1].isupper() and not shouting and first.lower() != "i",
                    compound=size > 1 and not groups,
                    listed=any(s in self.specific for s in content),
                )
            )
        return terms

    def _split(self, text: str) -> tuple[str, list[tuple[str, int]], list[str], list[str]]:
        """The normalised text, its raw words with their offsets, folded words and stems."""
        normalized = self.normalize(text)
        spans = [(m.group(0), m.start()) for m in _RAW_WORD.finditer(normalized)]
        words = [_fold(w) for w, _ in spans]
        return normalized, spans, words, [self.stem(w) for w in words]

    def _spans(
        self, normalized: str, spans: list[tuple[str, int]], words: list[str], stems: list[str]
    ) -> Iterator[tuple[int, int, tuple[str, ...], tuple[str, ...]]]:
        """Each term as (first word, word count, groups, content stems): all the index needs,
        and what `terms` makes a `Term` of."""
        framing = [self._frames(words, i) for i in range(len(words))]
        i = 0
        while i < len(words):
            # A stop word alone stays one ("need" is not "needed"); inside a phrase it counts.
            size, groups = 1, () if framing[i] else self.phrases.get((stems[i],), ())
            for n in range(min(_MAX_PHRASE, len(words) - i) if stems[i] in self._phrase_starts else 0, 1, -1):
                hit = self.phrases.get(tuple(stems[i : i + n]))
                if hit:
                    size, groups = n, hit
                    break
            if size == 1 and not framing[i]:
                end = i + 1
                while end < len(words) and normalized[spans[end - 1][1] + len(spans[end - 1][0]) : spans[end][1]] == "-":
                    end += 1
                if end - i > 1:
                    size = end - i
            idiom = groups and tuple(stems[i : i + size]) in self.idioms
            content = () if idiom else tuple(stems[j] for j in range(i, i + size) if not framing[j])
            if content or groups:
                yield i, size, groups, content
            i += size

    def _frames(self, words: list[str], i: int) -> bool:
        """Whether the i-th word carries no topic: a stop word, or "mean" as a verb ("what
        does docs-as-code mean?"), not the figure ("the mean salary", "mean pay in Ohio?")."""
        word = words[i]
        return word in self.stopwords or (word == "mean" and i > 0 and words[i - 1] not in _DETERMINERS)

    def closed_compounds(self, text: str) -> list[tuple[int, str, str]]:
        """Each two neighbouring content words as one word (position, "open collective",
        stem of "opencollective"): articles close up what questions write apart ("skill
        set", "pay check", "Open Collective")."""
        words = self.words(text)
        return [
            (i, f"{a} {b}", self.stem(a + b))
            for i, (a, b) in enumerate(zip(words, words[1:]))
            if a.isalpha() and b.isalpha() and a not in self.stopwords and b not in self.stopwords
        ]

    def cues(self, text: str, *, leading: bool = False) -> list[str]:
        """Question words that pick a kind of heading: "why ..." asks what "Why X" explains.

        With `leading`, only a text's first word counts (how headings use them).
        """
        words = self.words(text)[:1] if leading else self.words(text)
        return sorted({"?" + w for w in words if w in _CUE_WORDS})

    def tokens(self, text: str) -> list[str]:
        """Index tokens of a text: each term's stems, then its groups."""
        out: list[str] = []
        for _, _, groups, content in self._spans(*self._split(text)):
            out.extend(content)
            out.extend(groups)
        return out
