"""Read an article file: frontmatter, cleaning and sections, with errors a person can act on."""

from __future__ import annotations

import datetime as _dt
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..inputs import (
    ArticleError,
    decode_article,
    display_path,
    read_article_bytes,
    shown_name,
    unusable,
    visible_text,
)
from ..models import ArticleInfo, Section, Sentence
from .address import address_hint
from .sections import slugify, split_sections

if TYPE_CHECKING:
    from ..rank.tokens import ArticleTokens


@dataclass
class Article:
    info: ArticleInfo
    sections: list[Section]
    tokens: "ArticleTokens | None" = None
    key: str = ""  # the cache key of its content, when it went through the cache


def bundled_article() -> Path:
    """The article shipped with the package (installed as `knowledge.seeds`, or `seeds/` in a checkout)."""
    installed = Path(__file__).parent.parent / "seeds"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parent.parent.parent / "seeds"


def missing_hint(path: str) -> str:
    """What to give instead of a path that does not exist: the web address it was likely
    typed as ("example.com/pay"), else a markdown article or a folder."""
    return address_hint(path) or "give a markdown article or a folder of them"


def article_files(path: Path) -> list[Path]:
    """The article files a path names: itself, or the .md and .html ones in a folder, not
    in its subfolders (sorted, so ids are stable). Errors name the path as given: made
    relative to here, the folder one is in was ".", and a path typed in full, another."""
    shown = shown_name(path)
    if "\x00" in str(path):  # no file has one: os.stat's bare ValueError named nothing
        raise ArticleError(f"{shown}: a path cannot hold a NUL character; check how it was made")
    try:
        if path.is_dir():
            # scandir knows a listed file's kind without a stat call each (a thousand of them).
            with os.scandir(path) as listing:
                files = sorted(
                    Path(entry.path) for entry in listing if entry.name.lower().endswith(ARTICLE_SUFFIXES) and _readable(entry)
                )
            if not files:
                raise ArticleError(
                    f"{shown}: the folder holds no .md articles (nor .html pages) at its top level, and subfolders "
                    "are not read; add one or name a file"
                )
            return files
        path.stat()
    except FileNotFoundError:
        raise ArticleError(f"{shown}: no such file or folder; {missing_hint(str(path))}") from None
    except OSError as error:
        # A symlink loop, a folder that cannot be listed, a path through a file.
        raise ArticleError(f"{shown}: cannot be opened ({error.strerror}); check the path and permissions") from None
    return [path]


def none_readable(folder: Path, count: int, first: ArticleError) -> ArticleError:
    """The error for a folder none of whose `count` article files could be read: the folder
    as given, and the first file's own error (the file alone read as though the folder
    held nothing else)."""
    return ArticleError(f"{shown_name(folder)}: none of its {count} articles could be read: {first}; and {count - 1} more")


def _readable(entry: os.DirEntry) -> bool:
    """Whether a listed article is a file to try: anything but a folder. A link that leads
    nowhere (dangling, or a loop), a pipe, a socket or a device is one: reading it fails
    (never waits: `inputs.read_article_bytes`), and a folder's load skips it and names it
    as it does any file that cannot be read (`store.cache.load_many`)."""
    try:
        return not entry.is_dir()
    except OSError:  # ELOOP: a link that leads back to itself
        return True


# Saved web pages: their article is extracted as markdown (`knowledge.read`).
PAGE_SUFFIXES = (".html", ".htm")
ARTICLE_SUFFIXES = (".md", ".markdown", *PAGE_SUFFIXES)


def read_text(path: Path) -> str:
    """The article's text: a regular UTF-8 file of bounded size, with \\n line breaks; for a
    saved web page, the markdown article extracted from it."""
    data = read_article_bytes(path)
    if path.suffix.lower() in PAGE_SUFFIXES:
        from .webcache import extracted

        if not data.strip():  # as an empty .md is told, not "no article text on the page"
            raise unusable(path, "is empty; it needs the page's HTML")

        return extracted(data, None, None, display_path(path))
    return decode_article(data, path)


def read_frontmatter(text: str, shown: str) -> tuple[dict, str]:
    from .header import read_header  # deferred: yaml is only needed on a cache miss

    try:
        return read_header(text)
    except ValueError as error:
        raise ArticleError(f"{shown}: malformed frontmatter ({error}); fix the YAML between the --- lines") from None


def field_text(value: object) -> str | None:
    """A frontmatter value as shown: a date in ISO form, a string's or a number's words,
    safe; None for what has no words of the article's (a list, a map, true, NaN, infinity:
    never Python's spelling of them, "{'a': 'b'}", as a title)."""
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, bool) or not isinstance(value, (str, int, float)) or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return " ".join(visible_text(str(value)).split()) or None


