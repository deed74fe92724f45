"""`ask --jsonl` rows: one shape for every row (the input line it answers, then the answer's
fields or an error), no row lost whatever a line holds, `--json` the same answer object; the
conversations a run keeps are capped, the least recently used forgotten first."""

from __future__ import annotations

import io
import json

from chat.conversation import Conversation
from chat.jsonl import MAX_LINE_BYTES, Conversations, answer_lines
from knowledge import Answer

from .test_cli import run
from .test_hostile import run_bytes

NO_QUESTION = "holds no question; put one question on each line"


def test_every_row_names_its_input_line_and_none_is_lost():
    lines = [
        b"what does it pay?",
        b"",
        b"   \t ",
        b"is it \xff a real \xfe job",
        b"x" * (MAX_LINE_BYTES + 10),
        json.dumps({"question": "is it a real job?", "conversation": "c1"}).encode(),
        json.dumps({"question": 3}).encode(),
        b"\x1b\x07",
        json.dumps({"question": "  ", "conversation": "c1"}).encode(),
        b"tell me more\r",
        b'{"question": "what does it pay?", "x": ' + b"[" * 1000 + b"]" * 1000 + b"}",  # valid, too deep to read
        b"will it be obsolete?",  # the last line, without a line break
    ]
    result = run_bytes("ask", "--jsonl", stdin=b"\n".join(lines))
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert [row["line"] for row in rows] == list(range(1, len(lines) + 1))
    assert [list(row)[0] for row in rows] == ["line"] * len(lines)  # the line first, always
    errors = {row["line"]: row["error"] for row in rows if "error" in row}
    assert set(errors) == {2, 3, 5, 7, 8, 9, 11}
    for number in (2, 3, 8, 9):
        assert errors[number] == f"line {number} {NO_QUESTION}"
    assert errors[5].startswith("line 5 is longer than") and "one question on each line" in errors[5]
    assert errors[7].startswith('line 7: a row needs "question" as a string')
    assert errors[11].startswith("line 11: a JSON row nested too deeply")
    for row in rows:
        if "error" in row:
            assert set(row) == {"line", "error"}
        else:
            assert list(row)[:2] == ["line", "conversation"]
            Answer.model_validate({k: v for k, v in row.items() if k not in ("line", "conversation")})
    assert rows[3]["question"] == "is it \ufffd a real \ufffd job"
    assert rows[5]["conversation"] == "c1" and rows[0]["conversation"] is None


def test_a_broken_json_row_gets_an_error_row_and_a_question_in_braces_is_asked():
    """A row meant as JSON but cut short or mistyped is not asked as a question (its
    braces and keys quoted back as an answer); a plain question that starts with a brace is."""
    lines = [
        b'\xef\xbb\xbf{"question": "what does it pay?", "conversation": "c1"',
        b"{'question': 'what does it pay?'}",
        b'{"question": "what does it pay?",}',
        b"{honestly} what does a prompt engineer earn?",
        b'{"quest',
    ]
    result = run_bytes("ask", "--jsonl", stdin=b"\n".join(lines))
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert [row["line"] for row in rows] == [1, 2, 3, 4, 5]
    for row in rows[:3] + rows[4:]:
        assert set(row) == {"line", "error"} and "is not valid JSON" in row["error"], row
    assert rows[3]["question"] == "{honestly} what does a prompt engineer earn?" and rows[3]["citations"]
    # Said once: json's "Unterminated string starting at" is not followed by a second "at".
    assert "(Unterminated string starting at column 2)" in rows[4]["error"], rows[4]


def test_a_field_name_a_letter_or_two_off_gets_an_error_row_naming_the_one_meant(kb):
    """`conversation_id` (the API's name) or a typo read past asked the follow-up on its
    own, in no conversation, and the row said `"conversation": null` after the fact."""
    rows = [
        {"question": "is it a real job?", "conversation": "c1"},
        {"question": "and the money?", "conversation_id": "c1"},
        {"question": "tell me more", "conversaton": "c1"},
        {"question": "what does it pay?", "note": "a field of the writer's own"},
    ]
    out = io.StringIO()
    answer_lines(kb, io.BytesIO("\n".join(json.dumps(row) for row in rows).encode()), out)
    answers = [json.loads(line) for line in out.getvalue().splitlines()]
    assert answers[1] == {"line": 2, "error": "line 2: 'conversation_id' is not a field; did you mean 'conversation'?"}
    assert answers[2] == {"line": 3, "error": "line 3: 'conversaton' is not a field; did you mean 'conversation'?"}
    assert answers[3]["coverage"] == "covered"


