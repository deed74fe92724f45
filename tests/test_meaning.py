"""The meaning index of a large folder reads only a shortlist's rows; what it gives for them
is what reading every row gives, and every other section stands at its gist and heading."""

from __future__ import annotations

import numpy as np
import pytest

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
    rest /= np.maximum(np.linalg.norm(rest, axis=1, keepdims=True), 0.01)  # a row along it: near 0
    return rest @ (question - (question @ direction) * direction)


def _articles(exact: bool, monkeypatch, shortlist: int = 30, seed: int = 5):
    """Articles of 1 to 7 sections (a one-section article among them), sections of 0 to 4
    sentences (0: a heading alone), every row of an article leaning its subject's way, as
    real articles' rows do; `shortlist`: sections a large index reads by words."""
    if not exact:
        monkeypatch.setattr(meaning_module, "EXACT_ROWS", 10)
        monkeypatch.setattr(meaning_module, "SHORTLIST_WORDS", shortlist)
        monkeypatch.setattr(meaning_module, "SHORTLIST_MEANING", 0)
    rng = np.random.default_rng(seed)
    sizes = [7, 1, 5, 3]
    bounds = [(sum(sizes[:i]), sum(sizes[: i + 1])) for i in range(len(sizes))]
    sections = sum(sizes)
    counts = rng.integers(0, 5, size=sections)
    counts[0] = 2  # the first article's first section has sentences
    starts = np.concatenate([[0], np.cumsum(counts + 1)])
    index = Meaning(starts, bounds)
    subjects = unit(rng.normal(size=(len(sizes), 384))).astype(np.float32)
    owner = np.repeat(np.arange(len(sizes)), [int(starts[end] - starts[first]) for first, end in bounds])
    vectors = unit(3.0 * subjects[owner] + rng.normal(size=(int(starts[-1]), 384)) / 10)
    for article, (first, end) in enumerate(bounds):
        index.add(article, vectors[int(starts[first]) : int(starts[end])])
    return index, starts, vectors, rng


def test_apart_measures_what_a_question_asks_beside_its_articles_subject(monkeypatch):
    """Taken apart from its article's direction (the mean of its gists), a row is measured
    against the question's rest: the long way and the engine's way agree, for an index read
    whole and one read by shortlist (where a section not read stands at its gist, and a
    heading alone at -1 read whole, at its gist read by shortlist, as raw similarity does)."""
    for exact, shortlist in ((True, 30), (False, 30), (False, 6)):
        index, starts, vectors, rng = _articles(exact, monkeypatch, shortlist)
        assert index.exact == exact
        question = unit(rng.normal(size=(1, 384)) / 30 + index.directions[0])[0].astype(np.float32)
        got = index.match(question, rng.random(len(index.starts)))
        moved = index.apart(got, question, np.arange(len(index.starts)))
        rows = vectors.astype(np.float32)
        unread = 0
        for s in range(len(index.starts)):
            first, end = index.article_sections[int(index.section_articles[s])]
            direction = index.gists[first:end].sum(axis=0)
            direction /= np.linalg.norm(direction)
            low, heading = int(starts[s]), int(starts[s + 1]) - 1
            beside = _beside(rows[low : heading + 1], question, direction)
            assert np.isclose(moved.headings[s], beside[-1], atol=5e-3)
            if end - first == 1:  # an article's one gist is its direction: nothing beside it
                assert abs(moved.gist[s]) < 1e-3
            elif heading > low:
                assert np.isclose(moved.gist[s], _beside(index.gists[s : s + 1], question, direction)[0], atol=5e-3)
            if got.rows[heading] == UNREAD:  # not read
                unread += 1
                assert moved.sentence[s] == moved.gist[s]
            elif heading > low:
                assert np.isclose(moved.sentence[s], beside[:-1].max(), atol=5e-3)
            else:
                assert moved.sentence[s] == (-1.0 if exact else moved.gist[s])
        assert unread > 0 if shortlist < 16 else unread == 0
        # Raw cosines are all high (every row shares the subject); apart, they spread out.
        mine = np.flatnonzero(np.diff(starts)[:7] > 1)  # the first article's sections with sentences
        assert got.sentence[mine].min() > 0.5 and moved.sentence[mine].min() < 0.3