def load_article(path: Path, text: str | None = None) -> Article:
    """Parse, clean and split one markdown file (`text`: its content, if already read)."""
    shown = display_path(path)
    text = read_text(path) if text is None else text
    metadata, content = read_frontmatter(text, shown)
    line_offset = body_line(text, content)
    # Imported on parsing only: a cached article needs none of its rules.
    from .cleaning import clean

    cleaned = clean(content)
    title = field_text(metadata.get("title")) or cleaned.heading or file_title(path)
    sections = split_sections(cleaned.text, title=title, line_offset=line_offset, captions=cleaned.captions)
    if not sections:
        raise ArticleError(f"{shown}: has no prose left once markup is removed; give an article with sentences in it")
    info = ArticleInfo(
        slug=article_slug(path),
        title=title,
        path=shown_name(path),
        **frontmatter_fields(metadata),
        header=header_lines(text, line_offset),
    )
    for section in sections:
        section.article = info.slug
        section.source = shown_name(path)
    return Article(info, sections)


def article_slug(path: Path) -> str:
    return slugify(path.stem) or "article"


def body_line(text: str, content: str) -> int:
    """How many lines of `text` come before its body `content`. The body is the end of the
    text (frontmatter strips its outer blank lines), so it is counted from the end, never
    searched for."""
    where = len(text.rstrip()) - len(content)
    return text.count("\n", 0, where) if content else 0


def frontmatter_fields(metadata: dict) -> dict:
    """The date, description, tags and author an article's frontmatter gives."""
    tags = metadata.get("tags") or []
    return {
        "date": field_text(metadata.get("date")),
        "description": field_text(metadata.get("description")),
        "tags": [t for t in map(field_text, tags if isinstance(tags, list) else [tags]) if t],
        "author": _author(metadata),
    }


_HEADER_LINE = re.compile(r"^([A-Za-z_][\w-]*):[ \t]*(.*)$")
# A value that says nothing: YAML's null, an empty string.
_NO_VALUE = frozenset(("~", "null", "Null", "NULL", '""', "''", "[]", "{}"))
# A value that goes on, on the lines below: a block scalar's indicator ("|", ">-"), or none.
_GOES_BELOW = re.compile(r"^(?:[|>][+-]?[1-9]?[+-]?)?$")
_AUTHOR_KEYS = ("author", "authors", "by", "creator", "byline")


def header_lines(text: str, body_line: int) -> list[Sentence]:
    """The frontmatter's top-level `key: value` lines (at most 40, each cut at 300
    characters): what a question about the article itself is answered from. A line is as
    written (its comment left out); a value on the lines below it (a block of text, a list,
    a map's `name:`) is joined onto its key ("author: Ana Lopez, Bob Smith"); a null or
    empty value is no line."""
    lines = text.split("\n", body_line)[:body_line]
    found = []
    for number, line in enumerate(lines, start=1):
        match = _HEADER_LINE.match(line)
        if not match or len(found) >= 40:
            continue
        value = _uncommented(match.group(2).strip())
        if _GOES_BELOW.match(value):
            value = _value_below(lines[number:], block=bool(value))
        elif value[0] in "\"'" and not (len(value) > 1 and value.endswith(value[0])):  # a quoted value that goes on below
            value = " ".join([value, _value_below(lines[number:], block=True)]).strip()
        if not value or value in _NO_VALUE or not value.strip("\"' "):
            continue
        shown = " ".join(visible_text(f"{match.group(1)}: {value}").split())
        if len(shown) > 300:  # cut at a word, so the cache check still finds its words
            shown = shown[:300].rsplit(" ", 1)[0]
        found.append(Sentence(text=shown, line=number))
    return found


def _uncommented(value: str) -> str:
    """A plain value without its comment ("~  # none" is "~"); a quoted one as it is."""
    if value.startswith("#"):
        return ""
    return value if value[:1] in "\"'" else re.sub(r"\s+#.*$", "", value)


def _value_below(lines: list[str], block: bool) -> str:
    """The value written under a key: its block of text (`block`: after "|" or ">", blank
    lines within it kept), the items of its list or its map's name, or a plain value
    folded over lines; "" when the next line is no part of it."""
    parts: list[str] = []
    listed = False
    for line in lines:
        if not line.strip():
            if block:
                continue
            break
        if not (line[0].isspace() or line.startswith("- ")):
            break
        part = line.strip()
        if part.startswith("#"):
            continue
        if not block:
            if part.startswith("- "):
                listed = True
                part = re.sub(r"^(?:-\s+)+", "", part)
            key, colon, named = part.partition(":")
            if colon and re.fullmatch(r"[A-Za-z_][\w-]*", key.strip()):
                part = named.strip() if key.strip().lower() == "name" and not _GOES_BELOW.match(named.strip()) else ""
            part = _uncommented(part)
        if part and part not in _NO_VALUE:
            parts.append(part)
    return (", " if listed else " ").join(parts)


def _author(metadata: dict) -> str | None:
    for key in _AUTHOR_KEYS:
        value = metadata.get(key)
        names = value if isinstance(value, list) else [value]
        name = ", ".join(n for n in (field_text(v.get("name") if isinstance(v, dict) else v) for v in names) if n)
        if name:
            return name
    return None


def file_title(path: Path) -> str:
    """The title of an article that has neither a frontmatter title nor a heading."""
    return shown_name(path.stem).replace("-", " ").title()

