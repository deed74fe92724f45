"""The postings index scores exactly as rank-bm25's Okapi model with Lucene's IDF."""

import math
import random

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from knowledge.retrieval import LuceneBM25


def corpus(seed: int, documents: int = 60) -> list[list[str]]:
    rng = random.Random(seed)
    words = [f"w{i}" for i in range(40)]
    # Zipf-like draws: some terms in most documents, some in one; a few empty documents.
    return [rng.choices(words, weights=[1 / (i + 1) for i in range(40)], k=rng.randint(0, 30)) for _ in range(documents)]


@pytest.mark.parametrize("seed", range(5))
def test_scores_match_rank_bm25_with_lucene_idf(seed):
    docs = corpus(seed)
    ours = LuceneBM25(docs, k1=1.2, b=0.5)
    reference = BM25Okapi(docs, k1=1.2, b=0.5)
    n = len(docs)
    reference.idf = {t: math.log(1 + (n - df + 0.5) / (df + 0.5)) for t, df in ours.doc_freq.items()}
    assert ours.doc_freq == {t: sum(t in d for d in docs) for t in reference.idf}
    query = random.Random(seed).sample([f"w{i}" for i in range(45)], 6)  # some terms unknown
    assert np.allclose(ours.get_scores(query), reference.get_scores(query))
    assert ours.get_batch_scores(query, [0, 7, 9]) == pytest.approx(reference.get_batch_scores(query, [0, 7, 9]))


def test_weights_scale_each_terms_share():
    ours = LuceneBM25(corpus(11))
    alone = {t: ours.score({t: 1.0}) for t in ("w0", "w3", "w17")}
    weighted = ours.score({"w0": 1.0, "w3": 0.5, "w17": 2.0, "nowhere": 1.0})
    assert np.allclose(weighted, alone["w0"] + 0.5 * alone["w3"] + 2.0 * alone["w17"])


def test_an_empty_corpus_scores_nothing():
    index = LuceneBM25([[]])
    assert index.score({"w": 1.0}).tolist() == [0.0]
