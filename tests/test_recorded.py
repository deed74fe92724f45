"""Speed work must not change answers: every dev question, in both modes, answers exactly as
recorded before it (benchmarks/record_answers.py wrote tests/data/recorded-answers.jsonl)."""

from __future__ import annotations

import json

import pytest

from knowledge import KnowledgeBase

from .conftest import DATA

RECORDED = [json.loads(line) for line in (DATA / "recorded-answers.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def engines() -> dict[bool, KnowledgeBase]:
    return {True: KnowledgeBase.load(semantic=True), False: KnowledgeBase.load(semantic=False)}


@pytest.mark.parametrize("semantic", [True, False], ids=["meaning", "words"])
def test_answers_are_as_recorded(engines, semantic):
    rows = [r for r in RECORDED if r["semantic"] is semantic]
    assert len(rows) == 84
    for row in rows:
        answer = engines[semantic].ask(row["question"])
        assert answer.text == row["text"], row["question"]
        assert answer.coverage == row["coverage"], row["question"]
        assert [r.section_id for r in answer.ranking] == row["ranking"], row["question"]
