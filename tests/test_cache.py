"""The article cache: used when sound, rebuilt when anything about it is off."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from knowledge import KnowledgeBase
from knowledge.read.article import Article
from knowledge.settings import cache_folder
from knowledge.store import cache as cache_module

from .conftest import SEED, cache_entries, entry_body, entry_data


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.setenv("CAREER_CHAT_CACHE", str(cache))
    return cache


def entries(folder: Path) -> list[Path]:
    return cache_entries(folder)


def test_second_load_comes_from_the_cache(folder, monkeypatch):
    first = KnowledgeBase.load(SEED)
    assert len(entries(folder)) == 1

    def no_parsing(path):  # a sound entry must not need the parser at all
        raise AssertionError("parsed again despite a sound cache entry")

    monkeypatch.setattr(cache_module, "load_article", no_parsing)
    second = KnowledgeBase.load(SEED)
    assert [s.model_dump() for s in second.sections] == [s.model_dump() for s in first.sections]
    assert second.ask("what does it pay?") == first.ask("what does it pay?")


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: b"\x00garbage\xff" * 10,  # garbage
        lambda data: json.dumps({**entry_body(data), "format": 999}).encode(),  # another version
        lambda data: json.dumps({**entry_body(data), "key": "0" * 64}).encode(),  # another file's entry
        lambda data: json.dumps({**entry_body(data), "sections": []}).encode(),  # inconsistent
    ],
)
def test_a_damaged_entry_is_rebuilt_not_trusted(folder, damage):
    expected = KnowledgeBase.load(SEED).ask("what does it pay?")
    entry = entries(folder)[0]
    entry.write_bytes(damage(entry.read_bytes()))
    kb = KnowledgeBase.load(SEED)
    assert kb.ask("what does it pay?") == expected
    assert len(kb.sections) == 12
    assert entry_data(entry)["format"] == cache_module.FORMAT  # rewritten sound


def test_a_changed_article_is_parsed_again(folder, tmp_path):
    article = tmp_path / "a.md"
    article.write_text("# Pay\n\nIt pays well.\n", encoding="utf-8")
    KnowledgeBase.load(article)
    article.write_text("# Pay\n\nIt pays badly.\n", encoding="utf-8")
    assert "badly" in KnowledgeBase.load(article).ask("does it pay?").text


def test_an_unwritable_cache_is_no_error(tmp_path, monkeypatch):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    monkeypatch.setenv("CAREER_CHAT_CACHE", str(blocker / "cache"))
    assert KnowledgeBase.load(SEED).ask("what does it pay?").answered


def test_cache_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("CAREER_CHAT_CACHE", "off")
    assert cache_folder() is None
    assert KnowledgeBase.load(SEED).sections


def test_a_large_folder_loads_the_same_on_every_core_as_in_one_process(tmp_path, monkeypatch):
    import threading

    from knowledge.store.cache import PARALLEL_FROM

    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(PARALLEL_FROM + 1):
        (folder / f"a{n:02d}.md").write_text(f"# Job {n}\n\nThe pay is {n} dollars. Shifts are long.\n", encoding="utf-8")
    monkeypatch.setenv("CAREER_CHAT_CACHE", "off")
    parallel = KnowledgeBase.load(folder, semantic=False)
    in_thread: list[KnowledgeBase] = []
    worker = threading.Thread(target=lambda: in_thread.append(KnowledgeBase.load(folder, semantic=False)))
    worker.start()
    worker.join()  # from a thread it never forks, and gets the same articles
    dump = [s.model_dump() for s in parallel.sections]
    assert dump == [s.model_dump() for s in in_thread[0].sections]
    assert [s.id for s in parallel.sections][:2] == ["a00/job-0", "a01/job-1"]


def test_an_article_with_a_long_frontmatter_line_is_served_from_the_cache(folder, tmp_path, monkeypatch):
    words = " ".join(f"word{n}" for n in range(80))  # about 600 characters on one line
    path = tmp_path / "long.md"
    path.write_text(f'---\ntitle: "Long"\ndescription: "{words}"\n---\n# Pay\n\nThe pay is good.\n', encoding="utf-8")
    KnowledgeBase.load(path, semantic=False)

    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed again: the entry failed its own check")

    monkeypatch.setattr(cache_module, "load_article", no_parsing)
    kb = KnowledgeBase.load(path, semantic=False)
    assert kb.articles[0].header[1].text.startswith("description:") and len(kb.articles[0].header[1].text) <= 300


def test_an_article_of_short_headings_is_served_from_the_cache(folder, tmp_path, monkeypatch):
    # Its entry is 17 to 18 times the article: within what the cache reads back, though an
    # article of prose makes an entry of a few times its size.
    path = tmp_path / "headings.md"
    path.write_text("## a\n\nb\n\n" * 20000, encoding="utf-8")  # 180 KB, its entry 3 MB
    KnowledgeBase.load(path, semantic=False)

    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed again: the entry was not read back")

    monkeypatch.setattr(cache_module, "load_article", no_parsing)
    assert len(KnowledgeBase.load(path, semantic=False).sections) == 20000


def test_hard_wrapped_markdown_is_served_from_the_cache(folder, tmp_path, monkeypatch):
    path = tmp_path / "wrapped.md"
    path.write_text(
        "# Interviews\n\nBrush up on the language through the top questions on [Stack\n"
        "Overflow](https://stackoverflow.com). Say *what* you\nwould _change_ and why.\n",
        encoding="utf-8",
    )
    KnowledgeBase.load(path, semantic=False)

    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed again: the entry failed its own check")

    monkeypatch.setattr(cache_module, "load_article", no_parsing)
    kb = KnowledgeBase.load(path, semantic=False)
    assert "Stack Overflow" in kb.sections[0].sentences[0].text.replace("\n", " ")


SCRAPED_SHAPES = (
    "Plumber Careers\n===============\n\n*Updated May 2026 · 6 min read*\n\n"
    "Plumbing is a licensed trade &amp; it pays well.[^1] Plumbers don&#8217;t need a degree.[2]\n\n"
    "**Table of contents**\n- Salary\n- FAQ\n\n<h2>Salary</h2>\n\n| State | Median pay |\n| --- | --- |\n"
    "| Texas | $56,000 |\n\n**Pros**\n- Steady work\n\n## FAQ\n\nQ: Is it physical?\nA: Yes, very.\n\n"
    "**Do plumbers travel?**\nSome do.\n\n[^1]: BLS, 2024.\n"
)


def test_every_scraped_shape_cleaning_reads_is_served_from_the_cache(folder, tmp_path, monkeypatch):
    # Headings made from HTML, setext, bold labels and FAQ questions; entities; footnote
    # marks; table rows: what cleaning shows must pass the cache's own check, or the
    # article would be parsed again on every load.
    path = tmp_path / "plumber.md"
    path.write_text(SCRAPED_SHAPES, encoding="utf-8")
    first = KnowledgeBase.load(path, semantic=False)

    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed again: the entry failed its own check")

    monkeypatch.setattr(cache_module, "load_article", no_parsing)
    again = KnowledgeBase.load(path, semantic=False)
    assert [s.title for s in again.sections] == [s.title for s in first.sections]
    assert [s.title for s in again.sections] == ["Plumber Careers", "Salary", "Pros", "Is it physical?", "Do plumbers travel?"]
    assert again.sections[0].sentence_texts == ["Plumbing is a licensed trade & it pays well.", "Plumbers don\u2019t need a degree."]


def many_articles(tmp_path: Path, count: int) -> Path:
    articles = tmp_path / "many"
    articles.mkdir()
    for n in range(count):
        (articles / f"a{n:02d}.md").write_text(
            f"# Job {n}\n\nThe pay is {n} dollars a day. Shifts are long.\n\n"
            f"## Training for job {n}\n\nA course takes {n % 7 + 1} weeks. Mentors help new hires learn SQL.\n",
            encoding="utf-8",
        )
    return articles


QUESTIONS = ["what does job 5 pay?", "how long is the course?", "who helps new hires?", "do I need sql?"]


def test_a_folder_keeps_its_index_and_answers_the_same_from_it(folder, tmp_path, monkeypatch):
    from knowledge import base as base_module

    articles = many_articles(tmp_path, cache_module.FOLDER_INDEX_FROM)
    first = KnowledgeBase.load(articles, semantic=False)
    assert len(list(folder.glob("index-*.npz"))) == 1

    def no_building(*args):
        raise AssertionError("built the sentence index again despite a sound kept one")

    monkeypatch.setattr(base_module, "_sentences", no_building)
    second = KnowledgeBase.load(articles, semantic=False)
    monkeypatch.undo()  # loaded: an answer builds its own article's index, as that article alone has it
    assert second.vocabulary == first.vocabulary
    assert [second.ask(q) for q in QUESTIONS] == [first.ask(q) for q in QUESTIONS]


def _damaged(path: Path, change) -> None:
    import numpy as np

    with np.load(path) as data:
        arrays = dict(data)
    change(arrays)
    with open(path, "wb") as handle:
        np.savez(handle, **arrays)


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.write_bytes(path.read_bytes()[:100]),  # truncated
        lambda path: path.write_bytes(b"PK\x03\x04 not a zip at all"),  # garbage
        lambda path: _damaged(path, lambda a: a.__setitem__("docs", a["docs"] + 10**6)),  # out of bounds
        lambda path: _damaged(path, lambda a: a.__setitem__("docs", a["docs"][::-1].copy())),  # out of order
        lambda path: _damaged(path, lambda a: a.__setitem__("counts", a["counts"][:-1])),  # counts short
        lambda path: _damaged(path, lambda a: a.pop("tfs")),  # an array missing
    ],
)
def test_a_damaged_folder_index_is_rebuilt_not_trusted(folder, tmp_path, damage):
    articles = many_articles(tmp_path, cache_module.FOLDER_INDEX_FROM)
    expected = KnowledgeBase.load(articles, semantic=False)
    (kept,) = folder.glob("index-*.npz")
    damage(kept)
    kb = KnowledgeBase.load(articles, semantic=False)
    assert [kb.ask(q) for q in QUESTIONS] == [expected.ask(q) for q in QUESTIONS]
    assert kb.vocabulary == expected.vocabulary
    assert cache_module.read_folder_index(kept, [Article(kb.articles[0], kb.sections)]) is not None  # rewritten sound


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: a load never forks, thread or not")
def test_a_load_beside_a_running_thread_parses_in_its_own_process(tmp_path, monkeypatch):
    """A thread still running (a library's earlier load encoding in the background, a web
    app's) may hold a lock forked workers would wait on for ever: no fork then."""
    import concurrent.futures
    import threading

    articles = many_articles(tmp_path, cache_module.PARALLEL_FROM)
    monkeypatch.setenv("CAREER_CHAT_CACHE", "off")
    expected = [s.model_dump() for s in KnowledgeBase.load(articles, semantic=False).sections]

    def no_fork(*args, **kwargs):
        raise AssertionError("forked beside a running thread")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_fork)
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert [s.model_dump() for s in KnowledgeBase.load(articles, semantic=False).sections] == expected
    finally:
        release.set()
        other.join()


