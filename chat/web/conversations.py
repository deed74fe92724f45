"""Follow-up state for the web server: conversations by id, capped and expiring.

A server answers anyone, so what it keeps per visitor must be bounded whoever calls it:
at most `limit` conversations (the least recently used is dropped first), each forgotten
after `ttl` seconds unused, each holding only its last `turns` turns. Nothing is written
to disk. Ids are random and unguessable; an unknown or expired id starts a new
conversation rather than failing, so a page left open overnight still works.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..conversation import KEPT_TURNS, Conversation

if TYPE_CHECKING:
    from knowledge import Answer, KnowledgeBase

MAX_CONVERSATIONS = 2000
TTL_SECONDS = 30 * 60


@dataclass
class _Kept:
    conversation: Conversation
    used: float
    lock: threading.Lock = field(default_factory=threading.Lock)


class ConversationStore:
    """Conversations by id, at most `limit`, each dropped `ttl` seconds after its last use."""

    def __init__(
        self,
        kb: KnowledgeBase,
        limit: int = MAX_CONVERSATIONS,
        ttl: float = TTL_SECONDS,
        turns: int = KEPT_TURNS,
        clock: Callable[[], float] = time.monotonic,
    ):
        if limit < 1 or ttl <= 0 or turns < 1:
            raise ValueError("a conversation store keeps at least one conversation of one turn, for some time")
        self.kb, self.limit, self.ttl, self.turns, self.clock = kb, limit, ttl, turns, clock
        self._kept: OrderedDict[str, _Kept] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            self._expire(self.clock())
            return len(self._kept)

    def __contains__(self, conversation_id: str) -> bool:
        with self._lock:
            self._expire(self.clock())
            return conversation_id in self._kept

    def ask(self, question: str, conversation_id: str | None = None) -> tuple[str, Answer]:
        """(the conversation's id, the answer): in that conversation when it is still kept,
        else in a new one. `ValueError` for a question with nothing to ask."""
        conversation_id, kept = self._checkout(conversation_id)
        with kept.lock:  # two tabs of one conversation take turns, never interleave
            answer = kept.conversation.ask(question)
        return conversation_id, answer

    def _checkout(self, conversation_id: str | None) -> tuple[str, _Kept]:
        now = self.clock()
        with self._lock:
            self._expire(now)
            kept = self._kept.get(conversation_id) if conversation_id else None
            if kept is None:
                conversation_id = secrets.token_urlsafe(16)
                kept = _Kept(Conversation(self.kb, keep=self.turns), now)
                self._kept[conversation_id] = kept
                while len(self._kept) > self.limit:
                    self._kept.popitem(last=False)
            kept.used = now
            self._kept.move_to_end(conversation_id)
            return conversation_id, kept

    def _expire(self, now: float) -> None:
        """Drop conversations unused for `ttl`: the oldest-used come first, so stop at the
        first one still fresh."""
        while self._kept:
            oldest = next(iter(self._kept.values()))
            if now - oldest.used < self.ttl:
                return
            self._kept.popitem(last=False)
