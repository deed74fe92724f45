"""A question to a large folder reads ahead what does not wait for its meaning: its vector is
made on another thread while words are scored, and the rows of the sections words rank
highest are read meanwhile. None of it may change a number an answer is made from."""

from __future__ import annotations

import threading
from concurrent.futures import Future

import numpy as np
import pytest

from knowledge.rank import meaning as meaning_module
from knowledge.rank.fusion import meant_matches
from knowledge.rank.meaning import UNREAD, Meaning
from knowledge.rank.semantic import DIMENSIONS, Encoder, SemanticUnavailable, Soon
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


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    try:
        return Encoder.load().ready()
    except SemanticUnavailable as error:
        pytest.skip(str(error))


QUESTIONS = ["what does a data analyst earn?", "do I need a degree?", "is the work stressful", "how do I start?"]


def test_a_question_encoded_on_another_thread_gets_the_same_vector(encoder):
    alone = {q: encoder.encode([q])[0] for q in QUESTIONS}
    for q in QUESTIONS:
        assert np.array_equal(encoder.encode_soon(q).result(), alone[q])
    # Several askers at once (a server's threads), more than the question threads.
    got: dict[tuple[int, str], np.ndarray] = {}

    def ask(worker: int) -> None:
        for q in QUESTIONS:
            got[worker, q] = encoder.encode_soon(q).result()

    threads = [threading.Thread(target=ask, args=(w,)) for w in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert len(got) == 6 * len(QUESTIONS)
    assert all(np.array_equal(vector, alone[q]) for (_, q), vector in got.items())


def test_a_vector_whose_thread_has_not_begun_is_made_by_the_asker(encoder):
    waiting = Future()  # queued, never picked up (a busy machine's thread, not yet on a core)
    got = Soon(QUESTIONS[0], encoder, waiting).result()
    assert waiting.cancelled() and np.array_equal(got, encoder.encode([QUESTIONS[0]])[0])


def test_a_question_that_cannot_be_encoded_raises_where_its_vector_is_awaited(encoder, monkeypatch):
    def broken(self, session, texts):
        raise RuntimeError("the model failed")

    monkeypatch.setattr(Encoder, "_run", broken)
    pending = encoder.encode_soon("what does it pay?")
    with pytest.raises(RuntimeError, match="the model failed"):
        pending.result()


def test_a_large_index_answers_alike_with_the_vector_made_on_another_thread(monkeypatch, tmp_path):
    monkeypatch.setenv("CAREER_CHAT_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(meaning_module, "EXACT_ROWS", 10)  # the bundled article, read as a large folder is
    from knowledge import KnowledgeBase

    kb = KnowledgeBase.load(semantic=True)
    if kb.encoder is None:
        pytest.skip("the sentence model is not in use")
    assert not kb.meaning.exact
    asked: list[str] = []
    real = Encoder.encode_soon
    monkeypatch.setattr(Encoder, "encode_soon", lambda self, text: asked.append(text) or real(self, text))
    threaded = [kb.ask(q).model_dump() for q in QUESTIONS]
    assert asked == QUESTIONS
    monkeypatch.setattr(Encoder, "encode_soon", lambda self, text: Soon(text, self, None))  # made by the asker
    assert [kb.ask(q).model_dump() for q in QUESTIONS] == threaded
