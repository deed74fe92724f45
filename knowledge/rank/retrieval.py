"""BM25 over passages and over sentences, with a Lucene IDF.

rank-bm25 0.2.2's Okapi IDF is log((N - n + 0.5) / (n + 0.5)) floored at a shared epsilon:
on 12 passages a term in exactly 6 of them weighs 0 and every term in more than 6 weighs
the same (rank-bm25 issue #39). Lucene's ln(1 + (N - n + 0.5) / (n + 0.5)) stays positive
and keeps its order. Measured on the final engine, the two IDFs tie on both question sets
(the sentence evidence and synonym groups carry most of the weight); Lucene's is kept
because it cannot zero out a term.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import count, repeat

import numpy as np
from rank_bm25 import BM25Okapi

# Chosen on the dev questions and checked on a second article (getting-paid): with b = 0.75
# its top-1 fell from 0.78 to 0.74 (long sections are long for their many facts, not for
# repeating themselves); b from 0.3 to 0.5 and k1 from 0.9 to 2.0 made no difference.
K1 = 1.2
B = 0.5


@dataclass(frozen=True)
class Joined:
    """Documents given as their tokens joined by single spaces (a token never holds one):
    read in batches, a folder's hundred thousand sentences cost a thousand splits, not a
    hundred thousand."""

    texts: list[str]


@dataclass(frozen=True)
class Postings:
    """An index's own arrays (see `LuceneBM25.postings`), to rebuild it without its tokens:
    per term, its documents (`starts[i]` to `starts[i + 1]`) and counts; each document's
    length. Read back from a cache, they must pass `sound` first."""

    terms: list[str]
    starts: np.ndarray
    docs: np.ndarray
    tfs: np.ndarray
    lengths: np.ndarray

    def sound(self, documents: int) -> bool:
        """Whether these arrays make an index of `documents` documents that cannot fail or
        read out of bounds: right types and sizes, every term in a document at least once,
        each term's documents in order."""
        arrays = [(self.starts, np.int64), (self.docs, np.int32), (self.tfs, np.float32), (self.lengths, np.int64)]
        if any(a.dtype != dtype or a.ndim != 1 for a, dtype in arrays):
            return False
        terms, postings = len(self.terms), len(self.docs)
        if len(set(self.terms)) != terms or len(self.starts) != terms + 1 or len(self.tfs) != postings:
            return False
        if len(self.lengths) != documents or self.starts[0] != 0 or self.starts[-1] != postings:
            return False
        if not ((np.diff(self.starts) > 0).all() and (self.lengths >= 0).all()):
            return False
        if not (np.isfinite(self.tfs).all() and (self.tfs >= 1).all()):
            return False
        if postings and not (0 <= self.docs.min() and self.docs.max() < documents):
            return False
        ordered = self.docs[1:] > self.docs[:-1]
        ordered[self.starts[1:-1] - 1] = True  # a term's first document follows another term's
        return bool(ordered.all())


@dataclass(frozen=True)
class Runs:
    """Documents made of runs of another index's documents (a section: its sentences and
    heading): run i is documents starts[i] to starts[i + 1] - 1 of `index`, each counted
    `weights[d]` times. Indexed from `index`'s postings, without reading tokens again."""

    index: "LuceneBM25"
    starts: np.ndarray
    weights: np.ndarray


def _changes(values: np.ndarray, also: np.ndarray | None = None) -> np.ndarray:
    """Where each run of equal neighbours starts in `values`, and at each index in `also`
    (a byte a value for the mask, not a copy of the values)."""
    change = np.ones(len(values), dtype=bool)
    np.not_equal(values[1:], values[:-1], out=change[1:])
    if also is not None:
        change[also] = True
    return np.flatnonzero(change)


