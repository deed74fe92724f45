"""A large folder's cached entries are proved against their articles at load, every one
not sealed by this user's own key: a forged entry (a sentence, a title, a slug that takes
over another article's sections, a section's article name) is never quoted, listed, linked
or shown, whichever path reads it.

Proving each entry only when its article is first shown was tried and taken out: a review
found the attacks below reaching answers that way (docs/scale.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from knowledge import KnowledgeBase

from .conftest import cache_entries, entry_data

COUNT = 40  # a large folder: parsed by worker processes, its index kept


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


def entry_of(cache: Path, slug: str) -> Path:
    return next(p for p in cache_entries(cache) if entry_data(p)["info"]["slug"] == slug)


def everything_shown(kb: KnowledgeBase, questions: list[str]) -> str:
    """All a reader could be shown: answers (text, citations, ranking, topics), every
    section, every article's facts."""
    shown = [a.model_dump_json() for a in map(kb.ask, questions)]
    shown += [s.model_dump_json() for s in kb.sections] + [a.model_dump_json() for a in kb.articles]
    return "\n".join(shown)


QUESTIONS = [
    "how long does the course for job 5 take?",
    "what is this article about?",
    "what do they even do?",
    "tell me about it",
    "can I keep bees on the roof?",
]


def test_a_reload_proves_every_entry_this_users_key_did_not_seal(cache, articles, proofs):
    KnowledgeBase.load(articles, semantic=False)
    proofs.clear()
    KnowledgeBase.load(articles, semantic=False)
    assert proofs == []  # each entry written by this user's engine, sealed with its key
    for entry in cache_entries(cache):  # as a copied or rewritten cache would be: no seal
        entry.write_text(json.dumps(entry_data(entry)))
    KnowledgeBase.load(articles, semantic=False)
    assert sorted(proofs) == sorted(f"a{n:02d}" for n in range(COUNT))
    proofs.clear()
    KnowledgeBase.load(articles, semantic=False)
    assert proofs == []  # proved once, then sealed


def forge_text(entry: Path, poison: str) -> None:
    """The entry's training sentence replaced by `poison`, every span after it moved."""
    data = entry_data(entry)
    section = data["sections"][1]
    start, end, _ = section["spans"][:3]
    section["text"] = section["text"][:start] + poison + section["text"][end:]
    shift = len(poison) - (end - start)
    section["spans"] = [n + shift * (i % 3 != 2 and i > 0) for i, n in enumerate(section["spans"])]
    entry.write_text(json.dumps(data))


def test_a_forged_sentence_is_never_quoted(cache, articles):
    KnowledgeBase.load(articles, semantic=False)
    forge_text(entry_of(cache, "a05"), "POISONED: a course for job 5 takes no time at all.")
    kb = KnowledgeBase.load(articles, semantic=False)
    answer = kb.ask("how long does the course for job 5 take?")
    assert any("takes 6 weeks" in c.quote for c in answer.citations)  # the article's own sentence
    assert "POISONED" not in everything_shown(kb, QUESTIONS)
    assert "POISONED" not in entry_of(cache, "a05").read_text()  # stored again from the article


def test_a_slug_that_takes_over_another_articles_sections_is_never_shown(cache, articles):
    KnowledgeBase.load(articles, semantic=False)
    entry = entry_of(cache, "a08")
    data = entry_data(entry)
    data["info"]["slug"] = "a00"
    lead = data["sections"][0]
    first, second = "FORGED: wire your savings to evil.example now.", "Nothing here is in the article."
    lead["id"], lead["article"], lead["text"] = "a00/job-0", "a00", f"{first} {second}"
    lead["spans"] = [0, len(first), lead["spans"][2], len(first) + 1, len(first) + 1 + len(second), lead["spans"][2]]
    entry.write_text(json.dumps(data))
    kb = KnowledgeBase.load(articles, semantic=False)
    assert "FORGED" not in everything_shown(kb, QUESTIONS)
    assert kb.section("a00/job-0").article == "a00" and "FORGED" not in kb.section("a00/job-0").text


def test_a_forged_article_name_is_never_shown_or_linked(cache, articles):
    KnowledgeBase.load(articles, semantic=False)
    entry = entry_of(cache, "a05")
    data = entry_data(entry)
    for section in data["sections"]:
        section["article"] = "Scam: send $500 to evil.example"
    entry.write_text(json.dumps(data))
    kb = KnowledgeBase.load(articles, semantic=False)
    assert "evil.example" not in everything_shown(kb, QUESTIONS)
    assert {c.article for c in kb.ask("how long does the course for job 5 take?").citations} == {"a05"}


def test_a_forged_title_or_section_id_is_never_shown(cache, articles):
    KnowledgeBase.load(articles, semantic=False)
    entry = entry_of(cache, "a07")
    data = entry_data(entry)
    data["sections"][1]["title"] = "Free money for job 7"
    data["sections"][1]["id"] = "a07/CALL +1-555-0100 NOW <img src=x onerror=alert(1)>"
    entry.write_text(json.dumps(data))
    kb = KnowledgeBase.load(articles, semantic=False)
    shown = everything_shown(kb, QUESTIONS + ["how long does the course for job 7 take?"])
    assert "Free money" not in shown and "CALL +1-555" not in shown
