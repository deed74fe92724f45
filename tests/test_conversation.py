"""Conversation: "tell me more", short follow-ups, and new questions left alone."""

import pytest

from chat import Conversation

from .conftest import DATA, folder_of


def test_tell_me_more_continues_the_same_passage(kb):
    conversation = Conversation(kb)
    first = conversation.ask("How much can a prompt engineer earn?")
    more = conversation.ask("tell me more")
    assert more.answered and more.question == "tell me more"
    assert {c.section_id for c in more.citations} == {first.section_id}
    assert not {c.quote for c in first.citations} & {c.quote for c in more.citations}


def test_more_runs_out_politely(kb):
    conversation = Conversation(kb)
    conversation.ask("How much can a prompt engineer earn?")
    answers = [conversation.ask("more") for _ in range(5)]
    assert answers[-1].citations == [] and "all the article says" in answers[-1].message


def test_short_followup_borrows_the_previous_topic(kb):
    conversation = Conversation(kb)
    first = conversation.ask("Do prompt engineers need programming skills?")
    alone = kb.ask("and the prompt engineers?")
    answer = conversation.ask("and the prompt engineers?")
    assert alone.section_id != first.section_id
    assert answer.section_id == first.section_id and answer.question == "and the prompt engineers?"


def test_refused_followup_is_read_with_the_previous_question(kb):
    conversation = Conversation(kb)
    conversation.ask("Is the job market growing?")
    assert not kb.ask("and in Germany?").answered
    answer = conversation.ask("and in Germany?")
    assert answer.answered and answer.section_id == "job-market-growth" and answer.missing == ["Germany"]  # as the question spells it
    assert answer.coverage == "partial"  # like any answer that lacks a named thing


def test_a_followup_on_the_same_passage_is_judged_like_any_answer(kb):
    conversation = Conversation(kb)
    conversation.ask("what does a prompt engineer earn?")
    answer = conversation.ask("and in Germany?")
    assert answer.section_id == "compensation" and answer.coverage == "partial"
    assert answer.message == "The article does not mention: Germany."


def test_a_complete_new_question_is_not_dragged_back(kb):
    conversation = Conversation(kb)
    conversation.ask("How much do prompt engineers make?")
    answer = conversation.ask("Are there certifications for prompt engineering?")
    assert answer.section_id == "certification-and-educational-resources"


def test_a_follow_up_of_another_topic_is_not_answered_with_the_last_passage(kb):
    """Read with "What does it pay?", "is it hard work?" found the pay passage again and was
    "Answered" with more of it; "is it stressful?" was "partly answered" with it."""
    for follow_up, outcome in (("Is it hard work?", "closest"), ("Is it stressful?", "none")):
        conversation = Conversation(kb)
        conversation.ask("What does it pay?")
        answer = conversation.ask(follow_up)
        assert answer.coverage == outcome and "compensation" not in {c.section_id for c in answer.citations}, follow_up
    conversation = Conversation(kb)
    conversation.ask("What does it pay?")
    assert conversation.ask("is it high?").section_id == "compensation"  # no topic of its own: the pay's


def test_a_follow_up_read_with_the_turn_before_is_one_question(kb):
    """Read with "What does it pay?", "what about in Germany?" was cut into two questions
    again (the pay passage, partly) where "and in Germany?" was not (refused): both are the
    pay question asked of Germany, as the whole question is answered."""
    whole = kb.ask("What does it pay in Germany?")
    for follow_up in ("and in Germany?", "what about in Germany?"):
        conversation = Conversation(kb)
        conversation.ask("What does it pay?")
        answer = conversation.ask(follow_up)
        assert (answer.coverage, answer.section_id) == (whole.coverage, whole.section_id), follow_up


def test_more_without_a_previous_answer_is_just_a_question(kb):
    answer = Conversation(kb).ask("more")  # no topic of its own: how the article opens, at most
    assert answer.coverage in ("closest", "none")


def test_blank_is_a_value_error(kb):
    with pytest.raises(ValueError):
        Conversation(kb).ask("  ")


def test_a_followup_turn_is_encoded_once(kb, monkeypatch):
    if kb.encoder is None:
        pytest.skip("the sentence model is not in use")
    conversation = Conversation(kb)
    conversation.ask("Is the job market growing?")
    encoded = []
    real = kb.encoder.encode
    monkeypatch.setattr(kb.encoder, "encode", lambda texts: encoded.extend(texts) or real(texts))
    conversation.ask("and in Germany?")
    # Asked alone once; judging whether it leans on the last turn needs only its words.
    assert encoded.count("and in Germany?") == 1
    assert "Is the job market growing? and in Germany?" in encoded


def test_a_long_conversation_keeps_its_last_turns_only(kb):
    from chat.conversation import KEPT_TURNS

    conversation = Conversation(kb)
    questions = [f"what does it pay? ({n})" for n in range(KEPT_TURNS + 5)]
    for question in questions:
        conversation.ask(question)
    assert [t.question for t in conversation.turns] == questions[-KEPT_TURNS:]


