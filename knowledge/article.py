"""Read an article file: frontmatter, cleaning and sections, with errors a person can act on."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from .cleaning import clean
from .models import ArticleInfo, Section, display_path
from .sections import slugify, split_sections

if TYPE_CHECKING:
    from .tokens import ArticleTokens


class ArticleError(ValueError):
    """An article that cannot be used; the message names the file and the fix."""


@dataclass
class Article:
    info: ArticleInfo
    sections: list[Section]
    tokens: "ArticleTokens | None" = None


def bundled_article() -> Path:
    """The article shipped with the package (installed as `knowledge.seeds`, or `seeds/` in a checkout)."""
    try:
        installed = resources.files("knowledge") / "seeds"
        if installed.is_dir():
            return Path(str(installed))
    except (ModuleNotFoundError, TypeError):  # pragma: no cover - defensive for odd loaders
        pass
    return Path(__file__).resolve().parent.parent / "seeds"


def article_files(path: Path) -> list[Path]:
    """The .md files a path names: itself, or those in a folder (sorted, so ids are stable)."""
    if not path.exists():
        raise ArticleError(f"{display_path(path)}: no such file or folder; give a markdown article or a folder of them")
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in {".md", ".markdown"} and p.is_file())
        if not files:
            raise ArticleError(f"{display_path(path)}: the folder holds no .md articles; add one or name a file")
        return files
    return [path]


def read_text(path: Path) -> str:
    shown = display_path(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise ArticleError(f"{shown}: is a folder; name a markdown file") from None
    except OSError as error:
        raise ArticleError(f"{shown}: cannot be read ({error.strerror}); check the path and permissions") from None
    if b"\x00" in data[:8192]:
        raise ArticleError(f"{shown}: is a binary file, not a markdown article; give a .md text file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ArticleError(
            f"{shown}: is not UTF-8 text (byte {error.start}); save the article as UTF-8"
        ) from None
    if not text.strip():
        raise ArticleError(f"{shown}: is empty; it needs the article's text")
    return text


def _frontmatter(text: str, shown: str) -> tuple[dict, str]:
    import frontmatter  # deferred: yaml is only needed once per load

    try:
        post = frontmatter.loads(text)
    except Exception as error:  # yaml raises many types; all mean the same thing here
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ArticleError(f"{shown}: malformed frontmatter ({first}); fix the YAML between the --- lines") from None
    if not isinstance(post.metadata, dict):
        raise ArticleError(f"{shown}: malformed frontmatter (not a mapping); fix the YAML between the --- lines")
    return post.metadata, post.content


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    return " ".join(str(value).split()) or None


def load_article(path: Path, text: str | None = None) -> Article:
    """Parse, clean and split one markdown file (`text`: its content, if already read)."""
    shown = display_path(path)
    text = read_text(path) if text is None else text
    metadata, content = _frontmatter(text, shown)
    where = text.find(content) if content else -1
    line_offset = text.count("\n", 0, where) if where > 0 else 0
    cleaned = clean(content)
    title = _text(metadata.get("title")) or _first_heading(cleaned.text) or path.stem.replace("-", " ").title()
    sections = split_sections(cleaned.text, title=title, line_offset=line_offset, captions=cleaned.captions)
    if not sections:
        raise ArticleError(f"{shown}: has no prose left once markup is removed; give an article with sentences in it")
    tags = metadata.get("tags") or []
    info = ArticleInfo(
        slug=slugify(path.stem) or "article",
        title=title,
        path=str(path),
        date=_text(metadata.get("date")),
        description=_text(metadata.get("description")),
        tags=[str(t) for t in tags] if isinstance(tags, list) else [str(tags)],
    )
    for section in sections:
        section.article = info.slug
        section.source = str(path)
    return Article(info, sections)


def _first_heading(text: str) -> str | None:
    for line in text.split("\n"):
        if line.lstrip().startswith("#"):
            return line.strip().lstrip("#").strip() or None
    return None
