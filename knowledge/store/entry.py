"""A cache entry: one parsed article as JSON, and the two ways of reading it back.

pydantic checks an entry in Rust, fast, but first builds its validators, and that build
(with its scan for plugins) was 15 ms of a one-question run on one article, more than the
rest of its load. So a load of a few articles reads each entry by hand: `json`, then every
field's type checked against the shapes below (the models' own fields, held together by a
test), then the models made with `model_construct`. A folder of many builds the validators
once and lets pydantic read the rest (by hand is 0.3 ms more an article: even at about 50
articles). Both are strict about types (no "1" for 1); by hand also wants every field and
no other, as the cache writes them (pydantic would fill in a default), so at worst an
entry is parsed again.
"""

from __future__ import annotations

import json
from array import array

from pydantic import ValidationError

from ..models import ArticleInfo, Record, Section, Sentence
from ..rank.tokens import ArticleTokens

# Up to this many articles in a load, entries are read by hand.
BY_HAND_UP_TO = 16


class Entry(Record):
    format: int
    key: str
    info: ArticleInfo
    sections: list[Section]
    tokens: ArticleTokens


# A shape: a type (or types) for a value, [shape] for a list of it, {field: shape} for an
# object with exactly those fields.
_TEXT_OR_NONE = (str, type(None))
SENTENCE = {"text": str, "line": int}
SECTION = {
    "id": str,
    "title": str,
    "factor": (int, type(None)),
    "level": int,
    "text": str,
    "spans": [int],
    "captions": [str],
    "line": int,
    "article": str,
    "source": str,
}
INFO = {
    "slug": str,
    "title": str,
    "path": str,
    "date": _TEXT_OR_NONE,
    "description": _TEXT_OR_NONE,
    "tags": [str],
    "author": _TEXT_OR_NONE,
    "header": [SENTENCE],
}
TOKENS = {"sentences": [[str]], "headings": [[str]], "words": str, "counts": [int]}
ENTRY = {"format": int, "key": str, "info": INFO, "sections": [SECTION], "tokens": TOKENS}


def read_entry(raw: bytes, by_hand: bool) -> Entry | None:
    """The entry `raw` holds, or None when it does not hold a sound one."""
    if not by_hand:
        try:
            return Entry.model_validate_json(raw, strict=True)
        except ValidationError:
            return None
    try:
        data = json.loads(raw)
    except ValueError:  # not JSON, or not UTF-8
        return None
    if not _shaped(data, ENTRY):
        return None
    try:
        sections = [Section.model_construct(**{**s, "spans": array("i", s["spans"])}) for s in data["sections"]]
    except OverflowError:  # a number beyond any article's size
        return None
    info = data["info"]
    header = [Sentence.model_construct(**line) for line in info["header"]]
    return Entry.model_construct(
        format=data["format"],
        key=data["key"],
        info=ArticleInfo.model_construct(**{**info, "header": header}),
        sections=sections,
        tokens=ArticleTokens.model_construct(**data["tokens"]),
    )


def _shaped(value: object, shape: object) -> bool:
    """Whether decoded JSON has the shape (see above). Types are matched exactly, as `json`
    makes them: JSON's true and false are not numbers, though Python's bool is an int."""
    if isinstance(shape, list):
        if type(value) is not list:
            return False
        inner = shape[0]
        if isinstance(inner, type):  # the common case (lists of words), in one pass
            return all(type(item) is inner for item in value)
        return all(_shaped(item, inner) for item in value)
    if isinstance(shape, dict):
        return (
            type(value) is dict
            and value.keys() == shape.keys()
            and all(_shaped(value[name], inner) for name, inner in shape.items())
        )
    return type(value) in (shape if isinstance(shape, tuple) else (shape,))
