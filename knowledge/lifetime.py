"""A child process that ends with the process that started it.

Killed outright (SIGKILL, the OOM killer), a process cannot stop its children: a worker
waiting on its queue, or serving on a port, went on for ever. Each child watches its
parent instead, from a thread of its own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from multiprocessing.process import BaseProcess


def when_gone(parent: BaseProcess, then: Callable[[], object], name: str) -> None:
    """Call `then` in this process once `parent` has ended, however it ended (its handle
    is ready at once if it already has)."""
    threading.Thread(target=_after, args=(parent, then), name=name, daemon=True).start()


def _after(parent: BaseProcess, then: Callable[[], object]) -> None:
    parent.join()  # returns once the parent has ended (its end of a pipe closed)
    then()
