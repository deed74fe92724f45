"""A crafted cache entry is never quoted: what an entry would show must be the article's own
text, character for character, at the place it names, or the article is parsed again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from knowledge import KnowledgeBase

from .conftest import SEED, cache_entries, entry_data

QUESTION = "do all prompt engineers make six figures"
OWN = "That said, not all prompt engineers make six figures."


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CAREER_CHAT_CACHE", str(folder))
    return folder


def entry_of(folder: Path) -> tuple[Path, dict]:
    (entry,) = cache_entries(folder)
    return entry, entry_data(entry)


def section_of(data: dict, section_id: str) -> dict:
    return next(s for s in data["sections"] if s["id"] == section_id)


def cut_out(section: dict, words: str) -> None:
    """Remove `words` from the section's text, moving every span after them (a forger's
    careful edit: every span still fits)."""
    at = section["text"].index(words)
    section["text"] = section["text"][:at] + section["text"][at + len(words) :]
    spans = section["spans"]
    for i in range(0, len(spans), 3):
        for j in (i, i + 1):
            if spans[j] > at:
                spans[j] -= min(len(words), spans[j] - at)


def replace_in(section: dict, old: str, new: str) -> None:
    at = section["text"].index(old)
    section["text"] = section["text"][:at] + new + section["text"][at + len(old) :]
    shift = len(new) - len(old)
    section["spans"] = [n + shift if i % 3 != 2 and n > at else n for i, n in enumerate(section["spans"])]


def forged_answer(folder: Path, forge) -> tuple[str, str]:
    """Load once, forge the entry, load again: the answer's quotes and the entry after."""
    KnowledgeBase.load(SEED, semantic=False)
    entry, data = entry_of(folder)
    forge(data)
    entry.write_text(json.dumps(data), encoding="utf-8")
    answer = KnowledgeBase.load(SEED, semantic=False).ask(QUESTION)
    return " ".join(c.quote for c in answer.citations), entry.read_text(encoding="utf-8")


def test_words_cut_from_a_cached_sentence_are_never_quoted(cache):
    quotes, entry = forged_answer(cache, lambda data: cut_out(section_of(data, "compensation"), "That said, not "))
    assert OWN in quotes
    assert "That said, not all" in entry  # rebuilt and rewritten


def test_a_sentence_cut_to_start_inside_another_is_never_quoted(cache):
    def start_later(data):
        pay = section_of(data, "compensation")
        spans, at = pay["spans"], pay["text"].index("all prompt engineers make six figures")
        k = next(i for i in range(0, len(spans), 3) if spans[i] < at < spans[i + 1])
        spans[k] = at  # the text as it stands, the sentence begun after "That said, not "

    quotes, entry = forged_answer(cache, start_later)
    assert OWN in quotes
    assert not any(q.startswith("all prompt") for q in quotes.split(" [")), quotes


