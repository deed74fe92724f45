"""Background encoding whatever the caller's code does: a progress callback that raises is
said once and encoding goes on to the end; no thread to be had ends the encoding plainly;
`wait()` never hangs on an encoder that is not running."""

from __future__ import annotations

import shutil
import threading
import warnings

import numpy as np
import pytest

from knowledge import KnowledgeBase
from knowledge.rank.encoding import Encoding

from .conftest import DATA


def _encoding(articles: int, progress=None, threads: int = 1) -> tuple[Encoding, list[int]]:
    stored: list[int] = []
    encoding = Encoding(list(range(articles)), lambda a: np.zeros((1, 2)), lambda a, v: stored.append(a), progress, threads=threads)
    return encoding, stored


@pytest.mark.parametrize("threads", [1, 2])
def test_a_progress_callback_that_raises_does_not_stop_encoding(threads):
    calls: list[int] = []

    def progress(done: int, total: int) -> None:
        calls.append(done)
        raise OSError("stderr is gone")

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        encoding, stored = _encoding(6, progress, threads)
        assert encoding.start().wait(60)
    assert sorted(stored) == list(range(6)) and encoding.encoded == 6 and encoding.error is None
    said = [str(w.message) for w in caught if "progress" in str(w.message)]
    assert len(said) == 1 and "stderr is gone" in said[0]
    assert 1 <= len(calls) <= threads  # not called again once it failed


def test_with_no_thread_to_be_had_wait_returns_and_says_why(monkeypatch):
    def refuse(self):
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(threading.Thread, "start", refuse)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        encoding, stored = _encoding(3)
        encoding.start()
        assert encoding.wait(60) and encoding.finished
    assert stored == [] and isinstance(encoding.error, RuntimeError)
    assert any("can't start new thread" in str(w.message) for w in caught)


def test_one_thread_refused_the_others_encode_everything(monkeypatch):
    real = threading.Thread.start
    refused: list[str] = []

    def second_refused(self):
        if self.name.endswith("-1"):
            refused.append(self.name)
            raise RuntimeError("can't start new thread")
        real(self)

    monkeypatch.setattr(threading.Thread, "start", second_refused)
    encoding, stored = _encoding(5, threads=2)
    encoding.start()
    assert refused and encoding.wait(60)
    assert sorted(stored) == list(range(5)) and encoding.error is None


def test_a_load_that_waits_finishes_despite_a_failing_progress_callback(tmp_path, monkeypatch):
    """The caller's progress callback fails in the encoding threads (a closed stderr, say):
    the load still returns with meaning complete, and the answers are meaning's."""
    monkeypatch.setenv("CAREER_CHAT_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "articles"
    folder.mkdir()
    for path in sorted(DATA.glob("*.md"))[:5]:  # more than one an encoding thread
        shutil.copy(path, folder / path.name)

    def progress(done: int, total: int) -> None:
        if threading.current_thread().name.startswith("career-chat-encode"):
            raise ValueError("the caller's bar broke")

    loaded: list[KnowledgeBase] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        loading = threading.Thread(target=lambda: loaded.append(KnowledgeBase.load(folder, wait=True, progress=progress)), daemon=True)
        loading.start()
        loading.join(120)
    assert not loading.is_alive(), "the load hung"
    (kb,) = loaded
    assert kb.meaning_state == "complete" and kb.wait(0)
    assert kb.ask("what does it pay?").meaning == "complete"


def test_wait_returns_once_no_encoding_thread_is_alive(monkeypatch):
    """Should the threads end without saying so (here: their ending is made a no-op),
    `wait()` without a timeout still returns once none of them is alive."""
    monkeypatch.setattr(Encoding, "_ended", lambda self, refused=None: None)
    encoding, stored = _encoding(3, threads=2)
    encoding.start()
    waited = threading.Thread(target=encoding.wait, daemon=True)
    waited.start()
    waited.join(60)
    assert not waited.is_alive(), "wait() hung on threads that had ended"
    assert sorted(stored) == [0, 1, 2] and encoding.finished
