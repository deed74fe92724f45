"""The meaning index of a large folder reads only a shortlist's rows; what it gives for them
is what reading every row gives, and every other section stands at its gist and heading."""

from __future__ import annotations

import numpy as np

from knowledge.rank import meaning as meaning_module
from knowledge.rank.meaning import UNREAD, Meaning


def unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float16)


def test_a_large_index_reads_the_shortlist_as_a_full_read_would(monkeypatch):
    monkeypatch.setattr(meaning_module, "EXACT_ROWS", 10)
    monkeypatch.setattr(meaning_module, "SHORTLIST_WORDS", 3)
    monkeypatch.setattr(meaning_module, "SHORTLIST_MEANING", 2)
    rng = np.random.default_rng(3)
    counts = rng.integers(0, 6, size=30)  # sentences a section; 0: a heading alone
    starts = np.concatenate([[0], np.cumsum(counts + 1)])
    index = Meaning(starts, [(0, 12), (12, 30)])
    vectors = unit(rng.normal(size=(int(starts[-1]), 384)))
    low = int(starts[12])
    index.add(0, vectors[:low])
    index.add(1, vectors[low:])
    assert not index.exact and index.complete
    question = unit(rng.normal(size=(1, 384)))[0].astype(np.float32)
    words = rng.random(30)
    got = index.match(question, words)

    every = vectors.astype(np.float32) @ question
    read = np.flatnonzero(got.rows > UNREAD)
    shortlist = sorted({int(np.searchsorted(starts, r, side="right") - 1) for r in read})
    assert len(shortlist) >= 3 and set(np.argsort(-words)[:3]) <= set(shortlist)
    for s in range(30):
        first, heading = int(starts[s]), int(starts[s + 1]) - 1
        assert np.isclose(got.headings[s], every[heading], atol=1e-6)
        if s in shortlist:
            assert np.allclose(got.rows[first : heading + 1], every[first : heading + 1], atol=1e-6)
            best = every[first:heading].max() if heading > first else got.gist[s]
            assert np.isclose(got.sentence[s], best, atol=1e-6)
            assert np.isclose(got.similarity[s], max(got.gist[s], every[first : heading + 1].max()), atol=1e-6)
        else:
            assert (got.rows[first : heading + 1] == UNREAD).all()
            assert got.sentence[s] == got.gist[s]
            assert got.similarity[s] == max(got.gist[s], got.headings[s])
    assert np.isclose(got.closest, every[read].max(), atol=1e-6)
