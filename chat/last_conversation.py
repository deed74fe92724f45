"""The last `career-chat ask` conversation, kept in the user data folder so that
`ask -c` can go on with it (as `llm -c` does)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .conversation import KEPT_TURNS, Conversation, Turn
from .places import read_small, write_atomically

if TYPE_CHECKING:
    from knowledge import KnowledgeBase

FILE = "last-conversation.json"


def article_key(kb: KnowledgeBase) -> str:
    """Which article(s) a conversation was with: continuing means the same ones."""
    return "\n".join(sorted({s.source or s.article for s in kb.sections}))


def resume(folder: Path, kb: KnowledgeBase) -> tuple[Conversation, str] | None:
    """The last conversation with this article and its id; None when there is none (or it
    was with another article, or the file is damaged: a new one starts)."""
    from knowledge import Answer

    text = read_small(folder / FILE)
    if text is None:
        return None
    try:
        data = json.loads(text)
        if data.get("article") != article_key(kb) or not isinstance(data.get("id"), str):
            return None
        turns = []
        for row in data["turns"][-KEPT_TURNS:]:
            answer = Answer.model_validate(row["answer"])
            if not kb.quotes_its_own(answer):  # another article's, or this one edited since
                return None
            turns.append(Turn(str(row["question"]), answer, str(row["basis"])))
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None
    return Conversation(kb, turns), data["id"][:64]


def keep(folder: Path, kb: KnowledgeBase, conversation: Conversation, conversation_id: str | None = None) -> str:
    """Save the conversation as the last one; its id (a new one unless given)."""
    conversation_id = conversation_id or uuid.uuid4().hex[:12]
    turns = [
        {"question": t.question, "basis": t.basis, "answer": as_data(t.answer)}
        for t in conversation.turns[-KEPT_TURNS:]
    ]
    document = {"id": conversation_id, "article": article_key(kb), "turns": turns}
    write_atomically(folder / FILE, json.dumps(document, ensure_ascii=False))
    return conversation_id


def as_data(value: Any) -> Any:
    """An answer as JSON data, read from its fields as the engine made them: what
    `model_dump(mode="json")` gives for its plain fields, without building pydantic's
    serializer, which was 20 ms of every cold `career-chat ask`."""
    # Imported here: at the top it came before the command started reading the model.
    from pydantic import BaseModel

    if isinstance(value, BaseModel):
        return {name: as_data(field) for name, field in vars(value).items()}
    if isinstance(value, (list, tuple)):
        return [as_data(item) for item in value]
    return value
