"""A cache entry read by hand (one article) and by pydantic (a folder) gives the same."""

from __future__ import annotations

import copy
import json

import pytest

from knowledge import KnowledgeBase
from knowledge.models import ArticleInfo, Section, Sentence
from knowledge.rank.tokens import ArticleTokens
from knowledge.store import entry as entry_module
from knowledge.store.entry import read_entry

from .conftest import SEED, cache_entries, entry_data


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict:
    """The bundled article's entry as the cache writes it."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CAREER_CHAT_CACHE", str(folder))
        KnowledgeBase.load(SEED, semantic=False)
    (path,) = cache_entries(folder)
    return entry_data(path)


def test_the_shapes_name_every_field_of_the_models():
    pairs = [
        (entry_module.SENTENCE, Sentence),
        (entry_module.SECTION, Section),
        (entry_module.INFO, ArticleInfo),
        (entry_module.TOKENS, ArticleTokens),
        (entry_module.ENTRY, entry_module.Entry),
    ]
    for shape, model in pairs:
        assert set(shape) == set(model.model_fields), model.__name__


def test_both_readers_read_a_sound_entry_alike(written):
    raw = json.dumps(written).encode()
    by_hand, by_pydantic = read_entry(raw, by_hand=True), read_entry(raw, by_hand=False)
    assert by_hand is not None and by_pydantic is not None
    assert by_hand.model_dump() == by_pydantic.model_dump()
    assert by_hand.sections[3].sentence(0) == by_pydantic.sections[3].sentence(0)


def _set(path: tuple, value):
    def damage(data: dict) -> dict:
        data = copy.deepcopy(data)
        *where, last = path
        target = data
        for step in where:
            target = target[step]
        if value is KeyError:
            del target[last]
        else:
            target[last] = value
        return data

    return damage


@pytest.mark.parametrize(
    "damage",
    [
        _set(("format",), "4"),  # a number as text
        _set(("format",), True),  # JSON true is not a number
        _set(("sections", 0, "line"), 1.0),  # a float for a whole number
        _set(("sections", 0, "spans", 0), "0"),
        _set(("sections", 0, "spans", 0), 2**40),  # beyond any article's size
        _set(("sections", 0, "title"), None),
        _set(("sections", 0, "captions"), "a caption"),
        _set(("info", "tags"), [1]),
        _set(("info", "header"), [{"text": "title: x"}]),
        _set(("tokens", "sentences", 0), "pay"),
        _set(("tokens", "counts", 0), None),
        _set(("sections",), {}),
    ],
)
def test_both_readers_refuse_an_entry_of_the_wrong_shape(written, damage):
    raw = json.dumps(damage(written)).encode()
    assert read_entry(raw, by_hand=True) is None
    assert read_entry(raw, by_hand=False) is None


@pytest.mark.parametrize(
    "damage", [_set(("sections", 0, "level"), KeyError), _set(("info", "extra"), "x")], ids=["missing", "unknown"]
)
def test_by_hand_an_entry_missing_a_field_or_with_an_unknown_one_is_parsed_again(written, damage):
    """pydantic would fill in a default or drop the field; by hand, it is not what the cache
    writes, so not trusted (the cost is one parse)."""
    assert read_entry(json.dumps(damage(written)).encode(), by_hand=True) is None


@pytest.mark.parametrize("raw", [b"", b"\xff\xfe", b"[]", b"null", b'{"format": 4'])
def test_both_readers_refuse_what_is_not_an_entry(raw):
    assert read_entry(raw, by_hand=True) is None
    assert read_entry(raw, by_hand=False) is None
