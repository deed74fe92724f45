"""BM25 over passages and over sentences, with a Lucene IDF.

rank-bm25 0.2.2's Okapi IDF is log((N - n + 0.5) / (n + 0.5)) floored at a shared epsilon:
on 12 passages a term in exactly 6 of them weighs 0 and every term in more than 6 weighs
the same (rank-bm25 issue #39). Lucene's ln(1 + (N - n + 0.5) / (n + 0.5)) stays positive
and keeps its order, so scores from different questions stay comparable.
"""

from __future__ import annotations

import math
from collections import Counter

from rank_bm25 import BM25Okapi

# Chosen on the dev questions (see benchmarks/README.md): b below Lucene's 0.75 because a
# long section is long for its many facts, not for repeating itself.
K1 = 1.2
B = 0.5


class LuceneBM25(BM25Okapi):
    """rank-bm25's index and term statistics, scored through postings."""

    def __init__(self, corpus: list[list[str]], k1: float = K1, b: float = B):
        super().__init__(corpus, k1=k1, b=b)
        self.postings: dict[str, list[tuple[int, int]]] = {}
        for doc, freqs in enumerate(self.doc_freqs):
            for term, tf in freqs.items():
                self.postings.setdefault(term, []).append((doc, tf))
        avgdl = self.avgdl or 1.0
        self._norm = [k1 * (1 - b + b * length / avgdl) for length in self.doc_len]

    def _calc_idf(self, nd: dict[str, int]) -> None:
        n = self.corpus_size
        self.idf = {t: math.log(1 + (n - df + 0.5) / (df + 0.5)) for t, df in nd.items()}
        self.average_idf = sum(self.idf.values()) / len(self.idf) if self.idf else 0.0

    def score(self, query: dict[str, float]) -> dict[int, float]:
        """Scores of the documents that share a term with `query` (term -> weight)."""
        scores: dict[int, float] = {}
        k1 = self.k1
        for term, weight in query.items():
            idf = self.idf.get(term)
            if idf is None:
                continue
            for doc, tf in self.postings[term]:
                scores[doc] = scores.get(doc, 0.0) + weight * idf * tf * (k1 + 1) / (tf + self._norm[doc])
        return scores

    def get_scores(self, query: list[str]) -> list[float]:  # rank-bm25's interface, kept for parity
        found = self.score(dict(Counter(query)))
        return [found.get(i, 0.0) for i in range(self.corpus_size)]
