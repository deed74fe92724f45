"""`career-chat ask --jsonl`: one question a line in, one JSON row a line out, line N
answering line N, whatever a line holds.

Every row, and `ask --json`'s object, is made by `json_row`: an answer's fields, with the
input line it answers (and its conversation) first, or `{"line": N, "error": ...}` for a
line that holds no question. Follow-ups are kept per conversation id, for the run only and
capped (`Conversations`).
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from collections.abc import Iterator
from typing import TYPE_CHECKING, BinaryIO, TextIO

from knowledge.inputs import QuestionError, is_blank, mistyped_field, one_line

from .arguments import MAX_LINE_BYTES
from .conversation import KEPT_TURNS, Conversation
from .render import json_text

if TYPE_CHECKING:
    from knowledge import Answer, KnowledgeBase

# Conversations a run keeps for follow-ups; past it the least recently used is forgotten
# (a row naming it again starts it afresh), and each keeps its last turns only.
MAX_CONVERSATIONS = 1000
# What a conversation id is cut to.
MAX_ID_CHARS = 200
# The fields a JSON row may hold.
_FIELDS = ("question", "conversation")
# A line that opens as a JSON object does: a brace, then a key's quote.
_MEANT_AS_JSON = re.compile(r"\s*\{\s*[\"']")


def json_row(answer: "Answer | None" = None, **fields: object) -> str:
    """One JSON object on one line: `fields` first (the input line, the conversation, or an
    error), then the answer's, with no character in any string that could end a line or
    hide text (`render.json_text`)."""
    document = dict(fields)
    if answer is not None:
        document.update(answer.model_dump(mode="json"))
    return json_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")))


class Conversations:
    """A run's conversations by the ids its rows give, at most `limit` (the least recently
    used forgotten first), each holding its last `turns` turns."""

    def __init__(self, kb: "KnowledgeBase", limit: int = MAX_CONVERSATIONS, turns: int = KEPT_TURNS):
        self.kb, self.limit, self.turns = kb, limit, turns
        self._kept: OrderedDict[str, Conversation] = OrderedDict()

    def __len__(self) -> int:
        return len(self._kept)

    def __contains__(self, conversation_id: str) -> bool:
        return conversation_id in self._kept

    def get(self, conversation_id: str) -> Conversation | None:
        return self._kept.get(conversation_id)

    def ask(self, conversation_id: str, question: str) -> "Answer":
        conversation = self._kept.pop(conversation_id, None) or Conversation(self.kb, keep=self.turns)
        self._kept[conversation_id] = conversation  # the most recently used, last
        while len(self._kept) > self.limit:
            self._kept.popitem(last=False)
        return conversation.ask(question)


class _RowError(ValueError):
    """A line that cannot be asked; its text is the error row's."""


def answer_lines(kb: "KnowledgeBase", source: BinaryIO, out: TextIO, conversations: Conversations | None = None) -> Conversations:
    """Answer every line of `source` with one row on `out`, in order, flushed as written;
    the conversations kept (for a test to look at)."""
    conversations = conversations if conversations is not None else Conversations(kb)
    for number, raw in _lines(source):
        try:
            question, conversation_id = _question(number, raw)
            answer = kb.ask(question) if conversation_id is None else conversations.ask(conversation_id, question)
        except _RowError as error:
            row = json_row(line=number, error=str(error))
        except QuestionError as error:  # the engine's word on a question it cannot take
            row = json_row(line=number, error=f"line {number}: {error}")
        else:
            row = json_row(answer, line=number, conversation=conversation_id)
        out.write(row + "\n")
        out.flush()
    return conversations


# A line ends as any editor ends one: "\n", "\r\n", or a lone "\r" (old Mac files, some
# Windows tools); a file of lone "\r" read as one line lost every question but its first.
_LINE_END = re.compile(rb"\r\n|\r|\n")


def _lines(source: BinaryIO) -> Iterator[tuple[int, bytes | None]]:
    """(number, bytes) for each line, without its line break; None for a line longer than
    MAX_LINE_BYTES, read past, never held whole. Read as it arrives (a person typing rows
    gets each answer at once), so a "\r\n" may come in two reads."""
    number, pending, too_long, after_cr = 0, bytearray(), False, False
    read = getattr(source, "read1", source.read)
    while chunk := read(MAX_LINE_BYTES):
        at = 1 if after_cr and chunk.startswith(b"\n") else 0  # the rest of a "\r\n"
        for end in _LINE_END.finditer(chunk, at):
            piece = bytes(pending) + chunk[at : end.start()]
            number += 1
            yield number, None if too_long or len(piece) > MAX_LINE_BYTES else piece
            pending.clear()
            too_long, at = False, end.end()
        after_cr = chunk.endswith(b"\r")
        if not too_long:
            pending += chunk[at:]
            if len(pending) > MAX_LINE_BYTES:
                too_long = True
                pending.clear()
    if pending or too_long:
        yield number + 1, None if too_long else bytes(pending)


def _question(number: int, raw: bytes | None) -> tuple[str, str | None]:
    """(question, conversation id or None) of a line; `_RowError` when it holds none."""
    if raw is None:
        raise _RowError(f"line {number} is longer than {MAX_LINE_BYTES // 1024} KB; put one question on each line")
    if b"\x00" in raw:  # as for an article: text has none
        raise _RowError(f"line {number} holds a NUL byte: binary data or UTF-16 text, not a question")
    # Bytes that are not UTF-8 are replaced, never fatal; a byte-order mark (Notepad's,
    # PowerShell's, before line 1) is no part of the row.
    line = raw.decode("utf-8", "replace").removeprefix("\ufeff")
    question, conversation = line, None
    if line.lstrip().startswith("{"):
        try:
            row = json.loads(line)
        except RecursionError:
            raise _RowError(f"line {number}: a JSON row nested too deeply; put one question on each line") from None
        except ValueError as error:
            if _MEANT_AS_JSON.match(line):  # a key's quote after the brace: a row cut short or mistyped
                raise _RowError(
                    f"line {number} is not valid JSON ({getattr(error, 'msg', error).removesuffix(' at')}"
                    f" at column {getattr(error, 'colno', '?')}); "
                    'send {"question": "..."} or the question as plain text'
                ) from None
            row = None  # a question that happens to start with a brace
        if isinstance(row, dict):
            typo = mistyped_field(row, _FIELDS)  # read past, "conversation_id" asks on its own
            if typo is not None:
                raise _RowError(f"line {number}: {typo}")
            question, conversation = row.get("question"), row.get("conversation")
            if not isinstance(question, str) or not (conversation is None or isinstance(conversation, str)):
                raise _RowError(
                    f'line {number}: a row needs "question" as a string and "conversation", if given, as a string'
                )
            conversation = one_line(conversation)[:MAX_ID_CHARS] if conversation is not None else None
    if is_blank(question):  # blank, spaces, or control, zero-width or format characters only
        raise _RowError(f"line {number} holds no question; put one question on each line")
    return question, conversation
