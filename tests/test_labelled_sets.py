"""The labelled sets the models are fitted and measured on hold what they claim: a wrong
label would teach the models, or score them, against the article."""

import json
import re
import sys

import pytest

from knowledge import KnowledgeBase

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))

from question_sets import held_out_own_sets, own_sets  # noqa: E402

SETS = own_sets() + held_out_own_sets()


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2019", "'")).strip().lower()


@pytest.mark.parametrize("qs", SETS, ids=[qs.name for qs in SETS])
def test_every_label_names_a_section_that_holds_its_fact(qs, loaded):
    kb: KnowledgeBase = loaded(qs.article, semantic=False)
    texts = {s.id: _plain(s.title + " " + s.text) for s in kb.sections}
    rows = [json.loads(line) for path in qs.questions for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len({r["id"] for r in rows}) == len(rows), "ids repeat"
    for r in rows:
        labelled = [r["section"], *(r.get("alt_sections") or [])] if r["section"] else []
        assert all(s in texts for s in labelled), r["id"]
        if r.get("answer_contains"):  # the fact asked for, in the section labelled first
            assert _plain(r["answer_contains"]) in texts[r["section"]], r["id"]
        if qs.kind == "real":
            assert r.get("source", "").startswith(("https://", "http://")), r["id"]
