"""The values of a function last asked for, each made once while it is kept: a folder keeps
the articles its last answers came from as if each were loaded alone
(`KnowledgeBase._article_base`), a few of the thousands it may hold."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Recent(Generic[K, V]):
    """Values kept for the `most` keys last asked for; safe from several threads (two
    asking for one key at once may both make it: one is kept)."""

    def __init__(self, most: int):
        if most < 1:
            raise ValueError(f"keeps at least one value, not {most}")
        self._most = most
        self._kept: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K, make: Callable[[K], V]) -> V:
        """The value kept for `key`, else `make(key)`, kept. `make` is given here, not held:
        a method of the owner held here would keep the owner alive in a cycle."""
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
        value = make(key)  # outside the lock: one slow make holds up no other thread
        with self._lock:
            self._kept[key] = value
            self._kept.move_to_end(key)
            while len(self._kept) > self._most:
                self._kept.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._kept)
