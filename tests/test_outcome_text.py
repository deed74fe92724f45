"""The "closest" outcome is said once, in the same words, on every interface: the
terminal's first line, the app's Markdown, --json's message beside its coverage."""

from __future__ import annotations

import json

from chat.render import OUTCOME, headline, markdown, plain
from knowledge import KnowledgeBase

from .test_cli import run

CLOSEST = "will i be twiddling my thumbs with nothing to do"
# Two parts, each only near a passage: the joined answer is the closest passages.
BOTH_CLOSEST = "will i be twiddling my thumbs with nothing to do? is a shrinking to-do list a bad sign?"


def _said_once(line: str) -> None:
    assert line.lower().count("closest passage") == 1, line
    assert line.lower().count("directly") <= 1, line


def test_the_closest_outcome_is_said_once_in_the_terminal_app_and_json(loaded):
    kb: KnowledgeBase = loaded(None, False)
    for question in (CLOSEST, BOTH_CLOSEST):
        answer = kb.ask(question)
        assert answer.coverage == "closest", question
        first = headline(answer)
        _said_once(first)
        assert first.startswith(OUTCOME["closest"]) and answer.message in first
        _said_once(plain(answer).splitlines()[0])
        _said_once(markdown(answer).split("\n\n")[0])
    result = run("ask", CLOSEST, env={"CAREER_CHAT_SEMANTIC": "off"})
    _said_once(result.stdout.splitlines()[0])
    row = json.loads(run("ask", "--json", CLOSEST, env={"CAREER_CHAT_SEMANTIC": "off"}).stdout)
    assert row["coverage"] == "closest" and "closest passage" not in row["message"].lower()
