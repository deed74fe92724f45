"""A folder's vectors file that cannot be adopted (damaged numbers, a failing read) is closed
and passed over: the load answers from the articles' own vector files, and no descriptor
of it stays open."""

from __future__ import annotations

import contextlib
import errno
import gc
import os
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from knowledge import KnowledgeBase
from knowledge.rank.semantic import DIMENSIONS
from knowledge.store.cache import RowFile

from .conftest import DATA

QUESTIONS = ["what does it pay?", "do I need a degree?", "how do I get started?"]


@contextlib.contextmanager
def no_file_left_open(path: Path) -> Iterator[None]:
    """Within it, no descriptor on `path` is opened and left open, nor dropped unclosed (a
    ResourceWarning when collected)."""
    gc.collect()  # what earlier loads left to the collector is not this block's
    before = open_descriptors(path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        yield
        gc.collect()
    unclosed = [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]
    assert unclosed == [] and open_descriptors(path) == before


def open_descriptors(path: Path) -> int:
    """How many of this process's descriptors are open on `path`."""
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{fd}") == str(path):
                count += 1
        except OSError:  # closed since it was listed
            pass
    return count


@pytest.fixture
def folder_file(tmp_path, monkeypatch) -> tuple[Path, Path, list]:
    """Four articles whose complete meaning is kept in one vectors file (the size past
    which that happens made small); the folder, that file, and the first load's answers."""
    import knowledge.rank.meaning
    import knowledge.store.cache

    monkeypatch.setattr(knowledge.rank.meaning, "EXACT_ROWS", 100)
    monkeypatch.setattr(knowledge.store.cache, "FOLDER_INDEX_FROM", 4)
    monkeypatch.setenv("CAREER_CHAT_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "articles"
    folder.mkdir()
    for path in sorted(DATA.glob("*.md"))[:4]:
        shutil.copy(path, folder / path.name)
    first = KnowledgeBase.load(folder, wait=True)
    assert not first.meaning.exact
    (whole,) = (tmp_path / "cache").glob("vectors-*.npy")
    return folder, whole, [first.ask(q).model_dump() for q in QUESTIONS]


def test_a_vectors_file_with_damaged_gists_is_closed_and_passed_over(folder_file):
    folder, whole, answers = folder_file
    kept = KnowledgeBase.load(folder)
    assert isinstance(kept.meaning.vectors, RowFile)
    del kept
    # The rows after the sentences' (the sections' gists) made NaN: the right size, unusable.
    data = bytearray(whole.read_bytes())
    data[-2 * DIMENSIONS * 2 :] = np.full(DIMENSIONS * 2, np.nan, dtype=np.float16).tobytes()
    whole.write_bytes(bytes(data))
    with no_file_left_open(whole):
        again = KnowledgeBase.load(folder)
        assert again.meaning_state == "complete"
        assert [again.ask(q).model_dump() for q in QUESTIONS] == answers
        del again  # the file written afresh, and read from, is closed with it
    repaired = KnowledgeBase.load(folder)
    assert isinstance(repaired.meaning.vectors, RowFile)  # the next load takes the new file
    assert [repaired.ask(q).model_dump() for q in QUESTIONS] == answers


def test_a_vectors_file_whose_read_fails_is_closed_and_passed_over(folder_file, monkeypatch):
    folder, whole, answers = folder_file

    def failing(self, first, end):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(RowFile, "_run", failing)
    with no_file_left_open(whole):
        again = KnowledgeBase.load(folder)
        assert again.meaning_state == "complete"
        assert [again.ask(q).model_dump() for q in QUESTIONS] == answers
        del again


def test_an_adopted_vectors_file_is_closed_with_its_knowledge_base(folder_file):
    folder, whole, answers = folder_file
    with no_file_left_open(whole):
        kept = KnowledgeBase.load(folder)
        assert isinstance(kept.meaning.vectors, RowFile) and open_descriptors(whole) == 1
        assert [kept.ask(q).model_dump() for q in QUESTIONS] == answers
        del kept  # dropped without a close: the collector's finalizer closes the file
