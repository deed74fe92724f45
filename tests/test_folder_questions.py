"""A folder of articles as a newcomer asks it: which article a question is about, the
examples it offers, and follow-ups from one career to another. Small made-up articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge import KnowledgeBase

BAKER = """# Becoming a Baker

Bakers make bread, pastries and cakes for shops, hotels and supermarkets. A baker's day
starts early, often at three or four in the morning.

## What bakers do

Bakers weigh flour, mix dough, shape loaves and watch the ovens. In a small bakery one
baker may also serve customers and order supplies.

## Baker pay

Bakers in the United States earn about $35,000 a year. A head baker in a hotel earns more.

## Training

Most bakers learn on the job over about two years. A college course in baking takes one
year and helps a baker find work in hotels.

## Is baking hard on the body?

Bakers stand all day and lift heavy sacks of flour. The heat of the ovens is tiring in summer.
"""

WELDER = """# Welding as a Career

Welders join metal parts for buildings, ships and pipelines. Welding is skilled work that
pays well for people who like to work with their hands.

## What welders do

Welders read drawings, cut metal and join the parts with an electric arc. Some welders
work on ships, others on pipelines far from home.

## How long is the training?

Welding school takes six to eighteen months. After school, a new welder passes a
certification test for each kind of weld.

## Welder pay

Welders earn about $48,000 a year. Pipeline welders can earn twice as much.

## Is welding dangerous?

The arc can burn the eyes and the skin, so welders wear masks and gloves. Fumes are a risk
in small rooms.
"""


def folder(tmp_path: Path, **articles: str) -> Path:
    """A folder of the given articles, each `name.md`."""
    path = tmp_path / "articles"
    path.mkdir()
    for name, text in articles.items():
        (path / f"{name}.md").write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("semantic", [False, None], ids=["words", "meaning"])
def test_a_question_that_names_one_career_is_answered_from_its_article(tmp_path, semantic):
    """"how long is baker training?" was answered by the welder's "How long is the
    training?", its heading's words nearer the question's than the baker's "Training": a
    question naming one article's own word is answered from that article."""
    kb = KnowledgeBase.load(folder(tmp_path, baker=BAKER, welder=WELDER), semantic=semantic)
    assert kb.ask("how long is baker training?").section_id == "baker/training"
    assert kb.ask("how long does it take to train as a baker?").section_id == "baker/training"
    # Naming none, the folder's best passage answers, whichever article it is in.
    assert kb.ask("how long is the training?").section_id == "welder/how-long-is-the-training"
    # Naming both, neither is preferred: each article's pay is among the first two.
    both = kb.ask("do bakers earn more than welders?")
    assert {r.section_id for r in both.ranking[:2]} == {"baker/baker-pay", "welder/welder-pay"}