def test_a_paragraph_replaced_by_a_fragment_of_another_line_is_rebuilt(cache):
    fragment = "all prompt engineers make six figures."  # words of line 113, standing alone

    def swap(data):
        pay = section_of(data, "compensation")
        first = pay["text"].split("\n\n")[0]
        spans = pay["spans"]
        k = next(i for i in range(0, len(spans), 3) if spans[i] > len(first))  # the next paragraph's first
        shift = len(fragment) - len(first)
        pay["text"] = fragment + pay["text"][len(first) :]
        pay["spans"] = [0, len(fragment), spans[2]] + [n + shift if i % 3 != 2 else n for i, n in enumerate(spans[k:])]
        tokens = data["tokens"]["sentences"][data["sections"].index(pay)]
        tokens[: k // 3] = ["prompt engin make six figur"]

    quotes, entry = forged_answer(cache, swap)
    assert OWN in quotes
    assert json.dumps(fragment + "\n\n")[:-1] not in entry


def test_rewritten_punctuation_is_rebuilt(cache):
    def reword(data):
        replace_in(section_of(data, "compensation"), "That said, not all prompt engineers make six figures.", "That said: not all prompt engineers make six figures!")

    quotes, entry = forged_answer(cache, reword)
    assert OWN in quotes
    assert "six figures!" not in entry


def test_a_section_title_replaced_by_a_phrase_of_a_sentence_is_rebuilt(cache):
    def retitle(data):
        section_of(data, "compensation")["title"] = "all prompt engineers make six figures"

    KnowledgeBase.load(SEED, semantic=False)
    entry, data = entry_of(cache)
    retitle(data)
    entry.write_text(json.dumps(data), encoding="utf-8")
    kb = KnowledgeBase.load(SEED, semantic=False)
    assert kb.section("compensation").title == "Compensation"
    assert '"all prompt engineers make six figures"' not in entry.read_text(encoding="utf-8")


def test_a_sentence_left_out_of_its_paragraph_is_rebuilt(cache):
    # Dropping "That said, not all ..." would leave the paragraph's praise of pay unqualified.
    def drop(data):
        pay = section_of(data, "compensation")
        spans, at = pay["spans"], pay["text"].index(OWN)
        k = next(i for i in range(0, len(spans), 3) if spans[i] == at)
        del spans[k : k + 3]
        data["tokens"]["sentences"][data["sections"].index(pay)].pop(k // 3)

    KnowledgeBase.load(SEED, semantic=False)
    entry, data = entry_of(cache)
    drop(data)
    entry.write_text(json.dumps(data), encoding="utf-8")
    kb = KnowledgeBase.load(SEED, semantic=False)
    assert OWN in kb.section("compensation").sentence_texts


def test_a_forged_frontmatter_title_is_rebuilt(cache):
    KnowledgeBase.load(SEED, semantic=False)
    entry, data = entry_of(cache)
    data["info"]["title"] = "all prompt engineers make six figures"
    data["sections"][0]["title"] = data["info"]["title"]
    entry.write_text(json.dumps(data), encoding="utf-8")
    assert KnowledgeBase.load(SEED, semantic=False).title == "The Making of AI Interactions: Is It an Employable Skill?"


MYTH = (
    "# Pay\n\nIt is a myth that in the U.S. prompt engineers earn $375,000 a year. Most earn far less than"
    " that, about $60,000. The pay grew 2.5 times since 2020 in a few firms. Version v2.0 of the course is free.\n"
)


def _cut_after(section: dict, words: str, space: int) -> None:
    """Cut the sentence holding `words` in two after them (`space`: the characters left
    between the pieces), a cut at a period Punkt did not make."""
    spans, at = section["spans"], section["text"].index(words) + len(words)
    k = next(i for i in range(0, len(spans), 3) if spans[i] < at < spans[i + 1])
    spans[k + 1 : k + 1] = [at, spans[k + 2], at + space]


@pytest.mark.parametrize(
    ("words", "space"),
    [("in the U.S.", 1), ("grew 2.", 0), ("Version v2.", 0)],
)
def test_a_sentence_cut_at_a_period_punkt_passes_over_is_rebuilt(cache, tmp_path, words, space):
    # An abbreviation, a decimal point, a version: "prompt engineers earn $375,000 a year."
    # quoted alone says what the article calls a myth.
    article = tmp_path / "myth.md"
    article.write_text(MYTH, encoding="utf-8")
    KnowledgeBase.load(article, semantic=False)
    entry, data = entry_of(cache)
    pay = data["sections"][0]
    _cut_after(pay, words, space)
    count = len(pay["spans"]) // 3
    data["tokens"]["sentences"][0] = ["prompt engin earn"] * count
    entry.write_text(json.dumps(data), encoding="utf-8")
    sentences = KnowledgeBase.load(article, semantic=False).sections[0].sentence_texts
    assert "It is a myth that in the U.S. prompt engineers earn $375,000 a year." in sentences
    assert "The pay grew 2.5 times since 2020 in a few firms." in sentences
    assert "Version v2.0 of the course is free." in sentences


def test_a_sentence_cut_before_a_word_in_lower_case_is_rebuilt(cache, tmp_path):
    # Punkt learns from the article that "hard." before "he" ends no sentence here; a
    # forged cut there would quote "he earns little." as a sentence of its own.
    article = tmp_path / "hard.md"
    article.write_text("# Pay\n\nHe works hard. he earns little. That is all.\n", encoding="utf-8")
    before = KnowledgeBase.load(article, semantic=False).sections[0].sentence_texts
    entry, data = entry_of(cache)
    pay = data["sections"][0]
    _cut_after(pay, "works hard.", 1)
    data["tokens"]["sentences"][0] = ["work"] * (len(pay["spans"]) // 3)
    entry.write_text(json.dumps(data), encoding="utf-8")
    assert KnowledgeBase.load(article, semantic=False).sections[0].sentence_texts == before == [
        "He works hard. he earns little.",
        "That is all.",
    ]