def test_rows_read_back_are_measured_apart_as_when_they_were_encoded(monkeypatch):
    """A folder reloaded from its file measures each article's direction from the file's
    gists, and each row's place along it when first read: the very numbers the first load
    made, bit for bit."""
    for seed in (5, 6, 7):
        index, starts, vectors, rng = _articles(False, monkeypatch, seed=seed)
        again = Meaning(starts, index.article_sections)
        stored = np.concatenate([vectors, *index.stored()])
        assert again.adopt(stored)
        assert np.isnan(again.row_along).all()
        for name in ("directions", "gist_along", "heading_along"):
            assert np.array_equal(getattr(again, name), getattr(index, name)), name
        question = unit(rng.normal(size=(1, 384)))[0].astype(np.float32)
        words = rng.random(len(index.starts))
        every = np.arange(len(index.starts))
        first = index.apart(index.match(question, words), question, every)
        second_match = again.match(question, words)
        second = again.apart(second_match, question, every)
        for name in ("sentence", "headings", "gist"):
            assert np.array_equal(getattr(first, name), getattr(second, name)), name
        read = second_match.rows > UNREAD
        read[index.headings] = False  # a heading's place is its section's, not read as a row
        assert read.any() and np.array_equal(again.row_along[read], index.row_along[read])


@pytest.mark.parametrize("exact", [True, False])
def test_a_damaged_row_in_a_file_measures_as_a_cosine_or_as_not_read(exact, monkeypatch):
    """A folder file is untrusted: an infinite, missing or overlong number in a row (either
    way) leaves every similarity a cosine or UNREAD, and every figure made from them finite."""
    index, starts, vectors, rng = _articles(exact, monkeypatch)
    damaged = vectors.copy()
    damaged[int(starts[0])] = np.inf
    damaged[int(starts[0]) + 1, :3] = np.nan
    damaged[int(starts[1])] = 60000.0  # finite, far past a unit vector
    damaged[int(starts[2])] = -60000.0
    again = Meaning(starts, index.article_sections)
    assert again.adopt(np.concatenate([damaged, *index.stored()]))
    for _ in range(4):
        question = unit(rng.normal(size=(1, 384)))[0].astype(np.float32)
        raw = again.match(question, rng.random(len(index.starts)))
        for name in ("similarity", "rows", "headings", "sentence", "gist"):
            values = getattr(raw, name)
            assert (((values >= -1.0) & (values <= 1.0)) | (values == UNREAD)).all(), name
        assert np.isfinite(raw.spread).all()
        got = again.apart(raw, question, np.arange(len(index.starts)))
        for name in ("sentence", "headings", "gist"):
            values = getattr(got, name)
            assert (((values >= -1.0) & (values <= 1.0)) | (values == UNREAD)).all(), name


@pytest.mark.parametrize("part", ["gist", "heading"])
def test_a_file_whose_gists_or_headings_no_model_made_is_not_adopted(part, monkeypatch):
    """A section's gist or heading vector longer than a unit vector (or not finite) in a
    folder file: the file is not taken (its articles' rows are read or encoded again)."""
    index, starts, vectors, _ = _articles(False, monkeypatch)
    stored = np.concatenate([vectors, *index.stored()]).astype(np.float32)
    row = index.total + (0 if part == "gist" else len(index.starts))
    for bad in (60000.0, np.inf):
        damaged = stored.copy()
        damaged[row] = bad
        assert not Meaning(starts, index.article_sections).adopt(damaged)
    assert Meaning(starts, index.article_sections).adopt(stored)


def test_a_small_index_measures_its_rows_from_one_copy_as_when_converting_them(monkeypatch):
    """A complete small index keeps its rows as float32 once for every question: the same
    numbers, bit for bit, as converting the rows each question reads; made again when the
    rows change (a folder's file adopted), never while an article is still missing."""
    index, starts, vectors, rng = _articles(True, monkeypatch)
    question = unit(rng.normal(size=(1, 384)))[0].astype(np.float32)
    spans = [(0, index.total)] + [(int(a), int(b)) for a, b in zip(index.starts, index.ends)]
    for first, end in spans:
        converted = meaning_module._cosines(meaning_module._float32(index.vectors[first:end]) @ question)
        assert np.array_equal(index.rows(first, end, question), converted)
    other = unit(rng.normal(size=vectors.shape))
    assert index.adopt(np.concatenate([other, *index.stored()]), rows_only=True)
    assert np.array_equal(index.rows(0, index.total, question), meaning_module._cosines(other.astype(np.float32) @ question))
    waiting = Meaning(starts, index.article_sections)
    waiting.add(0, vectors[: int(starts[7])])
    assert not waiting.complete and waiting._whole_rows() is None