class LuceneBM25(BM25Okapi):
    """rank-bm25's Okapi model and interface, its term statistics kept as postings arrays.

    rank-bm25 keeps one dictionary per document and walks every document for every query
    term; a folder has 140,000 documents (passages and sentences), so here `_initialize`
    counts every (term, document) pair in bulk with numpy and keeps, per term, the documents
    it occurs in and their saturated term frequencies: a question costs one vectorised add
    per term and the index holds flat arrays instead of 140,000 dictionaries.
    """

    def __init__(self, corpus: Iterable[list[str]] | Joined | Runs | Postings, k1: float = K1, b: float = B):
        super().__init__(corpus, k1=k1, b=b)
        # Each posting's share of a score before the query weight: idf x saturated tf.
        norm = k1 * (1 - b + b * self._lengths / (self.avgdl or 1.0))
        idf = np.array([self.idf[t] for t in self._terms])
        # In place: idf x tf x (k1 + 1) / (tf + norm), the divisor a slice at a time (a
        # temporary the size of a folder's postings is ten megabytes of peak memory).
        self._parts = np.repeat(idf, np.diff(self._starts))
        self._parts *= self._tfs
        self._parts *= k1 + 1
        for at in range(0, len(self._parts), 1 << 16):
            part = slice(at, at + (1 << 16))
            denominator = norm[self._docs[part]]
            denominator += self._tfs[part]
            self._parts[part] /= denominator

    def _initialize(self, corpus: Iterable[list[str]] | Joined | Runs | Postings) -> dict[str, int]:
        if isinstance(corpus, Runs):
            return self._from_runs(corpus)
        if isinstance(corpus, Postings):
            return self._keep(corpus.terms, np.diff(corpus.starts), corpus.docs, corpus.tfs, corpus.lengths)
        # Each document turned into term ids as it comes: `corpus` may be a generator, so
        # a folder's 1.3 million tokens never sit in memory as strings at once.
        ids: defaultdict[str, int] = defaultdict(count().__next__)
        lookup = ids.__getitem__
        flat = array("i")  # term ids fit 32 bits: half the memory
        if isinstance(corpus, Joined):
            texts = corpus.texts
            for start in range(0, len(texts), 512):
                flat.extend(map(lookup, " ".join(texts[start : start + 512]).split()))
            # A document's tokens: one more than its spaces, none when it is empty.
            spaces = np.fromiter(map(str.count, texts, repeat(" ")), dtype=np.int64, count=len(texts))
            lengths = (spaces + 1) * np.fromiter(map(bool, texts), dtype=bool, count=len(texts))
            if int(lengths.sum()) != len(flat):  # stray spaces: read them one at a time
                return self._initialize(text.split() for text in texts)
        else:
            counts = array("q")
            for document in corpus:
                before = len(flat)
                flat.extend(map(lookup, document))
                counts.append(len(flat) - before)
            lengths = np.frombuffer(counts, dtype=np.int64) if counts else np.zeros(0, dtype=np.int64)
        n = max(len(lengths), 1)
        # Each token as one key, term then document, built in place (a folder has over a
        # million tokens: every temporary array is ten megabytes of peak memory), in 32
        # bits when every key fits.
        keys = np.array(flat, dtype=np.int32 if len(ids) * n < 2**31 else np.int64)
        del flat
        keys *= n
        keys += np.repeat(np.arange(len(lengths), dtype=np.int32), lengths)
        # One sort groups the pairs by term, then document: equal neighbours are one posting.
        keys.sort()
        firsts = _changes(keys)
        tfs = np.empty(len(firsts), dtype=np.int32)  # each run's length, no temporaries
        np.subtract(firsts[1:], firsts[:-1], out=tfs[:-1])
        tfs[-1:] = len(keys) - firsts[-1:]
        pairs = keys[firsts]
        del keys, firsts
        docs = (pairs % n).astype(np.int32)
        pairs //= n
        return self._keep(list(ids), np.bincount(pairs, minlength=len(ids)), docs, tfs, lengths)

    def _from_runs(self, runs: Runs) -> dict[str, int]:
        source = runs.index
        run_of = np.repeat(np.arange(len(runs.starts) - 1, dtype=np.int32), np.diff(runs.starts))
        # Postings are in term, then document order, and runs are in document order, so
        # each term's postings meet each run in one stretch: a posting of the runs' index
        # starts wherever the term or the run changes.
        runs_of = run_of[source._docs]
        firsts = _changes(runs_of, also=source._starts[:-1])
        # Whole counts times whole weights: float32 sums them exactly, in half the memory.
        weighted = runs.weights.astype(np.float32)[source._docs]
        weighted *= source._tfs
        tfs = np.add.reduceat(weighted, firsts) if len(firsts) else np.zeros(0)
        del weighted
        lengths = np.add.reduceat(source._lengths * runs.weights, runs.starts[:-1]) if len(run_of) else np.zeros(0)
        document_counts = np.diff(np.searchsorted(firsts, source._starts))
        return self._keep(source._terms, document_counts, runs_of[firsts], tfs, lengths)

    def _keep(self, terms: list[str], document_counts: np.ndarray, docs: np.ndarray, tfs: np.ndarray, lengths: np.ndarray) -> dict[str, int]:
        """Hold postings (sorted by term, then document; `document_counts` a term) and the
        statistics rank-bm25 keeps."""
        self._terms = terms
        self._term_ids = {t: i for i, t in enumerate(terms)}
        self._docs = np.asarray(docs, dtype=np.int32)
        self._tfs = np.asarray(tfs, dtype=np.float32)  # kept: a grouped index is built from them
        self._starts = np.concatenate([[0], np.cumsum(document_counts)]).astype(np.int64)
        self._lengths = np.asarray(lengths, dtype=np.int64)
        self.doc_len = self._lengths.tolist()
        self.corpus_size = len(self._lengths)
        self.avgdl = float(self._lengths.mean()) if self.corpus_size else 0.0
        self.doc_freq = dict(zip(terms, document_counts.tolist(), strict=True))  # documents holding each term
        return self.doc_freq

    def postings(self) -> Postings:
        """The arrays this index is made of, to store and rebuild it (`LuceneBM25(postings)`)."""
        return Postings(self._terms, self._starts, self._docs, self._tfs, self._lengths)

    def _calc_idf(self, nd: dict[str, int]) -> None:
        n = self.corpus_size
        self.idf = {t: math.log(1 + (n - df + 0.5) / (df + 0.5)) for t, df in nd.items()}
        self.average_idf = sum(self.idf.values()) / len(self.idf) if self.idf else 0.0

    def _postings(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        i = self._term_ids.get(term)
        if i is None:
            return None
        start, end = self._starts[i], self._starts[i + 1]
        return self._docs[start:end], self._parts[start:end]

    def documents(self, term: str) -> np.ndarray | None:
        """The documents that hold `term`, in order; None when none does."""
        postings = self._postings(term)
        return None if postings is None else postings[0]

    def score(self, query: dict[str, float]) -> np.ndarray:
        """Every document's score for `query` (term -> weight)."""
        scores = np.zeros(self.corpus_size)
        for term, weight in query.items():
            postings = self._postings(term)
            if postings is not None:
                scores[postings[0]] += weight * postings[1]
        return scores

    def held(self, query: dict[str, float], start: int, end: int) -> np.ndarray:
        """For documents `start` to `end - 1`: the sum of weight x idf of the query terms
        each holds, however often (a sentence's match, where BM25's saturation is moot)."""
        held = np.zeros(end - start)
        for term, weight in query.items():
            postings = self._postings(term)
            if postings is not None:
                docs = postings[0]
                first, last = np.searchsorted(docs, (start, end))
                held[docs[first:last] - start] += weight * self.idf[term]
        return held

    def most_held(self, terms: Iterable[str]) -> int:
        """The most of `terms` that any one document holds."""
        docs = [self._postings(t)[0] for t in terms if t in self._term_ids]
        if not docs:
            return 0
        return int(np.bincount(np.concatenate([np.unique(d) for d in docs])).max())

    def lengths(self, start: int, end: int) -> np.ndarray:
        """Documents' lengths in tokens, `start` to `end - 1`."""
        return self._lengths[start:end]

    def get_scores(self, query: list[str]) -> np.ndarray:
        """rank-bm25's interface: every document's score for a tokenized query."""
        return self.score(Counter(query))

    def get_batch_scores(self, query: list[str], doc_ids: list[int]) -> list[float]:
        """rank-bm25's interface: the scores of the documents `doc_ids`."""
        return self.get_scores(query)[doc_ids].tolist()
