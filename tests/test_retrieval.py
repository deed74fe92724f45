"""The postings index scores exactly as rank-bm25's Okapi model with Lucene's IDF."""

import math
import random

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from knowledge.rank.retrieval import Joined, LuceneBM25, Runs


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


@pytest.mark.parametrize("seed", range(3))
def test_an_index_of_runs_equals_one_built_from_their_tokens(seed):
    docs = corpus(seed, documents=40)
    starts = np.array([0, 3, 4, 10, 25, 40])  # runs of 3, 1, 6, 15 and 15 documents
    weights = np.random.default_rng(seed).integers(1, 4, size=len(docs))
    runs = LuceneBM25(Runs(LuceneBM25(docs), starts, weights))
    tokens = [
        [t for d in range(a, b) for t in docs[d] * int(weights[d])] for a, b in zip(starts[:-1], starts[1:], strict=True)
    ]
    direct = LuceneBM25(tokens)
    assert runs.doc_len == direct.doc_len and runs.doc_freq == direct.doc_freq
    query = {"w0": 1.0, "w2": 0.5, "w9": 2.0, "w30": 1.0}
    assert np.allclose(runs.score(query), direct.score(query))


@pytest.mark.parametrize("stray", [False, True])
def test_an_index_of_joined_tokens_equals_one_built_from_lists(stray):
    """Documents given as joined strings (more than one batch of them, some empty) index as
    their token lists do; so do strings with stray spaces, as an edited cache could hold."""
    docs = corpus(3, documents=1300)
    texts = [" ".join(d) for d in docs]
    if stray:
        texts[5] = "  " + texts[5].replace(" ", "   ") + " "
    joined, direct = LuceneBM25(Joined(texts)), LuceneBM25(docs)
    assert joined.doc_len == direct.doc_len and joined.doc_freq == direct.doc_freq
    query = {"w0": 1.0, "w5": 0.5, "w33": 2.0}
    assert np.array_equal(joined.score(query), direct.score(query))


def test_an_index_rebuilt_from_its_postings_scores_the_same():
    docs = corpus(4)
    original = LuceneBM25(docs)
    rebuilt = LuceneBM25(original.postings())
    query = {"w0": 1.0, "w3": 0.5, "w21": 2.0}
    assert rebuilt.doc_freq == original.doc_freq and rebuilt.doc_len == original.doc_len
    assert np.array_equal(rebuilt.score(query), original.score(query))


def test_postings_that_could_fail_or_read_out_of_bounds_are_not_sound():
    from dataclasses import replace

    docs = corpus(5)
    postings = LuceneBM25(docs).postings()
    assert postings.sound(len(docs))
    swapped = postings.docs.copy()
    swapped[[0, 1]] = swapped[[1, 0]]  # the first term is in more than one document
    unsound = [
        # the last document's postings moved one past the end: still in order, out of bounds
        replace(postings, docs=np.where(postings.docs == len(docs) - 1, len(docs), postings.docs).astype(np.int32)),
        replace(postings, docs=swapped),
        replace(postings, docs=postings.docs.astype(np.int64)),
        replace(postings, tfs=np.full_like(postings.tfs, np.nan)),
        replace(postings, starts=postings.starts[:-1]),
        replace(postings, terms=postings.terms[:-1] + postings.terms[:1]),  # a term twice
        replace(postings, lengths=postings.lengths[:-1]),
    ]
    assert postings.starts[1] > 1
    assert not any(p.sound(len(docs)) for p in unsound)
    assert not postings.sound(len(docs) + 1)


def test_most_held_counts_distinct_terms_in_one_document():
    index = LuceneBM25([["miss", "family", "family"], ["miss"], ["family", "event"]])
    assert index.most_held(["miss", "family"]) == 2  # the first holds both; "family" twice counts once
    assert index.most_held(["miss", "event"]) == 1
    assert index.most_held(["absent"]) == 0 and index.most_held([]) == 0
