"""The last `career-chat ask` conversation, kept in the user data folder so that
`ask -c` can go on with it (as `llm -c` does)."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from knowledge.read.address import is_web_address

from .conversation import KEPT_TURNS, Conversation
from .places import read_small, write_atomically

if TYPE_CHECKING:
    from knowledge import KnowledgeBase

FILE = "last-conversation.json"


def article_key(kb: KnowledgeBase) -> str:
    """Which article(s) a conversation was with: continuing means the same ones, however
    their path was spelled ("nurse.md" here, "/tmp/nurse.md" from elsewhere)."""
    return "\n".join(sorted({_where(s.source) if s.source else s.article for s in kb.sections}))


def _where(source: str) -> str:
    """A section's source as one name: a web address as it is, a file's path made whole."""
    return source if is_web_address(source) else os.path.realpath(source)


def resume(folder: Path, kb: KnowledgeBase) -> tuple[Conversation, str] | None:
    """The last conversation with this article and its id; None when there is none (or it
    was with another article, or the file is damaged: a new one starts)."""
    text = read_small(folder / FILE)
    if text is None:
        return None
    try:
        data = json.loads(text)
        if data.get("article") != article_key(kb) or not isinstance(data.get("id"), str):
            return None
        # Checked as any kept conversation is: quoting another article's, or this one's
        # edited since, it is not gone on with.
        conversation = Conversation.from_data(kb, data["turns"])
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None
    return conversation, data["id"][:64]


def keep(folder: Path, kb: KnowledgeBase, conversation: Conversation, conversation_id: str | None = None) -> str:
    """Save the conversation as the last one; its id (a new one unless given)."""
    conversation_id = conversation_id or uuid.uuid4().hex[:12]
    document = {"id": conversation_id, "article": article_key(kb), "turns": conversation.to_data()[-KEPT_TURNS:]}
    write_atomically(folder / FILE, json.dumps(document, ensure_ascii=False))
    return conversation_id
