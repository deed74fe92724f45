"""A conversation saved as Markdown, citations included."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .conversation import Turn
from .render import markdown, markdown_literal


def transcript(title: str, turns: list[Turn]) -> str:
    parts = [f"# career-chat: {markdown_literal(title)}"]
    for turn in turns:
        parts.append(f"## {markdown_literal(turn.question)}")
        parts.append(markdown(turn.answer))
    return "\n\n".join(parts) + "\n"


def save_transcript(title: str, turns: list[Turn], folder: Path | None = None) -> Path:
    """Write the transcript to a new, time-stamped file; return its path."""
    folder = folder or Path.cwd()
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = folder / f"career-chat-{stamp}.md"
    n = 1
    while path.exists():
        n += 1
        path = folder / f"career-chat-{stamp}-{n}.md"
    path.write_text(transcript(title, turns), encoding="utf-8")
    return path
