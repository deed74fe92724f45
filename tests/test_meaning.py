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


def _beside(rows: np.ndarray, question: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """Each row's rest (its article's direction taken out, made unit length) against the
    question's rest, computed the long way."""
    rest = rows - np.outer(rows @ direction, direction)
    rest /= np.linalg.norm(rest, axis=1, keepdims=True)
    return rest @ (question - (question @ direction) * direction)


def _two_articles(exact: bool, monkeypatch) -> tuple[Meaning, np.ndarray, np.ndarray, np.random.Generator]:
    if not exact:
        monkeypatch.setattr(meaning_module, "EXACT_ROWS", 10)
        monkeypatch.setattr(meaning_module, "SHORTLIST_WORDS", 30)  # every section read
    rng = np.random.default_rng(5)
    counts = rng.integers(1, 5, size=16)
    starts = np.concatenate([[0], np.cumsum(counts + 1)])
    index = Meaning(starts, [(0, 7), (7, 16)])
    # Every row of an article leans one way (its subject), as real articles' rows do.
    subjects = unit(rng.normal(size=(2, 384))).astype(np.float32)
    own = np.repeat([0, 1], [int(starts[7]), int(starts[-1] - starts[7])])
    vectors = unit(3.0 * subjects[own] + rng.normal(size=(int(starts[-1]), 384)) / 10)
    index.add(0, vectors[: int(starts[7])])
    index.add(1, vectors[int(starts[7]) :])
    return index, starts, vectors, rng


def test_apart_measures_what_a_question_asks_beside_its_articles_subject(monkeypatch):
    """Taken apart from its article's direction (the mean of its gists), a row is measured
    against the question's rest: the long way and the engine's way agree, for an index read
    whole and one read by shortlist."""
    for exact in (True, False):
        index, starts, vectors, rng = _two_articles(exact, monkeypatch)
        assert index.exact == exact
        question = unit(rng.normal(size=(1, 384)) / 30 + index.directions[1])[0].astype(np.float32)
        got = index.match(question, rng.random(16))
        rows = vectors.astype(np.float32)
        for s in range(16):
            article = 0 if s < 7 else 1
            direction = index.gists[index.article_sections[article][0] : index.article_sections[article][1]].sum(axis=0)
            direction /= np.linalg.norm(direction)
            first, heading = int(starts[s]), int(starts[s + 1]) - 1
            beside = _beside(rows[first : heading + 1], question, direction)
            assert np.isclose(got.apart.sentence[s], beside[:-1].max(), atol=5e-3)
            assert np.isclose(got.apart.headings[s], beside[-1], atol=5e-3)
            assert np.isclose(got.apart.gist[s], _beside(index.gists[s : s + 1], question, direction)[0], atol=5e-3)
        # Raw cosines are all high (every row shares the subject); apart, they spread out.
        assert got.sentence[7:].min() > 0.5 and got.apart.sentence[7:].min() < 0.3


def test_rows_read_back_are_measured_apart_as_when_they_were_encoded(monkeypatch):
    """A folder reloaded from its file measures each row's place along its article's
    direction when first read: the very numbers the first load made."""
    index, starts, vectors, rng = _two_articles(False, monkeypatch)
    again = Meaning(starts, [(0, 7), (7, 16)])
    stored = np.concatenate([vectors, *index.stored()])
    assert again.adopt(stored)
    assert np.isnan(again.row_along).all()
    question = unit(rng.normal(size=(1, 384)))[0].astype(np.float32)
    words = rng.random(16)
    first, second = index.match(question, words), again.match(question, words)
    for name in ("sentence", "headings", "gist"):
        assert np.array_equal(getattr(first.apart, name), getattr(second.apart, name)), name
    read = second.rows > UNREAD
    assert np.array_equal(again.row_along[read], index.row_along[read])
