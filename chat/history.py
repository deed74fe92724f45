"""Questions asked in the app, kept across runs in the user data folder (capped)."""

from __future__ import annotations

import json
from pathlib import Path

from knowledge.inputs import MAX_QUESTION_CHARS

from .places import read_small, write_atomically
from .render import printable

LIMIT = 500  # questions kept; the oldest go first
ITEM_CHARS = MAX_QUESTION_CHARS * 4  # of a long paste, what is kept to recall
FILE_BYTES = 4_000_000  # the file read back at most (`read_small`): the oldest go to stay within it


class QuestionHistory:
    """Earlier questions, oldest first; saved after each question, cleared on request.
    Without a file (None) it lives for the run only."""

    def __init__(self, path: Path | None, limit: int = LIMIT) -> None:
        self.path = path
        self.limit = limit
        self.items: list[str] = self._read()

    def _read(self) -> list[str]:
        text = read_small(self.path, FILE_BYTES) if self.path is not None else None
        if text is None:
            return []
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            return []  # damaged (or nested deeper than the decoder goes): start afresh rather than fail
        if not isinstance(data, list):
            return []
        items = [printable(q)[:ITEM_CHARS] for q in data if isinstance(q, str) and q.strip()]
        return items[-self.limit :]

    def add(self, question: str) -> None:
        question = question[:ITEM_CHARS]
        if not question or (self.items and self.items[-1] == question):
            return
        self.items.append(question)
        del self.items[: -self.limit]
        self._save()

    def clear(self) -> None:
        self.items.clear()
        self._save()

    def _save(self) -> None:
        if self.path is None:
            return
        document = json.dumps(self.items, ensure_ascii=False)
        if len(document.encode("utf-8")) > FILE_BYTES:
            # Kept within what is read back: a file past it is ignored, so one paste too
            # many (45 of 100 KB) lost every question at the next start.
            sizes = [len(json.dumps(q, ensure_ascii=False).encode("utf-8")) + 2 for q in self.items]
            total = sum(sizes) + 2
            while total > FILE_BYTES and self.items:
                total -= sizes.pop(0)
                self.items.pop(0)
            document = json.dumps(self.items, ensure_ascii=False)
        try:
            write_atomically(self.path, document)
        except OSError:
            pass  # a read-only home: history for this run only