def test_a_follow_up_after_the_whole_passage_was_quoted_is_not_refused(loaded):
    """"and in Germany?" after an answer that quoted every sentence of the pay passage: the
    passage again, saying what it lacks, as the whole question would get (it was refused:
    nothing was left to go on with)."""
    nurses = loaded(DATA / "nurse.md")
    conversation = Conversation(nurses)
    first = conversation.ask("what does a nurse earn?")
    follow = conversation.ask("and in Germany?")
    whole = nurses.ask("what does a nurse earn in Germany?")
    assert follow.answered and follow.section_id == first.section_id == whole.section_id
    assert [m.lower() for m in follow.missing] == ["germany"]


@pytest.mark.parametrize("question, error", [(3, TypeError), (None, TypeError), ("  \x1b ", ValueError)])
def test_a_question_that_is_none_is_said_as_kb_ask_says_it(kb, question, error):
    with pytest.raises(error, match="question"):
        Conversation(kb).ask(question)


def test_a_conversation_needs_a_loaded_article(tmp_path):
    from knowledge import KnowledgeBase

    with pytest.raises(TypeError, match="KnowledgeBase.load"):
        Conversation(None)
    with pytest.raises(TypeError, match="KnowledgeBase.load"):
        KnowledgeBase(str(tmp_path / "nurse.md"))


def test_a_question_too_short_for_meaning_keeps_the_passage_its_words_chose(loaded):
    """"and the money?" is near no sentence in meaning: its words' passage (pay) stands, not
    meaning's, which came nearer still to nothing (burnout)."""
    conversation = Conversation(loaded(DATA / "nurse.md"))
    conversation.ask("Can I become a nurse later in life?")
    assert conversation.ask("and the money?").section_id == "nurse-salary"


@pytest.mark.parametrize("k, error", [(0, ValueError), (-1, ValueError), ("3", TypeError), (2.5, TypeError), (True, TypeError)])
def test_search_takes_a_whole_number_of_sections(kb, k, error):
    with pytest.raises(error, match="whole number"):
        kb.search("what does it pay?", k=k)
    import numpy as np

    assert len(kb.search("what does it pay?", k=np.int64(2))) == 2


def test_semantic_must_be_a_yes_or_no_not_a_word():
    from knowledge import KnowledgeBase

    with pytest.raises(TypeError, match="semantic"):
        KnowledgeBase.load(semantic="no")


def test_the_end_of_a_passage_is_a_reply_even_after_a_question_lacking_something(loaded):
    from chat.render import is_reply, plain

    conversation = Conversation(loaded(DATA / "nurse.md"))
    conversation.ask("what does a nurse earn in Germany?")
    end = [conversation.ask("tell me more") for _ in range(4)][-1]
    assert end.message == "That is all the article says on this." and is_reply(end)
    assert plain(end) == "That is all the article says on this."


def test_a_follow_up_in_a_folder_stays_with_the_article_it_follows(tmp_path):
    """"What about the pay?" after a data analyst's answer asks the data analyst's pay, not
    the pay passage of whichever article ranks first, and is judged as that question asked
    of the analyst's article (it was always the closest passage, though it is the pay
    passage); a turn that names another job still goes there."""
    from knowledge import KnowledgeBase

    folder_of(tmp_path, "analyst", "ux-designer", "pilot")
    kb = KnowledgeBase.load(tmp_path)
    conversation = Conversation(kb)
    assert conversation.ask("Is data analysis a stressful job?").section_id.startswith("analyst/")
    pay = conversation.ask("What about the pay?")
    assert pay.section_id == "analyst/the-pay-is-good-from-the-start" and pay.coverage == "covered"
    assert Conversation(kb).ask("what about pilots?").section_id.startswith("pilot/")


def test_a_conversation_kept_as_json_goes_on_where_it_stopped(kb):
    import json

    conversation = Conversation(kb)
    conversation.ask("How much can a prompt engineer earn?")
    kept = json.loads(json.dumps(conversation.to_data()))
    again = Conversation.from_data(kb, kept)
    assert [t.answer for t in again.turns] == [t.answer for t in conversation.turns]
    assert again.ask("tell me more").citations == conversation.ask("tell me more").citations


def test_a_kept_conversation_that_is_not_one_is_a_value_error(kb, loaded):
    conversation = Conversation(kb)
    conversation.ask("How much can a prompt engineer earn?")
    other = loaded(DATA / "nurse.md")
    for data in ({"turns": []}, [{"question": 1}], [{"question": "q", "basis": "q", "answer": {}}]):
        with pytest.raises(ValueError):
            Conversation.from_data(kb, data)
    with pytest.raises(ValueError, match="quotes what these articles do not say"):
        Conversation.from_data(other, conversation.to_data())


@pytest.mark.parametrize(
    "forge",
    [
        lambda answer: answer["citations"][0].update(quote="Prompt engineers all earn $1,000,000 a year."),
        lambda answer: answer["citations"][0].update(line=answer["citations"][0]["line"] + 1),
        lambda answer: answer.update(text=answer["text"].replace("[1]", "and more than that. [1]", 1)),
    ],
    ids=["quote", "line", "text"],
)
def test_a_kept_conversation_quoting_what_the_article_does_not_say_is_a_value_error(kb, forge):
    # A web app shows a kept conversation again: a forged or stale quote must not pass as
    # the article's own sentence.
    conversation = Conversation(kb)
    conversation.ask("How much can a prompt engineer earn?")
    data = conversation.to_data()
    forge(data[0]["answer"])
    with pytest.raises(ValueError, match="quotes what these articles do not say"):
        Conversation.from_data(kb, data)
