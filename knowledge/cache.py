"""A cache of parsed, tokenized articles, keyed by file content: a folder of many articles
starts in a fraction of the time when nothing changed.

Where: $CAREER_CHAT_CACHE if set ("off" turns it off), else the user's cache folder.
An entry is trusted only if it parses, validates, and names this engine version and this
exact content; anything else (truncated, garbage, other version) is rebuilt and rewritten.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ValidationError

from .analysis import Analyzer
from .article import Article, load_article, read_text
from .models import ArticleInfo, Section
from .tokens import ArticleTokens, analyze_article

# Bump when parsing or analysis changes what an entry holds.
FORMAT = 1


class Entry(BaseModel):
    format: int
    key: str
    info: ArticleInfo
    sections: list[Section]
    tokens: ArticleTokens


def cache_folder() -> Path | None:
    setting = os.environ.get("CAREER_CHAT_CACHE")
    if setting and setting.lower() in {"off", "0", "no", "false"}:
        return None
    if setting:
        return Path(setting)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("career-chat"))


def engine_fingerprint() -> str:
    """The cache format and the lexicons: a change to either invalidates every entry."""
    digest = hashlib.sha256(str(FORMAT).encode())
    data = resources.files("knowledge").joinpath("data")
    for name in sorted(p.name for p in data.iterdir() if p.name.endswith(".txt")):
        digest.update(name.encode() + data.joinpath(name).read_bytes())
    return digest.hexdigest()[:16]


def _key(path: Path, text: str, fingerprint: str) -> str:
    # The file name is part of the key: section ids of several articles are prefixed with it.
    digest = hashlib.sha256(fingerprint.encode() + b"\0" + path.name.encode() + b"\0" + text.encode("utf-8"))
    return digest.hexdigest()


def load_tokenized(path: Path, analyzer: Analyzer, folder: Path | None, fingerprint: str) -> Article:
    """The article with its tokens: from the cache when its entry is sound, else built and stored."""
    if folder is None:
        return _build(path, None, analyzer)
    text = read_text(path)
    key = _key(path, text, fingerprint)
    entry_path = folder / f"{key[:32]}.json"
    entry = _read(entry_path, key)
    if entry is not None:
        for section in entry.sections:
            section.source = str(path)
        return Article(entry.info.model_copy(update={"path": str(path)}), entry.sections, entry.tokens)
    article = _build(path, text, analyzer)
    _write(entry_path, Entry(format=FORMAT, key=key, info=article.info, sections=article.sections, tokens=article.tokens))
    return article


def _build(path: Path, text: str | None, analyzer: Analyzer) -> Article:
    article = load_article(path, text)
    article.tokens = analyze_article(article.info.title, article.sections, analyzer)
    return article


def _read(path: Path, key: str) -> Entry | None:
    try:
        entry = Entry.model_validate_json(path.read_bytes())
    except (OSError, ValueError, ValidationError):
        return None
    if entry.format != FORMAT or entry.key != key or len(entry.tokens.sentences) != len(entry.sections):
        return None
    return entry


def _write(path: Path, entry: Entry) -> None:
    """Write atomically; a cache that cannot be written is no reason to fail."""
    tmp: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False, suffix=".tmp") as handle:
            tmp = Path(handle.name)
            handle.write(entry.model_dump_json().encode("utf-8"))
        os.replace(tmp, path)
    except OSError:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
