"""A question to a large folder reads only what its answer is made from: the rows of its
shortlist (those of the sections words rank highest can be read ahead, before its vector
is in), and word matches only where a row was read. None of it may change a number."""

from __future__ import annotations

import numpy as np

from knowledge.rank import meaning as meaning_module
from knowledge.rank.fusion import meant_matches
from knowledge.rank.meaning import UNREAD, Meaning
from knowledge.rank.semantic import DIMENSIONS
from knowledge.store.cache import read_folder_vectors, write_folder_vectors


def _large(monkeypatch, sections: int = 40) -> tuple[Meaning, np.ndarray, np.random.Generator]:
    monkeypatch.setattr(meaning_module, "EXACT_ROWS", 10)
    monkeypatch.setattr(meaning_module, "SHORTLIST_WORDS", 6)
    monkeypatch.setattr(meaning_module, "SHORTLIST_MEANING", 4)
    rng = np.random.default_rng(11)
    counts = rng.integers(0, 6, size=sections)  # sentences a section; 0: a heading alone
    starts = np.concatenate([[0], np.cumsum(counts + 1)])
    half = sections // 2
    index = Meaning(starts, [(0, half), (half, sections)])
    vectors = rng.normal(size=(int(starts[-1]), DIMENSIONS))
    vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float16)
    low = int(starts[half])
    index.add(0, vectors[:low])
    index.add(1, vectors[low:])
    assert not index.exact and index.complete
    return index, vectors, rng


def _same(a, b) -> None:
    for name in ("similarity", "rows", "headings", "sentence", "gist", "shortlist", "read", "firsts"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    assert a.closest == b.closest and a.spread == b.spread


def test_rows_read_ahead_give_the_very_numbers_a_match_reads_itself(monkeypatch):
    index, _, rng = _large(monkeypatch)
    for _ in range(20):
        question = rng.normal(size=DIMENSIONS).astype(np.float32)
        question /= np.linalg.norm(question)
        words = rng.random(len(index.starts))
        fetched = index.fetch(words)
        assert fetched is not None and len(fetched.sections) == 6
        _same(index.match(question, words, fetched), index.match(question, words))


def test_a_match_reads_from_the_file_only_the_rows_not_read_ahead(monkeypatch):
    index, vectors, rng = _large(monkeypatch)
    words = rng.random(len(index.starts))
    question = vectors[3].astype(np.float32)
    fetched = index.fetch(words)
    index.match(question, words)  # the spread's sample rows, read once an index
    asked: list[np.ndarray] = []

    class Counted:
        def __getitem__(self, rows):
            asked.append(np.asarray(rows))
            return vectors[rows]

    index.vectors = Counted()
    got = index.match(question, words, fetched)
    again = [r for r in asked if len(r)]
    read_here = np.concatenate(again) if again else np.zeros(0, dtype=np.int64)
    assert not np.isin(read_here, fetched.rows).any()
    assert set(read_here) | set(fetched.rows) >= set(got.read)


def test_nothing_is_read_ahead_of_an_index_still_coming_in(monkeypatch):
    monkeypatch.setattr(meaning_module, "EXACT_ROWS", 10)
    starts = np.arange(0, 4 * 5 + 1, 5)
    index = Meaning(starts, [(0, 2), (2, 4)])
    index.add(0, np.ones((10, DIMENSIONS), dtype=np.float16))
    assert index.fetch(np.ones(4)) is None


def test_word_matches_weighed_over_the_rows_read_are_those_over_every_row(monkeypatch):
    index, _, rng = _large(monkeypatch)
    question = rng.normal(size=DIMENSIONS).astype(np.float32)
    question /= np.linalg.norm(question)
    got = index.match(question, rng.random(len(index.starts)))
    scores = rng.random(index.total) * (rng.random(index.total) > 0.5)
    whole = meant_matches(scores, got.rows, index.starts)
    assert (got.rows[np.setdiff1d(np.arange(index.total), got.read)] == UNREAD).all()
    assert np.array_equal(meant_matches(scores, got.rows, index.starts, (got.shortlist, got.read, got.firsts)), whole)


def test_rows_read_by_number_are_the_files_and_a_file_cut_short_reads_as_nan(tmp_path):
    path = tmp_path / "vectors-folder-model.npy"
    rows = np.random.default_rng(5).normal(size=(50, DIMENSIONS)).astype(np.float16)
    write_folder_vectors(path, len(rows), [rows[:20], rows[20:]])
    mapped = read_folder_vectors(path, len(rows))
    try:
        wanted = np.array([0, 1, 2, 7, 19, 20, 21, 30, 48, 49])  # several runs, the last rows too
        assert np.array_equal(mapped[wanted], rows[wanted])
        assert np.array_equal(mapped[3:9], rows[3:9])
        # Cut short after it was checked: the last row and a half are gone.
        with open(path, "r+b") as handle:
            handle.truncate(path.stat().st_size - DIMENSIONS * 3)
        got = mapped[wanted]
        assert np.array_equal(got[:-2], rows[wanted[:-2]])
        assert np.isnan(got[-2:]).all()
    finally:
        mapped.close()
