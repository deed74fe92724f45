"""A progress bar for long work on a terminal (a first load, an eval run).

Its own module so that `career-chat ask` can offer one without importing the eval report.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO


def progress_bar(stream: TextIO, label: str = "", width: int = 30, after: float = 0.0) -> Callable[[int, int], None]:
    """A one-line bar on `stream` (a terminal), redrawn in place, cleared at the end;
    shown only once `after` seconds have passed, so quick work stays quiet."""
    start = time.monotonic()
    shown = False

    def update(done: int, total: int) -> None:
        nonlocal shown
        if not shown and time.monotonic() - start < after:
            return
        shown = True
        filled = width * done // max(total, 1)
        prefix = f"{label} " if label else ""
        stream.write(f"\r{prefix}[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            stream.write("\r" + " " * (len(prefix) + width + 24) + "\r")
        stream.flush()

    return update
