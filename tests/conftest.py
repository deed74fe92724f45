"""Shared fixtures. NLTK_DATA points at an empty folder: the engine must need no nltk_data."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ["NLTK_DATA"] = tempfile.mkdtemp(prefix="empty-nltk-data-")
os.environ["CAREER_CHAT_CACHE"] = tempfile.mkdtemp(prefix="career-chat-cache-")
# What the app and `ask` keep (history, the last conversation, transcripts) goes to
# folders of the test run's own, never the home folder (platformdirs reads these on Linux).
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="career-chat-data-")
os.environ["XDG_DOCUMENTS_DIR"] = tempfile.mkdtemp(prefix="career-chat-documents-")

import pytest  # noqa: E402

from knowledge import KnowledgeBase  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SHARED_ARTICLES = ROOT.parent / "shared" / "articles"
SEED = ROOT / "seeds" / "making-of-ai-interactions.md"


@pytest.fixture(scope="session")
def kb(loaded) -> KnowledgeBase:
    return loaded()


@pytest.fixture(scope="session")
def loaded():
    """Load an article (a path, or None for the bundled one) once per test run and share it:
    answering never changes a knowledge base, and loading one is most of a test's time."""
    bases: dict[tuple[str | None, bool | None], KnowledgeBase] = {}

    def load(path: Path | None = None, semantic: bool | None = None) -> KnowledgeBase:
        key = (str(path) if path is not None else None, semantic)
        if key not in bases:
            bases[key] = KnowledgeBase.load(path, semantic=semantic)
        return bases[key]

    return load


def shared_article(name: str) -> Path:
    """A third-party article from ../shared/articles (never copied here); skip where absent."""
    path = SHARED_ARTICLES / name
    if not path.exists():
        pytest.skip(f"{path} is not here: the shared evaluation articles only exist beside the repository")
    return path


def cache_entries(folder: Path) -> list[Path]:
    """The articles' entries in a cache folder (beside them: the stemmed lexicons)."""
    return sorted(p for p in folder.glob("*.json") if not p.name.startswith("lexicon-"))


def article_base(folder: Path, text: str, name: str = "article.md", semantic: bool | None = False) -> KnowledgeBase:
    """A knowledge base of one article written for a test (words only unless asked)."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return KnowledgeBase.load(path, semantic=semantic)
