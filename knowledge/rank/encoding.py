"""Articles' sentences encoded in the background, one thread a core, while questions are
answered by words: each article's vectors are stored and join the ranking as soon as made.

The threads are daemons, stopped at a normal interpreter exit (after the article each is
on): a script that asks one question of a new folder and ends does not wait for the whole
folder, and what it encoded is kept for the next run. (The command line ends with os._exit,
so `career-chat ask` keeps nothing of a background encoding: its `--wait` encodes first.)
"""

from __future__ import annotations

import atexit
import os
import threading
import warnings
from collections.abc import Callable

import numpy as np

# Threads that encode, at most (onnxruntime's one-thread sessions, side by side).
MOST_THREADS = 8
# Each thread gives its freed memory back to the system after this many articles.
TRIM_EVERY = 8


def give_back_memory() -> None:
    """Return freed heap memory to the system (glibc's malloc_trim; elsewhere nothing).
    Each encoding thread allocates from a malloc arena of its own, which keeps what the
    model's runs freed: a thousand-article first load's peak was tens of MB higher."""
    global _trim
    if _trim is None:
        _trim = _malloc_trim()
    _trim()


def _malloc_trim() -> Callable[[], None]:
    try:
        import ctypes

        trim = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc
        return lambda: None
    return lambda: trim(0) and None


_trim: Callable[[], None] | None = None


class Encoding:
    """Encodes `articles` (indexes) with `encode(article) -> vectors`, handing each result
    to `done(article, vectors)`, in worker threads; `progress(done, total)` after each."""

    def __init__(
        self,
        articles: list[int],
        encode: Callable[[int], np.ndarray],
        done: Callable[[int, np.ndarray], None],
        progress: Callable[[int, int], None] | None = None,
        threads: int | None = None,
        finished: Callable[[], None] | None = None,
    ):
        """`finished()` is called once every article is encoded (not when stopped short)."""
        self._waiting = list(reversed(articles))
        self._total = len(articles)
        self._encode, self._done, self._progress, self._on_finish = encode, done, progress, finished
        self._lock = threading.Lock()
        self._finished = threading.Event()
        self._stop = threading.Event()
        self.encoded = 0
        self.error: Exception | None = None
        count = max(1, min(threads or os.cpu_count() or 1, MOST_THREADS, len(articles)))
        self._running = count
        self._threads = [threading.Thread(target=self._work, name=f"career-chat-encode-{i}", daemon=True) for i in range(count)]
        if not articles:
            self._finished.set()

    def start(self) -> "Encoding":
        if self._waiting:
            atexit.register(self.stop)
            for thread in self._threads:
                thread.start()
        return self

    @property
    def finished(self) -> bool:
        return self._finished.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Until every article is encoded (or encoding failed or stopped); whether it ended."""
        return self._finished.wait(timeout)

    def stop(self) -> None:
        """Stop after the articles being encoded now (each is stored as it ends)."""
        self._stop.set()
        for thread in self._threads:
            if thread.is_alive() and thread is not threading.current_thread():
                thread.join()

    def _next(self) -> int | None:
        with self._lock:
            if self._stop.is_set() or self.error is not None or not self._waiting:
                return None
            return self._waiting.pop()

    def _work(self) -> None:
        try:
            while (article := self._next()) is not None:
                try:
                    vectors = self._encode(article)
                    self._done(article, vectors)
                except Exception as error:  # noqa: BLE001 - said once; the rest answer by words
                    with self._lock:
                        if self.error is None:
                            self.error = error
                            warnings.warn(
                                f"career-chat: meaning stops short, the rest is answered by words: {error}", RuntimeWarning, stacklevel=1
                            )
                    return
                with self._lock:
                    self.encoded += 1
                    encoded = self.encoded
                if encoded % TRIM_EVERY == 0:
                    give_back_memory()
                if self._progress:
                    self._progress(encoded, self._total)
        finally:
            with self._lock:
                self._running -= 1
                last = self._running == 0
            if last:
                if self._on_finish and self.error is None and self.encoded == self._total:
                    try:
                        self._on_finish()
                    except Exception:  # noqa: BLE001 - a cache that cannot be written is no failure
                        pass
                self._finished.set()
                atexit.unregister(self.stop)
