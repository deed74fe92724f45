"""Prove a cached article's frontmatter facts (title, date, description, tags, author)
against the article, without the YAML reader when the header is plain.

Reading YAML costs a cold start more than the rest of a cached load, so a fact is first
matched against what the header writes on its key's line (one pair of quotes taken off, or
a date in ISO form): such a fact is the article's own text. Anything else (escapes, folded
values, a header only YAML can split) is read with YAML, as parsing reads it, and must be
exactly what parsing makes.
"""

from __future__ import annotations

import datetime as dt
import re

from ..models import ArticleInfo
from ..read.article import field_text, frontmatter_fields, read_frontmatter

# python-frontmatter's own delimiters: YAML's "---" line (and, found only after stripping,
# JSON's "{" and TOML's "+++", left to the library).
_YAML_FENCE = re.compile(r"^-{3,}\s*$", re.MULTILINE)
_OTHER_FENCE = re.compile(r"^(?:\{|\}|\+{3,}\s*)$", re.MULTILINE)
_KEY_LINE = re.compile(r"^([A-Za-z_][\w-]*):[ \t]*(.*?)[ \t]*$")
_ITEM_LINE = re.compile(r"^[ \t]+-[ \t]+(.*?)[ \t]*$")
_AUTHOR_KEYS = ("author", "authors", "by", "creator", "byline")


def front_and_body(text: str) -> tuple[str, str] | None:
    """(frontmatter, body) as python-frontmatter splits `text`, found without YAML; None
    when only the library can tell."""
    stripped = text.strip()
    if _YAML_FENCE.match(text):
        parts = _YAML_FENCE.split(stripped, 2)
        return (parts[1], parts[2].strip()) if len(parts) == 3 else ("", stripped)
    if _YAML_FENCE.match(stripped) or _OTHER_FENCE.match(stripped):
        return None
    return "", stripped


def info_holds(text: str, front: str | None, info: ArticleInfo, fallbacks: tuple[str | None, str], shown: str) -> bool:
    """Whether `info`'s frontmatter facts are what the article's header gives; `fallbacks`:
    the article's first heading and the file's title, which stand for a missing title."""
    if front is not None and _plainly_written(front, info, fallbacks):
        return True
    try:
        metadata = read_frontmatter(text, shown)[0]
    except ValueError:
        return False
    heading, named = fallbacks
    title = field_text(metadata.get("title")) or heading or named
    return info.title == title and frontmatter_fields(metadata) == {
        "date": info.date,
        "description": info.description,
        "tags": info.tags,
        "author": info.author,
    }


def _plainly_written(front: str, info: ArticleInfo, fallbacks: tuple[str | None, str]) -> bool:
    values: dict[str, str] = {}
    items: dict[str, list[str]] = {}
    key = None
    for line in front.split("\n"):
        if match := _KEY_LINE.match(line):
            key = match.group(1)
            if key not in values:
                values[key] = match.group(2)
                items[key] = _flow_items(match.group(2))
        elif key is not None and (item := _ITEM_LINE.match(line)):
            items[key].append(_unquoted(item.group(1)))
    written = {name: field_text(_unquoted(value)) if value else None for name, value in values.items()}
    if info.title not in (written.get("title"), *fallbacks):
        return False
    date = written.get("date")
    if info.date != date and info.date != _iso(date):
        return False
    if info.description != written.get("description"):
        return False
    if info.tags != [t for t in map(field_text, items.get("tags") or ([_unquoted(values["tags"])] if values.get("tags") else [])) if t]:
        return False
    author = next((name for name in _AUTHOR_KEYS if written.get(name) or items.get(name)), None)
    if author is None:
        return info.author is None
    return info.author in (written.get(author), field_text(", ".join(items[author])))


def _unquoted(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'" and value[0] not in value[1:-1] and "\\" not in value:
        return value[1:-1]
    return value


def _flow_items(value: str) -> list[str]:
    if value.startswith("[") and value.endswith("]"):
        return [_unquoted(item.strip()) for item in value[1:-1].split(",") if item.strip()]
    return []


def _iso(date: str | None) -> str | None:
    """A written timestamp as YAML reads it and parsing shows it (ISO form)."""
    if date is None:
        return None
    try:
        return dt.datetime.fromisoformat(date).isoformat() if "T" in date or " " in date else dt.date.fromisoformat(date).isoformat()
    except ValueError:
        return None
