"""The values a folder keeps of what its last answers needed: each made once while kept,
the least recently asked for let go first, never more than it may keep."""

from __future__ import annotations

import pytest

from knowledge.recent import Recent


def test_a_value_is_made_once_while_kept_and_the_least_recent_goes_first():
    made: list[int] = []

    def make(key: int) -> str:
        made.append(key)
        return f"value {key}"

    kept: Recent[int, str] = Recent(2)
    assert kept.get(1, make) == "value 1" and kept.get(2, make) == "value 2"
    assert kept.get(1, make) == "value 1"  # kept: not made again, and now the most recent
    kept.get(3, make)  # 2 is let go, not 1
    assert len(kept) == 2
    kept.get(1, make)
    kept.get(2, make)
    assert made == [1, 2, 3, 2]


def test_it_keeps_at_least_one():
    with pytest.raises(ValueError):
        Recent(0)


def test_values_are_let_go_by_their_weight_the_newest_always_kept():
    """A folder keeps its articles' bases by their sentences, not their number: one large
    article weighs as much as many small ones (sixteen of 8,000 sentences were 320 MB)."""
    kept: Recent[str, int] = Recent(10, weigh=lambda value: value)
    for key, weight in [("a", 4), ("b", 4), ("c", 4)]:  # c's 4 brings 12 over 10: a goes
        kept.get(key, lambda _, w=weight: w)
    assert len(kept) == 2
    kept.get("huge", lambda _: 25)  # over the whole budget alone: kept, all else let go
    assert len(kept) == 1
    made: list[str] = []
    assert kept.get("huge", lambda key: made.append(key) or 0) == 25 and made == []
