"""Quality gates, through the same code as `career-chat eval`.

Dev questions are for learning, not fitting: these floors guard against regressions.
The second article tests that nothing was built around the first.
"""

import json

from knowledge import KnowledgeBase
from knowledge.evaluation import evaluate, read_questions

from .conftest import DATA, shared_article


def test_dev_questions_meet_the_floors(kb):
    questions = read_questions(DATA / "dev.jsonl") + read_questions(DATA / "dev-more.jsonl")
    report = evaluate(questions, kb.ask)
    overall = report.overall
    assert overall.top1 >= 0.85
    assert overall.contains >= 0.70
    assert overall.refused >= 0.90
    assert overall.near_topic_handled >= 0.80
    assert overall.wrongly_refused <= 0.10


def test_the_same_engine_works_on_another_real_article():
    article = shared_article("getting-paid.md")
    questions = read_questions(article.with_suffix(".jsonl"))
    report = evaluate(questions, KnowledgeBase.load(article).ask)
    assert report.overall.top1 >= 0.75
    assert report.overall.wrongly_refused <= 0.10
    assert report.overall.refused >= 0.90


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