def test_a_row_after_a_byte_order_mark_is_read_as_json():
    result = run_bytes("ask", "--jsonl", stdin=b'\xef\xbb\xbf{"question": "what does it pay?", "conversation": "c1"}\n')
    row = json.loads(result.stdout.decode("utf-8"))
    assert row["question"] == "what does it pay?" and row["conversation"] == "c1"


def test_binary_data_on_stdin_is_no_question():
    """As an article with a NUL byte is no text: asked, random bytes gave a refusal naming
    sixty "words" it does not mention."""
    data = bytes(range(256)) * 4
    asked = run_bytes("ask", stdin=data)
    assert asked.returncode == 2 and asked.stdout == b""
    assert asked.stderr.decode().startswith("career-chat: error: stdin holds a NUL byte") and asked.stderr.count(b"\n") == 1
    rows = run_bytes("ask", "--jsonl", stdin=b"what does it pay?\nab\x00cd\n").stdout.decode().splitlines()
    assert json.loads(rows[1]) == {"line": 2, "error": "line 2 holds a NUL byte: binary data or UTF-16 text, not a question"}


def test_json_prints_the_same_answer_object_as_a_jsonl_row():
    question = "what does it pay?"
    alone = run("ask", "--json", question)
    (row,) = [json.loads(line) for line in run("ask", "--jsonl", stdin=question + "\n").stdout.splitlines()]
    assert row.pop("line") == 1 and row.pop("conversation") is None
    assert json.loads(alone.stdout) == row
    assert list(json.loads(alone.stdout)) == list(row)  # the same fields in the same order


def test_a_runs_conversations_are_capped_least_recently_used_first(kb):
    kept = Conversations(kb, limit=2, turns=3)
    for name in ("a", "b", "a", "c"):  # "b" is the least recently used when "c" comes
        kept.ask(name, "is it a real job?")
    assert len(kept) == 2 and "a" in kept and "c" in kept and "b" not in kept
    for _ in range(5):
        kept.ask("a", "tell me more")
    assert len(kept.get("a").turns) == 3  # each keeps its last turns only
    # A forgotten conversation starts afresh: "tell me more" alone, not after "a real job?".
    alone = Conversation(kb).ask("tell me more")
    assert kept.ask("b", "tell me more").model_dump() == alone.model_dump()


def test_a_long_batch_keeps_at_most_the_cap_of_conversations(kb):
    stdin = io.BytesIO(b"".join(json.dumps({"question": "is it a real job?", "conversation": f"c{n}"}).encode() + b"\n" for n in range(7)))
    out = io.StringIO()
    kept = answer_lines(kb, stdin, out, conversations=Conversations(kb, limit=3))
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["conversation"] for r in rows] == [f"c{n}" for n in range(7)]
    assert len(kept) == 3 and all(f"c{n}" in kept for n in (4, 5, 6))


class _Trickle(io.RawIOBase):
    """Input arriving a few bytes at a time, as from a pipe: a "\\r\\n" may be cut in two."""

    def __init__(self, data: bytes, size: int):
        self.data, self.size = data, size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        piece, self.data = self.data[: self.size], self.data[self.size :]
        buffer[: len(piece)] = piece
        return len(piece)


def test_every_line_ending_ends_a_line_and_none_is_lost(kb):
    # Lone "\r" ends lines in old Mac files and some Windows tools: read as one line, three
    # questions became one ("what does it pay?is it a real job?...").
    data = b"what does it pay?\ris it a real job?\r\nhow long are contracts?\nwill it be obsolete?\r"
    for size in (1, 2, 3, 7, len(data)):
        out = io.StringIO()
        answer_lines(kb, _Trickle(data, size), out)
        rows = [json.loads(line) for line in out.getvalue().splitlines()]
        assert [(row["line"], row["question"]) for row in rows] == [
            (1, "what does it pay?"),
            (2, "is it a real job?"),
            (3, "how long are contracts?"),
            (4, "will it be obsolete?"),
        ], size
