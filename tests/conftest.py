"""Shared fixtures. NLTK_DATA points at an empty folder: the engine must need no nltk_data."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
from pathlib import Path

_OWN_FOLDERS: list[str] = []


def _own_folder(prefix: str) -> str:
    """A temporary folder for this test process, removed when its run ends."""
    folder = tempfile.mkdtemp(prefix=prefix)
    _OWN_FOLDERS.append(folder)
    return folder


def _remove_own_folders() -> None:
    for folder in _OWN_FOLDERS:
        shutil.rmtree(folder, ignore_errors=True)


atexit.register(_remove_own_folders)


def pytest_unconfigure(config) -> None:
    # pytest-xdist's workers end without running atexit's handlers.
    _remove_own_folders()


os.environ["NLTK_DATA"] = _own_folder("empty-nltk-data-")
os.environ["CAREER_CHAT_CACHE"] = _own_folder("career-chat-cache-")
# What the app and `ask` keep (history, the last conversation, transcripts) goes to
# folders of the test run's own, never the home folder (platformdirs reads these on Linux).
os.environ["XDG_DATA_HOME"] = _own_folder("career-chat-data-")
os.environ["XDG_DOCUMENTS_DIR"] = _own_folder("career-chat-documents-")

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


def entry_body(raw: bytes) -> dict:
    """An entry file's JSON, decoded (a sealed entry's seal left off: written back, it is
    an entry no key sealed, as anyone without the user's key would make)."""
    from knowledge.seal import opened

    return json.loads(opened(None, "", raw)[0])


def entry_data(path: Path) -> dict:
    """`entry_body` of the entry file at `path`."""
    return entry_body(path.read_bytes())


def article_base(folder: Path, text: str, name: str = "article.md", semantic: bool | None = False) -> KnowledgeBase:
    """A knowledge base of one article written for a test (words only unless asked)."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return KnowledgeBase.load(path, semantic=semantic)


def folder_of(folder: Path, *names: str) -> Path:
    """`folder` holding copies of the named test articles (tests/data/NAME.md): a folder
    of articles to load, as `--article DIR` reads one."""
    for name in names:
        (folder / f"{name}.md").write_text((DATA / f"{name}.md").read_text(encoding="utf-8"), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def browser():
    """One headless chromium (tests/browser.py) for a module's tests, closed after them."""
    from .browser import ARGS, CHROMIUM

    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def proofs(monkeypatch) -> list[str]:
    """Each cache entry proved against its article (its slug), in order."""
    from knowledge.store import verify

    proved: list[str] = []
    real = verify.faithful

    def counted(text, info, sections, path):
        proved.append(info.slug)
        return real(text, info, sections, path)

    monkeypatch.setattr(verify, "faithful", counted)
    return proved