def test_articles_parsed_on_every_core_are_read_back_checked_or_parsed_again(folder, tmp_path, monkeypatch):
    """Workers store what they parse and the loader reads it back through the same check;
    an entry that fails it (here: every one) is parsed in the loader, never trusted."""
    articles = many_articles(tmp_path, cache_module.PARALLEL_FROM)
    monkeypatch.setenv("CAREER_CHAT_CACHE", "off")
    expected = [s.model_dump() for s in KnowledgeBase.load(articles, semantic=False).sections]
    monkeypatch.setenv("CAREER_CHAT_CACHE", str(folder))
    assert [s.model_dump() for s in KnowledgeBase.load(articles, semantic=False).sections] == expected
    for entry in entries(folder):
        entry.unlink()
    monkeypatch.setattr("knowledge.store.verify.faithful", lambda *args: False)
    assert [s.model_dump() for s in KnowledgeBase.load(articles, semantic=False).sections] == expected
    assert len(entries(folder)) == cache_module.PARALLEL_FROM  # stored again, each time


def test_a_changed_folder_replaces_its_kept_index_and_leaves_others(folder, tmp_path, monkeypatch):
    articles = many_articles(tmp_path, cache_module.FOLDER_INDEX_FROM)
    other = tmp_path / "other"
    other.mkdir()
    for source in articles.iterdir():
        (other / source.name).write_text(source.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    KnowledgeBase.load(articles, semantic=False)
    KnowledgeBase.load(other, semantic=False)
    before = set(folder.glob("index-*.npz"))
    assert len(before) == 2
    (articles / "a00.md").write_text("# Job zero\n\nThe pay changed. Hours did too.\n", encoding="utf-8")
    kb = KnowledgeBase.load(articles, semantic=False)
    after = set(folder.glob("index-*.npz"))
    assert len(after) == 2 and len(after & before) == 1  # the other folder's is kept
    monkeypatch.setenv("CAREER_CHAT_CACHE", "off")
    fresh = KnowledgeBase.load(articles, semantic=False)
    questions = [*QUESTIONS, "has the pay changed?"]
    assert [kb.ask(q) for q in questions] == [fresh.ask(q) for q in questions]


def test_the_lexicons_are_stemmed_once_and_read_back_alike(folder, monkeypatch):
    from knowledge.rank.analysis import Analyzer

    first = KnowledgeBase.load(SEED, semantic=False)
    (kept,) = folder.glob("lexicon-*.json")
    assert json.loads(kept.read_bytes()) == Analyzer.default().parts()

    def no_stemming():
        raise AssertionError("the lexicons were stemmed again despite a sound cache file")

    monkeypatch.setattr(Analyzer, "default", staticmethod(no_stemming))
    second = KnowledgeBase.load(SEED, semantic=False)
    for question in ("how much money can I make?", "is prompt engineering a real job?", "do I need a degree?"):
        assert second.ask(question) == first.ask(question)


@pytest.mark.parametrize(
    "damage",
    [
        lambda parts: b"\x00garbage",
        lambda parts: json.dumps({**parts, "phrases": [["pay"]] * len(parts["phrases"])}).encode(),  # not text
        lambda parts: json.dumps({**parts, "merges": [["a", "b", "c"]]}).encode(),  # not a pair
        lambda parts: json.dumps({k: v for k, v in parts.items() if k != "stems"}).encode(),
        lambda parts: json.dumps({**parts, "stems": parts["stems"][1:]}).encode(),  # one stem short
    ],
)
def test_a_damaged_lexicon_file_is_rebuilt_not_trusted(folder, damage):
    from knowledge.rank.analysis import Analyzer

    expected = KnowledgeBase.load(SEED, semantic=False).ask("how much money can I make?")
    (kept,) = folder.glob("lexicon-*.json")
    kept.write_bytes(damage(json.loads(kept.read_bytes())))
    assert KnowledgeBase.load(SEED, semantic=False).ask("how much money can I make?") == expected
    assert json.loads(kept.read_bytes()) == Analyzer.default().parts()  # rewritten sound
