"""Python's cycle collector held off while many long-lived objects are made.

A load or a one-question start makes hundreds of thousands of objects that live on (an
index, numpy, onnxruntime, pydantic, the engine) and no cycles worth collecting; each
collection meanwhile walks the young ones again (a fifth of a cached thousand-article
load, a twentieth of a cold `ask`).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Without the cycle collector, then as it was."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            # What was made meanwhile joins the oldest generation, as survivors of a
            # collection would, without being walked: turned back on with them all still
            # young, the collector's next allocation walked them at once (2 to 3 ms).
            gc.freeze()
            gc.unfreeze()
            gc.enable()
