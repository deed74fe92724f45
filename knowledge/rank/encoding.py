"""Articles' sentences encoded in the background, one thread a core, while questions are
answered by words: each article's vectors are stored and join the ranking as soon as made.

The threads are daemons, stopped at a normal interpreter exit (after the article each is
on): a script that asks one question of a new folder and ends does not wait for the whole
folder, and what it encoded is kept for the next run. (The command line ends with os._exit,
so `career-chat ask` keeps nothing of a background encoding: its `--wait` encodes first.)
"""

from __future__ import annotations

import atexit
import functools
import os
import threading
import time
import warnings
from collections.abc import Callable

import numpy as np

# Threads that encode, at most (onnxruntime's one-thread sessions, side by side).
MOST_THREADS = 8
# How often `wait` looks whether its threads are still alive, in seconds.
WATCH = 0.5
# Each thread gives its freed memory back to the system after this many articles.
TRIM_EVERY = 8


def give_back_memory() -> None:
    """Return freed heap memory to the system (glibc's malloc_trim; elsewhere nothing).
    Each encoding thread allocates from a malloc arena of its own, which keeps what the
    model's runs freed: a thousand-article first load's peak was tens of MB higher."""
    _malloc_trim()()


@functools.cache
def _malloc_trim() -> Callable[[], None]:
    try:
        import ctypes

        trim = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc
        return lambda: None
    return lambda: trim(0) and None


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
        self._started = False
        self._threads = [threading.Thread(target=self._work, name=f"career-chat-encode-{i}", daemon=True) for i in range(count)]
        if not articles:
            self._finished.set()

    def start(self) -> "Encoding":
        if self._waiting:
            atexit.register(self.stop)
            for thread in self._threads:
                try:
                    thread.start()
                except RuntimeError as error:  # no thread to be had: the others go on without it
                    self._ended(error)
            self._started = True  # from now on, `wait` may look at whether they live
        return self

    @property
    def finished(self) -> bool:
        return self._finished.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Until every article is encoded (or encoding failed or stopped); whether it ended.
        Never longer than its threads live: should none be running, it has ended."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._finished.is_set():
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return False
            if self._finished.wait(WATCH if left is None else min(left, WATCH)):
                break
            if self._started and not any(thread.is_alive() for thread in self._threads):
                self._finished.set()  # nothing left that could set it
        return True

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
                    self._failed(error)
                    return
                with self._lock:
                    self.encoded += 1
                    encoded = self.encoded
                if encoded % TRIM_EVERY == 0:
                    give_back_memory()
                self._report(encoded)
        finally:
            self._ended()

    def _failed(self, error: Exception) -> None:
        with self._lock:
            if self.error is not None:
                return
            self.error = error
        warnings.warn(f"career-chat: meaning stops short, the rest is answered by words: {error}", RuntimeWarning, stacklevel=1)

    def _report(self, encoded: int) -> None:
        """`progress(encoded, total)`: the caller's code, which must not stop the encoding.
        One that raises is said once and not called again."""
        progress = self._progress
        if progress is None:
            return
        try:
            progress(encoded, self._total)
        except Exception as error:  # noqa: BLE001 - a caller's bug (a closed stderr, say)
            with self._lock:
                if self._progress is None:
                    return
                self._progress = None
            warnings.warn(
                f"career-chat: the progress callback failed and is no longer called ({type(error).__name__}: {error}); "
                "encoding goes on",
                RuntimeWarning,
                stacklevel=1,
            )

    def _ended(self, refused: Exception | None = None) -> None:
        """A thread is done (or, `refused`, could not be started); the last one finishes."""
        with self._lock:
            self._running -= 1
            last = self._running == 0
        if not last:
            return
        if refused is not None and self.encoded < self._total:
            self._failed(refused)  # not one thread ran: nothing else will encode
        if self._on_finish and self.error is None and self.encoded == self._total:
            try:
                self._on_finish()
            except Exception:  # noqa: BLE001 - a cache that cannot be written is no failure
                pass
        self._finished.set()
        atexit.unregister(self.stop)
