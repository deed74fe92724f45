"""A conversation saved as Markdown, citations included."""

from __future__ import annotations

import datetime as dt
import errno
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from .render import markdown, markdown_literal

if TYPE_CHECKING:
    from .conversation import Turn


def transcript(title: str, turns: list[Turn]) -> str:
    parts = [f"# career-chat: {markdown_literal(title)}"]
    for turn in turns:
        parts.append(f"## {markdown_literal(turn.question)}")
        parts.append(markdown(turn.answer))
    return "\n\n".join(parts) + "\n"


def save_transcript(title: str, turns: list[Turn], folder: Path) -> Path:
    """Write the transcript to a new, time-stamped file; return its path.

    The text is written to a temporary file first and linked into place only when complete,
    so a full disk leaves no empty transcript; linking never follows or replaces whatever
    stands at the name (a file, or a planted symlink): the next free name is taken instead.
    """
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    data = transcript(title, turns).encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=".career-chat-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        for n in range(1, 1000):
            path = folder / (f"career-chat-{stamp}.md" if n == 1 else f"career-chat-{stamp}-{n}.md")
            try:
                os.link(tmp, path)
                return path
            except FileExistsError:
                continue
        raise FileExistsError(errno.EEXIST, "no free transcript name", str(folder))
    finally:
        os.unlink(tmp)
