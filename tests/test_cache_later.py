"""A large folder's cached entries are read without their proof and proved the first time
anything of their article is shown: a reload does no per-entry proof, and a forged entry
is still never quoted, listed or shown."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

from knowledge import KnowledgeBase
from knowledge.store import cache as cache_module

from .conftest import cache_entries

COUNT = cache_module.PROVE_LATER_FROM


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CAREER_CHAT_CACHE", str(folder))
    return folder


@pytest.fixture
def articles(tmp_path) -> Path:
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(COUNT):
        (folder / f"a{n:02d}.md").write_text(
            f"# Job {n}\n\nThe pay of job {n} is {n} dollars a day. Shifts are long.\n\n"
            f"## Training for job {n}\n\nA course for job {n} takes {n % 7 + 1} weeks. Mentors help new hires.\n",
            encoding="utf-8",
        )
    return folder


@pytest.fixture
def proofs(monkeypatch) -> list[str]:
    """Each article proved against its file (its slug), in order."""
    proved: list[str] = []
    real = cache_module.faithful

    def counted(text, info, sections, path):
        proved.append(info.slug)
        return real(text, info, sections, path)

    monkeypatch.setattr(cache_module, "faithful", counted)
    return proved


def entry_of(cache: Path, slug: str) -> Path:
    return next(p for p in cache_entries(cache) if json.loads(p.read_text())["info"]["slug"] == slug)


def test_a_reload_proves_no_entry_and_an_answer_only_its_own_article(cache, articles, proofs):
    KnowledgeBase.load(articles, semantic=False)
    proofs.clear()
    kb = KnowledgeBase.load(articles, semantic=False)
    assert proofs == []  # nothing proved at load, however many entries
    answer = kb.ask("how long does the course for job 5 take?")
    assert answer.citations and {c.article for c in answer.citations} == {"a05"}
    assert proofs == ["a05"]
    kb.ask("how long does the course for job 5 take?")
    assert proofs == ["a05"]  # proved once


def test_listing_the_sections_or_a_refusal_proves_every_article_once(cache, articles, proofs):
    KnowledgeBase.load(articles, semantic=False)
    kb = KnowledgeBase.load(articles, semantic=False)
    proofs.clear()
    refused = kb.ask("can I keep bees on the roof?")
    assert not refused.answered and len(refused.topics) == 2 * COUNT
    assert sorted(proofs) == sorted(f"a{n:02d}" for n in range(COUNT))
    assert len(kb.sections) == 2 * COUNT and len(proofs) == COUNT


def test_examples_prove_only_the_articles_they_come_from(cache, articles, proofs):
    for n in (0, 1):  # question headings come first in the examples
        path = articles / f"a{n:02d}.md"
        path.write_text(path.read_text().replace(f"## Training for job {n}", f"## How long is training for job {n}?"))
    KnowledgeBase.load(articles, semantic=False)
    kb = KnowledgeBase.load(articles, semantic=False)
    proofs.clear()
    assert kb.examples(2) == ["How long is training for job 0?", "How long is training for job 1?"]
    assert proofs == ["a00", "a01", "a02"]  # two questions and two other topics found


def forge_text(entry: Path, poison: str) -> None:
    """The entry's training sentence replaced by `poison`, every span after it moved."""
    data = json.loads(entry.read_text())
    section = data["sections"][1]
    start, end, _ = section["spans"][:3]
    section["text"] = section["text"][:start] + poison + section["text"][end:]
    shift = len(poison) - (end - start)
    section["spans"] = [n + shift * (i % 3 != 2 and i > 0) for i, n in enumerate(section["spans"])]
    entry.write_text(json.dumps(data))


def test_a_forged_sentence_proved_only_when_asked_is_never_quoted(cache, articles):
    KnowledgeBase.load(articles, semantic=False)
    entry = entry_of(cache, "a05")
    forge_text(entry, "POISONED: a course for job 5 takes no time at all.")
    kb = KnowledgeBase.load(articles, semantic=False)
    assert "POISONED" in kb._sections[11].text  # read, not yet proved: nothing shown
    answer = kb.ask("how long does the course for job 5 take?")
    assert answer.citations and all("POISONED" not in c.quote for c in answer.citations)
    assert any("takes 6 weeks" in c.quote for c in answer.citations)  # the article's own sentence
    assert all("POISONED" not in s.text for s in kb.sections)
    assert "POISONED" not in entry_of(cache, "a05").read_text()  # stored again from the article


def test_a_forged_sentence_is_never_shown_in_a_passage_or_a_list(cache, articles):
    KnowledgeBase.load(articles, semantic=False)
    forge_text(entry_of(cache, "a07"), "POISONED: a course for job 7 takes no time at all.")
    kb = KnowledgeBase.load(articles, semantic=False)
    assert "POISONED" not in kb.section("a07/training-for-job-7").text
    kb = KnowledgeBase.load(articles, semantic=False)
    forge_text(entry_of(cache, "a08"), "POISONED: a course for job 8 takes no time at all.")
    kb = KnowledgeBase.load(articles, semantic=False)
    assert all("POISONED" not in s.text for s in kb.sections)


def test_a_forged_section_is_withdrawn_never_ranked_listed_or_quoted(cache, articles):
    KnowledgeBase.load(articles, semantic=False)
    entry = entry_of(cache, "a05")
    data = json.loads(entry.read_text())
    data["sections"][1]["title"] = "Free money for job 5"  # its id and tokens stay: only a proof can tell
    entry.write_text(json.dumps(data))
    kb = KnowledgeBase.load(articles, semantic=False)
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        answer = kb.ask("how long does the course for job 5 take?")
    assert any("a05.md" in str(w.message) and "left out" in str(w.message) for w in said)
    assert all(c.article != "a05" for c in answer.citations)
    assert all(not r.section_id.startswith("a05/") for r in answer.ranking)
    assert "Free money for job 5" not in kb.ask("can I keep bees on the roof?").topics
    assert all(s.article != "a05" for s in kb.sections) and all(a.slug != "a05" for a in kb.articles)
    with pytest.raises(KeyError):
        kb.section("a05/training-for-job-5")
    assert "Free money" not in entry_of(cache, "a05").read_text()  # the next load parses it afresh


def test_an_article_changed_after_the_load_is_shown_as_it_now_reads(cache, articles):
    KnowledgeBase.load(articles, semantic=False)
    kb = KnowledgeBase.load(articles, semantic=False)
    path = articles / "a05.md"
    path.write_text(path.read_text().replace("takes 6 weeks", "takes 9 weeks"), encoding="utf-8")
    answer = kb.ask("how long does the course for job 5 take?")
    assert any("takes 9 weeks" in c.quote for c in answer.citations)
    assert all("takes 6 weeks" not in c.quote for c in answer.citations)
