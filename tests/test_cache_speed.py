"""The cache's check grows with the article, not with its square: an article of thousands
of sections loads from the cache in no more time than parsed afresh. Times are compared as
ratios of the same machine's own runs (the best of a few), never against a fixed figure."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from knowledge import KnowledgeBase
from knowledge.read.article import load_article, read_text
from knowledge.store.verify import faithful


def many_sections(folder: Path, count: int) -> Path:
    lines = ["# Many Sections", "", "This article has many short sections.", ""]
    for n in range(count):
        lines += [f"## Topic {n}", "", f"The pay of role {n} is fine. It varies by city.", ""]
    path = folder / f"sections-{count}.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def best_of(runs: int, work, clock=time.perf_counter) -> float:
    """The shortest of `runs` runs of `work`, by `clock`. Work done on this thread alone is
    timed by its own CPU time (`time.thread_time`): by the wall clock, a run the other core's
    load preempts looks up to ten times longer, and a ratio of two such runs says nothing."""
    times = []
    for _ in range(runs):
        start = clock()
        work()
        times.append(clock() - start)
    return min(times)


def cpu_best_of(runs: int, work) -> float:
    """`best_of` in this thread's CPU time: for work that runs on it alone."""
    return best_of(runs, work, time.thread_time)


def check_time(path: Path) -> float:
    article, text = load_article(path), read_text(path)
    return cpu_best_of(3, lambda: faithful(text, article.info, article.sections, path))


@pytest.mark.slow
def test_the_check_grows_linearly_with_the_sections(tmp_path):
    # 8 times the sections: about 8 times the work when linear, 64 times when each
    # paragraph is looked for in the whole article (as once: 79 times, measured).
    small, large = check_time(many_sections(tmp_path, 1000)), check_time(many_sections(tmp_path, 8000))
    assert large / small < 20, f"{small:.3f}s for 1,000 sections, {large:.3f}s for 8,000"


@pytest.mark.slow
def test_many_sections_load_from_the_cache_no_slower_than_parsed(tmp_path, monkeypatch):
    path = many_sections(tmp_path, 5000)
    monkeypatch.setenv("CAREER_CHAT_CACHE", "off")
    parsed = best_of(2, lambda: KnowledgeBase.load(path, semantic=False))
    monkeypatch.setenv("CAREER_CHAT_CACHE", str(tmp_path / "cache"))
    KnowledgeBase.load(path, semantic=False)  # stores the entry
    cached = best_of(2, lambda: KnowledgeBase.load(path, semantic=False))
    assert cached <= parsed, f"cached {cached:.2f}s, parsed {parsed:.2f}s"
