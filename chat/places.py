"""Where career-chat keeps what it writes: never the current folder unless asked.

- the user data folder (platformdirs): question history and the last conversation;
- transcripts: the user's documents folder when there is one, else the data folder.
On Linux these follow XDG_DATA_HOME and XDG_DOCUMENTS_DIR.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from knowledge.settings import data_folder

APP = "career-chat"


def transcripts_folder() -> Path:
    """Documents/career-chat where the documents folder exists; else <data folder>/transcripts."""
    from platformdirs import user_documents_path

    documents = user_documents_path()
    if documents.is_dir():
        return documents / APP
    return data_folder() / "transcripts"


def write_atomically(path: Path, text: str) -> None:
    """Write a whole file or nothing: a temporary file beside it, then renamed over it
    (a symlink planted at the name is replaced, never followed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def read_small(path: Path, limit: int = 4_000_000) -> str | None:
    """A file we wrote, read back as text; None when absent, not a regular file, too big or
    unreadable (it is then ignored, never fatal)."""
    try:
        if not path.is_file() or path.stat().st_size > limit:
            return None
        return path.read_bytes().decode("utf-8", "replace")
    except OSError:
        return None
