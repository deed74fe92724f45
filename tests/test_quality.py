"""Quality gates, through the same code as `career-chat eval`.

Dev questions are for learning, not fitting: these floors guard against regressions.
The second article tests that nothing was built around the first.
"""

import json

import pytest

from knowledge import KnowledgeBase
from knowledge.evaluation import evaluate, read_questions

from .conftest import DATA, shared_article


def assert_honest(overall, near: bool = True) -> None:
    """What every set must show: far off-topic always refused, few answerable questions
    refused or hedged, and (where the set has enough of them) near-topic ones handled."""
    assert overall.refused in (None, 1.0)
    assert not near or overall.near_topic_handled >= 0.85
    assert overall.wrongly_refused <= 0.05
    assert overall.hedged <= 0.15


def test_dev_questions_meet_the_floors(kb):
    questions = read_questions(DATA / "dev.jsonl") + read_questions(DATA / "dev-more.jsonl")
    overall = evaluate(questions, kb.ask).overall
    assert overall.top1 >= 0.90
    assert overall.contains >= 0.75
    assert_honest(overall)


def test_words_alone_still_meet_the_old_floors():
    questions = read_questions(DATA / "dev.jsonl") + read_questions(DATA / "dev-more.jsonl")
    overall = evaluate(questions, KnowledgeBase.load(semantic=False).ask).overall
    assert overall.top1 >= 0.85 and overall.contains >= 0.70
    assert_honest(overall)


def test_real_phrasings_meet_the_floors(kb):
    overall = evaluate(read_questions(DATA / "real.jsonl"), kb.ask).overall
    assert overall.top1 >= 0.75  # the floor: 14 of the 18 answerable
    assert_honest(overall, near=False)  # two near-topic questions: too few for a share


def test_the_same_engine_works_on_another_real_article():
    article = shared_article("getting-paid.md")
    questions = read_questions(article.with_suffix(".jsonl"))
    overall = evaluate(questions, KnowledgeBase.load(article).ask).overall
    assert overall.top1 >= 0.85
    assert_honest(overall)


def test_an_article_written_after_the_tuning_is_answered_as_well():
    """tests/data/ux-designer.md and its questions were written for this check after the
    engine's mechanisms and weights were chosen; when written: top-1 0.78 with meaning,
    0.67 by words, far off-topic refused 1.00, one answerable question refused ("does
    figma matter?": Figma is named once in passing), answered since a name the article
    writes counts (knowledge/names.py, a rule that came from it: 0.89 / 0.78 after)."""
    questions = read_questions(DATA / "ux-designer.jsonl")
    overall = evaluate(questions, KnowledgeBase.load(DATA / "ux-designer.md").ask).overall
    assert overall.top1 >= 0.70
    assert overall.refused == 1.0 and overall.wrongly_refused <= 0.05 and overall.hedged <= 0.15


def test_other_career_articles_load_and_answer_their_own_headings():
    for name in ["tech-interview-10-steps.md", "working-remotely-year.md"]:
        kb = KnowledgeBase.load(shared_article(name))
        for section in kb.sections[1:]:
            answer = kb.ask(section.title)
            assert answer.answered, section.title


def test_followups_land_on_their_section(kb):
    from chat import Conversation

    hits = 0
    lines = (DATA / "followups.jsonl").read_text(encoding="utf-8").splitlines()
    for line in lines:
        case = json.loads(line)
        conversation = Conversation(kb)
        first, second = case["turns"]
        conversation.ask(first["question"])
        answer = conversation.ask(second["question"])
        hits += answer.section_id in [second["section"], *second.get("alt_sections", [])]
    assert hits / len(lines) >= 0.80


def test_a_second_article_of_our_own_is_answered_as_well():
    """tests/data/electrician.md and its questions were written after this round's rules,
    before the engine had answered any of them: top-1 0.69 with meaning, 0.50 by words,
    two answerable questions refused ("could I get electrocuted?", no word in common; "I'm
    colour blind, is that a problem?", "colour" used once). Both are answered since meaning
    settles coverage where words are thin (SAYS_IT, set from tests/data/everyday.txt)."""
    questions = read_questions(DATA / "electrician.jsonl")
    overall = evaluate(questions, KnowledgeBase.load(DATA / "electrician.md").ask).overall
    assert overall.top1 >= 0.70
    assert overall.refused == 1.0 and overall.wrongly_refused <= 0.10 and overall.hedged <= 0.15


@pytest.mark.parametrize("article", [None, DATA / "ux-designer.md", DATA / "electrician.md"])
def test_everyday_questions_are_refused_by_career_articles(article):
    # "how do I learn to play guitar?" shares "learn", a career topic, with every one of
    # them: only meaning (nothing comes near) can tell that it is not about careers.
    kb = KnowledgeBase.load(article)
    lines = (DATA / "everyday.txt").read_text(encoding="utf-8").splitlines()
    questions = [line for line in lines if line.strip() and not line.startswith("#")]
    assert len(questions) == 40
    assert [q for q in questions if kb.ask(q).answered] == []


