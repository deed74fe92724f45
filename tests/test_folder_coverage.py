"""A folder says "Answered" and refuses as its articles alone do: once its ranking has
chosen the passage, whether that passage answers is judged as its article alone judges it.
The coverage model was fitted on single articles; fed a folder's word statistics, subject
and margins, a folder of career articles answered everyday questions every one of them
refuses alone ("how do I change a car tyre?" from the electrician's)."""

from __future__ import annotations

import pytest

from knowledge import KnowledgeBase
from knowledge.evaluation import read_questions

from .conftest import DATA, folder_of

# The first six of our articles, by name.
NAMES = sorted(path.stem for path in DATA.glob("*.md"))[:6]


def everyday() -> list[str]:
    lines = (DATA / "everyday.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> KnowledgeBase:
    return KnowledgeBase.load(folder_of(tmp_path_factory.mktemp("six"), *NAMES))


def test_a_folder_refuses_the_everyday_questions_each_of_its_articles_refuses_alone(folder, loaded):
    alone = [loaded(DATA / f"{name}.md") for name in NAMES]
    refused_by_all = [q for q in everyday() if not any(kb.ask(q).answered for kb in alone)]
    assert len(refused_by_all) >= 20  # what the test stands on: most of them
    assert [q for q in refused_by_all if folder.ask(q).answered] == []


def test_a_folders_answer_is_judged_as_its_article_alone_judges_the_same_passage(folder, loaded):
    """Where the folder weighs the passage its article alone weighs, the outcome, the
    confidence and every signal of the coverage decision are the article's alone; the
    message may say more (which article it quotes)."""
    compared = 0
    asked = 0
    for name in NAMES:
        alone = loaded(DATA / f"{name}.md")
        questions = [q.question for q in read_questions(DATA / f"{name}.jsonl")][::2] + everyday()[::8]
        for question in questions:
            asked += 1
            here, there = folder.assess(question), alone.assess(question)
            if here.section_id is None or here.section_id != f"{name}/{there.section_id}":
                continue  # another passage, or none weighed (small talk, a refusal by the folder's words)
            compared += 1
            assert here.answer.coverage == there.answer.coverage, question
            assert here.answer.confidence == there.answer.confidence, question
            assert here.signals == there.signals, question
    assert compared >= asked / 3


def test_a_question_naming_one_article_is_judged_as_that_article_alone(folder, loaded):
    """`article=`, as a follow-up naming one career is asked: the same judgement."""
    name = NAMES[0]
    alone = loaded(DATA / f"{name}.md")
    questions = [q.question for q in read_questions(DATA / "phrasings" / f"{name}.jsonl")]
    same = 0
    for question in questions:
        here, there = folder.assess(question, article=name), alone.assess(question)
        if here.section_id is not None and here.section_id == f"{name}/{there.section_id}":
            same += 1
            assert (here.answer.coverage, here.answer.confidence) == (there.answer.coverage, there.answer.confidence), question
    assert same >= len(questions) / 2

