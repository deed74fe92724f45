"""A self-introduction is not what is asked: a name and an age add no words to a question."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge import KnowledgeBase


def _asked(kb: KnowledgeBase, question: str) -> list[str]:
    query = kb.read(question, meaning=False)
    return [t.surface for t in query.known + query.missing + query.unknown]


def test_a_name_and_age_after_a_greeting_are_not_named_as_missing(kb):
    """"Hi! I'm Dev, 22, is prompt engineering a real job?" quoted the right passage, but said
    "The article does not mention: Dev." and only "Closest passage only."."""
    answer = kb.ask("Hi! I'm Dev, 22, is prompt engineering a real job?")
    alone = kb.ask("is prompt engineering a real job?")
    assert answer.missing == [] and "Dev" not in answer.message
    assert (answer.coverage, answer.section_id) == (alone.coverage, alone.section_id)


@pytest.mark.parametrize(
    "question",
    [
        "My name is Priya and I want to know what prompt engineers earn?",
        "my name's priya, what do prompt engineers earn?",
        "Hey, Priya here - what do prompt engineers earn?",
        "I am Priya Raman, 31 years old. What do prompt engineers earn?",
        "hi im Priya 22yo what do prompt engineers earn",
    ],
)
def test_a_self_introduction_adds_no_word_to_the_question(kb, question):
    assert _asked(kb, question) == _asked(kb, "what do prompt engineers earn?")


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        # No name after "I'm": what follows is what the writer is, and may be asked about.
        ("I'm new to nursing, what does it pay?", "nursing"),
        # A nationality (a word the lexicon lists) says something of what is asked.
        ("I'm Canadian, what does it pay?", "canadian"),
        # A name that does not follow "I'm" is someone the question asks about.
        ("I'm asking for Tomasz: what does it pay?", "tomasz"),
    ],
)
def test_what_follows_i_am_is_still_asked_when_it_is_no_name(kb, question, asked):
    assert asked in [t.surface for t in kb.read(question, meaning=False).missing]


def test_a_capitalised_word_after_i_am_that_the_article_knows_is_still_asked(tmp_path):
    article = tmp_path / "jordan.md"
    article.write_text(
        "# Nursing in Jordan\n\nNurses in Jordan earn less than nurses in the Gulf states.\n\n"
        "## Training\n\nA nursing degree in Jordan takes four years.\n",
        encoding="utf-8",
    )
    kb = KnowledgeBase.load(article, semantic=False)
    assert "jordan" in [t.surface for t in kb.read("I'm Jordan, what do nurses earn?", meaning=False).known]


@pytest.mark.parametrize(
    ("message", "described"),
    [
        ("I'm a nurse, how do I become a pilot?", ["nurse"]),
        ("Hi, I am a registered nurse and want to fly", ["registered", "nurse"]),
        ("What does it pay? im an electrician", ["electrician"]),
        # Not what the writer is: inside a question, no "a" after "I'm", a name.
        ("do I get paid while I'm an apprentice?", []),
        ("I'm new to nursing, is it hard?", []),
        ("I'm Dev, what do pilots earn?", []),
    ],
)
def test_what_the_writer_says_they_are_is_read_apart(message, described):
    from knowledge.rank.analysis import Analyzer
    from knowledge.rank.introduction import introduction

    typed = Analyzer.default().typed(message)
    assert [typed[i][0] for i in sorted(introduction(typed).describes)] == described


@pytest.mark.parametrize(
    "message",
    [
        "Hi! I'm Dev, 22, what does it pay and whats the workload",
        "Hi! I'm Dev, 22, what does it pay? whats the workload?",
    ],
)
def test_a_message_after_an_introduction_is_answered_question_by_question(kb, message):
    """After "Hi! I'm Dev, 22," (two short clauses) the message's questions were one: the
    pay answered as the closest passage, the workload never asked."""
    answer = kb.ask(message)
    assert len(answer.parts) == 2 and answer.parts[1].question.lower() == "whats the workload?"
    assert {c.section_id for c in answer.citations} >= {"compensation", "workload"}


def test_what_the_writer_is_adds_no_word_the_article_lacks(tmp_path):
    """"I'm a baker, what does a welder do?" was refused by a welding article: "baker", what
    the writer is, counted as a thing asked that the article does not mention."""
    article = tmp_path / "welder.md"
    article.write_text(
        "# Welding as a Career\n\n## What Welders Do\n\nA welder joins metal parts with heat, "
        "reading blueprints and cutting steel to size.\n\n## Pay\n\nWelders earn a median of "
        "$48,940 a year.\n",
        encoding="utf-8",
    )
    kb = KnowledgeBase.load(article, semantic=False)
    assert _asked(kb, "I'm a baker, what does a welder do?") == _asked(kb, "what does a welder do?")
    answer = kb.ask("I'm a baker, what does a welder do?")
    assert answer.coverage != "none" and answer.section_id == "what-welders-do"
    # Asked about after saying it, it is asked: the article does not mention bakers.
    assert [t.surface for t in kb.read("I'm a baker. What do bakers earn?", meaning=False).missing] == ["bakers"]


def test_what_the_writer_is_that_the_article_lacks_is_never_answered_for_sure():
    """"I'm a felon, can I become a nurse?" was "Answered from the article." with "Yes." and
    the passage on becoming a nurse later in life: what the writer is, unknown to the
    article, was set aside as not asked, and nothing asked was left unanswered. The answer
    may hinge on it: the closest passage, never "Answered"."""
    kb = KnowledgeBase.load(Path(__file__).parent / "data" / "nurse.md", semantic=False)
    assert kb.ask("can I become a nurse later in life?").coverage == "covered"
    answer = kb.ask("I'm a convicted felon, can I become a nurse later in life?")
    assert answer.coverage == "closest" and answer.section_id == kb.ask("can I become a nurse later in life?").section_id
    assert answer.message == "The article does not mention: convicted, felon."
    # What the writer is that the article has a word for is asked as before.
    assert kb.ask("I'm a nurse, can I become a nurse later in life?").coverage == "covered"