def test_a_third_article_of_our_own_written_last_is_answered_as_well():
    """tests/data/pilot.md and its questions were written after every rule of this round:
    when first answered, top-1 0.81 with meaning, 0.62 by words, far off-topic refused
    1.00, one answerable question refused ("will I miss christmas with my family?", answered
    since two of a question's words in one sentence count against thin evidence: 0.81).
    Since then only "a year" after an amount stopped passing for a span of time."""
    questions = read_questions(DATA / "pilot.jsonl")
    overall = evaluate(questions, KnowledgeBase.load(DATA / "pilot.md").ask).overall
    assert overall.top1 >= 0.75
    assert overall.refused == 1.0 and overall.wrongly_refused <= 0.05 and overall.hedged <= 0.15


def test_a_scraped_looking_article_of_our_own_is_answered_as_well():
    """tests/data/paralegal.md (a table of contents, a share bar, a reading time, bold
    "Pros"/"Cons" labels above lists) and its questions were written before the engine
    answered any of them: top-1 0.63 both ways, the table of contents quoted as an answer
    ("Career Growth [1] Pros and Cons [2] ..."), three answerable questions refused. The
    cleaning rules for page furniture and list labels, and four lexicon additions, came
    from it: 0.79 with meaning, 0.84 by words, none refused; so it is no longer held out."""
    report = evaluate(read_questions(DATA / "paralegal.jsonl"), KnowledgeBase.load(DATA / "paralegal.md").ask)
    overall = report.overall
    assert overall.top1 >= 0.75
    assert overall.refused == 1.0 and overall.wrongly_refused <= 0.05 and overall.hedged <= 0.15
    quotes = {c.quote for o in report.outcomes for c in o.answer.citations}
    assert not quotes & {"Pros", "Cons", "Career Growth", "Pros and Cons", "Share on Facebook | Share on X | Email"}


@pytest.mark.parametrize(
    ("name", "floor"),
    [
        # Written before the engine answered them: accountant 0.47 with meaning, 0.37 by
        # words (its takeaways box, which holds some answers, later accepted for four
        # questions: 0.53 / 0.42); nurse 0.70 / 0.60. The acronym reading, "demanding"
        # kept apart from "demand" and a bare "worth" out of the start group came from
        # them (0.63 / 0.53 and 0.80 / 0.70 after), so neither is held out any more.
        ("accountant", 0.60),
        ("nurse", 0.75),
    ],
)
def test_two_more_articles_of_our_own_are_answered(name, floor):
    kb = KnowledgeBase.load(DATA / f"{name}.md")
    overall = evaluate(read_questions(DATA / f"{name}.jsonl"), kb.ask).overall
    assert overall.top1 >= floor
    # accountant: "will I burn out in the spring?" is refused (no stress word in the article)
    assert overall.refused == 1.0 and overall.wrongly_refused <= 0.10 and overall.hedged <= 0.15


def test_an_article_of_our_own_written_after_every_rule_is_answered_as_well():
    """tests/data/teacher.md (question headings, a "Read more" link list) and its questions
    were written after every other change of this round, and not tuned on: when first
    answered, top-1 0.84 with meaning, 0.63 by words, nothing answerable refused with
    meaning, far off-topic refused 1.00."""
    kb = KnowledgeBase.load(DATA / "teacher.md")
    overall = evaluate(read_questions(DATA / "teacher.jsonl"), kb.ask).overall
    assert overall.top1 >= 0.80
    assert overall.refused == 1.0 and overall.wrongly_refused <= 0.05 and overall.hedged <= 0.25


def test_a_listicle_with_an_faq_of_our_own_is_answered_as_well():
    """tests/data/analyst.md (numbered reason headings, an FAQ of bold questions) and its
    questions were written after every rule but the FAQ one: when first answered, top-1
    0.89 with meaning, 0.78 by words, nothing answerable refused with meaning; the FAQ's
    answers quoted their questions until bold questions became headings (by words 0.83 since)."""
    kb = KnowledgeBase.load(DATA / "analyst.md")
    report = evaluate(read_questions(DATA / "analyst.jsonl"), kb.ask)
    assert report.overall.top1 >= 0.85
    assert report.overall.refused == 1.0 and report.overall.wrongly_refused <= 0.05
    assert not any(c.quote.endswith("?") for o in report.outcomes for c in o.answer.citations)


def test_an_article_of_our_own_written_last_of_all_is_answered_as_well():
    """tests/data/social-media.md (a share bar, a reading time, a "Related:" line) and its
    questions were written after every change, and nothing was changed for them: when
    first answered, top-1 0.82 with meaning, 0.59 by words. With meaning one answerable
    question is refused ("will I be on call at weekends?": no word in common, and the
    nearest sentence 0.29, under the 0.3 a sentence must reach)."""
    kb = KnowledgeBase.load(DATA / "social-media.md")
    overall = evaluate(read_questions(DATA / "social-media.jsonl"), kb.ask).overall
    assert overall.top1 >= 0.80
    assert overall.refused == 1.0 and overall.near_topic_handled == 1.0 and overall.wrongly_refused <= 0.10
