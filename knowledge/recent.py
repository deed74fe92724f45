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
    """Values kept for the keys last asked for while their weights (`weigh`: one each
    unless given) add up to no more than `most`, the newest always kept: a few large
    articles weigh as much as many small ones. Safe from several threads (two asking for
    one key at once may both make it: one is kept)."""

    def __init__(self, most: int, weigh: Callable[[V], int] | None = None):
        if most < 1:
            raise ValueError(f"keeps at least one value, not {most}")
        self._most = most
        self._weigh = weigh
        self._kept: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._weight = 0
        self._lock = threading.Lock()

    def get(self, key: K, make: Callable[[K], V]) -> V:
        """The value kept for `key`, else `make(key)`, kept. `make` is given here, not held:
        a method of the owner held here would keep the owner alive in a cycle."""
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key][0]
        value = make(key)  # outside the lock: one slow make holds up no other thread
        weight = self._weigh(value) if self._weigh is not None else 1
        with self._lock:
            if key in self._kept:  # made meanwhile by another thread: one is kept
                self._weight -= self._kept.pop(key)[1]
            self._kept[key] = (value, weight)
            self._weight += weight
            while self._weight > self._most and len(self._kept) > 1:
                self._weight -= self._kept.popitem(last=False)[1][1]
        return value

    def __len__(self) -> int:
        return len(self._kept)
