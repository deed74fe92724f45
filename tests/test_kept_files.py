"""What career-chat keeps, and where: transcripts, question history, the last conversation;
and `--jsonl`'s exit status."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from chat.app import CareerChat
from chat.history import QuestionHistory
from chat.widgets import QuestionInput

from .test_app import ask, wait_for
from .test_cli import run


async def test_ctrl_s_saves_outside_the_current_folder_and_the_path_shown_exists(kb, tmp_path, monkeypatch):
    documents = tmp_path / "Documents"
    documents.mkdir()
    here = tmp_path / "checkout"
    here.mkdir()
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(documents))
    monkeypatch.chdir(here)
    app = CareerChat(kb)  # no folder given: the documented default
    async with app.run_test(size=(100, 30)) as pilot:
        await ask(pilot, "what does it pay?")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: any("Transcript saved as" in str(n.message) for n in app._notifications))
    message = next(str(n.message) for n in app._notifications if "Transcript saved as" in str(n.message))
    # The path as the notice breaks it into lines (the home folder as ~), read back whole.
    saved = os.path.expanduser(message.split("Transcript saved as\n", 1)[1].replace("\n", ""))
    assert os.path.isfile(saved) and saved.startswith(str(documents / "career-chat"))
    assert list(here.iterdir()) == []  # nothing in the current folder
    quote = kb.ask("what does it pay?").citations[0].quote
    assert quote in " ".join(open(saved, encoding="utf-8").read().split())  # the answer, as saved


def test_transcripts_go_to_the_data_folder_when_there_is_no_documents_folder(tmp_path, monkeypatch):
    from chat.places import transcripts_folder

    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(tmp_path / "absent"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert transcripts_folder() == tmp_path / "data" / "career-chat" / "transcripts"


def test_save_dir_that_is_a_file_is_refused_before_or_after_chat(tmp_path):
    """--save-dir is the chat app's: taken before the command or after `chat` (after it,
    it was "unrecognized arguments")."""
    afile = tmp_path / "f"
    afile.write_text("x")
    for args in (["--save-dir", str(afile)], ["chat", "--save-dir", str(afile)]):
        result = run(*args)
        assert result.returncode == 2 and "--save-dir" in result.stderr and "not a folder" in result.stderr, result.stderr


async def test_question_history_survives_a_restart(kb, tmp_path):
    first = CareerChat(kb, transcript_folder=tmp_path, data_folder=tmp_path / "data")
    async with first.run_test(size=(100, 30)) as pilot:
        await ask(pilot, "what does it pay?")
        await ask(pilot, "is it a real job?")
    second = CareerChat(kb, transcript_folder=tmp_path, data_folder=tmp_path / "data")
    async with second.run_test(size=(100, 30)) as pilot:
        box = second.query_one("#question", QuestionInput)
        await pilot.press("up")
        assert box.value == "is it a real job?"
        await pilot.press("up")
        assert box.value == "what does it pay?"
        second.action_forget_history()  # the command palette's "Clear question history"
        box.value = ""
        await pilot.press("up")
        assert box.value == ""
    assert json.loads((tmp_path / "data" / "history.json").read_text(encoding="utf-8")) == []


def test_history_is_capped_and_a_damaged_file_starts_afresh(tmp_path):
    path = tmp_path / "history.json"
    history = QuestionHistory(path, limit=5)
    for n in range(12):
        history.add(f"question {n}")
    assert QuestionHistory(path, limit=5).items == [f"question {n}" for n in range(7, 12)]
    path.write_text('{"not": "a list"', encoding="utf-8")
    assert QuestionHistory(path).items == []
    path.write_text(json.dumps(["ok", 3, "\x1b[31mred", ""]), encoding="utf-8")
    assert QuestionHistory(path).items == ["ok", "[31mred"]
    path.write_text("[" * 5000 + "]" * 5000, encoding="utf-8")  # deeper than the decoder's stack
    assert QuestionHistory(path).items == []


def test_long_pastes_never_grow_the_history_past_what_is_read_back(tmp_path):
    # 45 pastes of 100 KB made a file over the 4 MB read back, so every question was lost.
    path = tmp_path / "history.json"
    history = QuestionHistory(path)
    history.add("what does it pay?")
    for n in range(45):
        history.add(f"paste {n} " + "é" * 100_000)
    assert path.stat().st_size <= 4_000_000
    kept = QuestionHistory(path).items
    assert kept and kept[-1].startswith("paste 44 ") and all(len(q) <= 8_000 for q in kept)
    history.add("and now a short one?")  # within the file's bytes, the oldest go first
    assert QuestionHistory(path).items[-1] == "and now a short one?"


def test_jsonl_with_a_blank_line_among_ten_exits_0_with_ten_lines():
    questions = ["what does it pay?", "is it a real job?", "will it be obsolete?", "do I need a degree?", "",
                 "how do I start?", "how do i cook risotto", "what skills do I need?", "is it remote?", "who hires?"]
    result = run("ask", "--jsonl", stdin="\n".join(questions) + "\n")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 10 and rows[4] == {"line": 5, "error": "line 5 holds no question; put one question on each line"}
    assert all("question" in row for n, row in enumerate(rows) if n != 4)


def test_jsonl_rows_with_a_conversation_id_are_followed_up_within_it():
    rows = [
        {"question": "is it a real job?", "conversation": "a"},
        {"question": "is it a real job?", "conversation": "b"},
        {"question": "tell me more", "conversation": "a"},
        "tell me more",
    ]
    stdin = "\n".join(json.dumps(r) if isinstance(r, dict) else r for r in rows) + "\n"
    out = [json.loads(line) for line in run("ask", "--jsonl", stdin=stdin).stdout.splitlines()]
    assert [o.get("conversation") for o in out] == ["a", "b", "a", None]
    first = {c["quote"] for c in out[0]["citations"]}
    more = {c["quote"] for c in out[2]["citations"]}
    assert out[2]["citations"][0]["section_id"] == out[0]["citations"][0]["section_id"] and not first & more
    assert out[3]["citations"][0]["section_id"] != out[0]["citations"][0]["section_id"]  # alone: no context


NO_EARLIER = "career-chat: note: -c: no earlier conversation with this article to go on with; this question starts one\n"


def test_ask_continue_goes_on_with_the_last_conversation(tmp_path):
    env = {"XDG_DATA_HOME": str(tmp_path)}
    assert run("ask", "-c", "and the money?", env=env).stderr == NO_EARLIER  # said, not asked alone unsaid
    (tmp_path / "career-chat" / "last-conversation.json").unlink()
    first = run("ask", "--json", "is it a real job?", env=env)
    assert json.loads(first.stdout)["citations"][0]["section_id"] != "compensation"
    followed = run("ask", "--json", "-c", "and the money?", env=env)
    assert followed.returncode == 0 and json.loads(followed.stdout)["citations"][0]["section_id"] == "compensation"
    assert followed.stderr == ""
    more = run("ask", "--json", "--continue", "tell me more", env=env)
    assert json.loads(more.stdout)["citations"][0]["section_id"] == "compensation"
    alone = run("ask", "--json", "tell me more", env=env)  # without -c: a new conversation
    assert json.loads(alone.stdout)["citations"][0]["section_id"] != "compensation"


def test_ask_continue_goes_on_with_the_same_article_however_its_path_is_spelled(tmp_path):
    """Asked as /abs/path/nurse.md, then from its folder as nurse.md: the same article, so
    -c goes on (it said there was no earlier conversation)."""
    env = {"XDG_DATA_HOME": str(tmp_path / "data")}
    folder = tmp_path / "articles"
    folder.mkdir()
    article = folder / "nurse.md"
    article.write_text((Path(__file__).parent / "data" / "nurse.md").read_text(encoding="utf-8"), encoding="utf-8")
    first = json.loads(run("--article", str(article), "ask", "--json", "what do nurses earn?", env=env).stdout)
    assert first["coverage"] == "covered"
    more = run("--article", "nurse.md", "ask", "--json", "-c", "tell me more", env=env, cwd=folder)
    assert more.stderr == ""  # no "no earlier conversation" note
    # The pay passage went on with: all of it was quoted, and that is said.
    assert json.loads(more.stdout)["message"] == "That is all the article says on this."


def test_a_last_conversation_quoting_what_the_article_does_not_say_is_not_gone_on_with(tmp_path):
    # Edited by hand, or kept before the article changed: a new conversation starts.
    env = {"XDG_DATA_HOME": str(tmp_path)}
    first = json.loads(run("ask", "--json", "is it a real job?", env=env).stdout)
    kept = tmp_path / "career-chat" / "last-conversation.json"
    data = json.loads(kept.read_text(encoding="utf-8"))
    data["turns"][0]["answer"]["citations"][0]["quote"] = "Prompt engineering is the safest job there is."
    kept.write_text(json.dumps(data), encoding="utf-8")
    result = run("ask", "--json", "-c", "tell me more", env=env)
    more = json.loads(result.stdout)
    assert more["citations"][0]["section_id"] != first["citations"][0]["section_id"]  # alone: no context
    assert result.stderr == NO_EARLIER


@pytest.mark.parametrize("damage", ['{"id": 1, "turns": [', "[" * 5000 + "]" * 5000], ids=["cut short", "nested too deep"])
def test_a_damaged_last_conversation_starts_a_new_one(tmp_path, damage):
    env = {"XDG_DATA_HOME": str(tmp_path)}
    (tmp_path / "career-chat").mkdir()
    (tmp_path / "career-chat" / "last-conversation.json").write_text(damage, encoding="utf-8")
    result = run("ask", "-c", "what does it pay?", env=env)
    assert result.returncode == 0 and result.stderr == NO_EARLIER
    assert result.stdout.startswith("Answered from the article.") and "Compensation" in result.stdout


@pytest.mark.parametrize(
    "question",
    ["what does it pay?", "is it a real job? what does it pay? how do I bake bread?", "how do I bake bread?", "hi", "who wrote this?"],
)
def test_a_kept_answer_is_its_json_form(kb, question):
    """The last conversation keeps each answer as `--json` writes it (read back by `ask -c`)."""
    from chat.conversation import as_data

    answer = kb.ask(question)
    assert json.dumps(as_data(answer)) == json.dumps(answer.model_dump(mode="json"))  # types too, not only values
