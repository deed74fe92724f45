"""A progress bar for long work on a terminal (a first load, its meaning, an eval run):
rich's, on the stream given (stderr), gone when the work is done.

Its own module so that `career-chat ask` can offer one without importing the eval report.
Callers show it only on a terminal, never on a pipe.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TextIO


def progress_bar(stream: TextIO, label: str = "", after: float = 0.0) -> Callable[[int, int], None]:
    """`update(done, total)`: a bar on `stream`, shown once `after` seconds have passed (quick
    work stays quiet) and cleared when `done` reaches `total`; a later call with work left
    starts it again (a load's second stage). Safe to call from several threads."""
    start = time.monotonic()
    lock = threading.Lock()
    shown: dict = {}

    def update(done: int, total: int) -> None:
        with lock:
            if not shown and done >= total:
                return
            if not shown:
                if time.monotonic() - start < after:
                    return
                from rich.console import Console
                from rich.progress import (
                    BarColumn,
                    MofNCompleteColumn,
                    Progress,
                    TextColumn,
                    TimeRemainingColumn,
                )

                bar = Progress(
                    TextColumn(label, markup=False),
                    BarColumn(),
                    MofNCompleteColumn(),
                    TimeRemainingColumn(),
                    console=Console(file=stream, highlight=False),
                    transient=True,
                )
                bar.start()
                shown.update(bar=bar, task=bar.add_task(label, total=total))
            shown["bar"].update(shown["task"], completed=done, total=total)
            if done >= total:
                shown.pop("bar").stop()
                shown.clear()

    return update
