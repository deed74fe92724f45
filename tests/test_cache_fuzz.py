"""Random mutations of a sound cache entry and of its arrays: the reader never fails, and
never accepts an entry that would quote anything but the article's own sentences.

CI runs a bounded, deterministic number of examples; CAREER_CHAT_FUZZ_EXAMPLES=5000 (or
any number) runs a longer search.
"""

from __future__ import annotations

import json
import os
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledge import KnowledgeBase
from knowledge.rank.analysis import Analyzer
from knowledge.rank.semantic import DIMENSIONS, sound_vectors
from knowledge.seal import KEY_BYTES, sealed
from knowledge.store import cache as cache_module
from knowledge.store import verify
from knowledge.store.cache import (
    FolderIndex,
    read_folder_index,
    read_vectors,
    write_folder_index,
)

EXAMPLES = int(os.environ.get("CAREER_CHAT_FUZZ_EXAMPLES", "150"))
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Every . ? or ! here ends a sentence (no abbreviations), so any cut the check lets through
# is a run of whole sentences as the splitter cuts them.
ARTICLE = """---
title: "Night Nurse: Is It Worth It?"
date: 2024-05-01
tags:
  - nursing
  - shifts
---

# Night Nurse

Night nurses care for patients while others sleep. The pay is higher than on days!
Most hospitals add a premium.

## Pay

That said, not all night nurses earn more. Some units pay the same.

- Premiums range from five to fifteen percent.
- Overtime is paid on top.

## Sleep

Is sleep hard? It can be, at first. Blackout curtains help a lot.
"""


@pytest.fixture(scope="module")
def sound(tmp_path_factory):
    """A folder with the article, a cache folder holding its sound entry, and the truth."""
    folder = tmp_path_factory.mktemp("fuzz")
    article = folder / "night-nurse.md"
    article.write_text(ARTICLE, encoding="utf-8")
    cache = folder / "cache"
    fingerprint = cache_module.engine_fingerprint()
    analyzer = Analyzer.default()
    (truth,) = cache_module.load_many([article], analyzer, cache, fingerprint).articles
    (entry,) = [p for p in cache.glob("*.json") if not p.name.startswith("lexicon-")]
    return _Sound(
        article=article, cache=cache, fingerprint=fingerprint, analyzer=analyzer, truth=truth,
        entry=entry, raw=entry.read_bytes(),
    )


class _Sound(SimpleNamespace):
    def __repr__(self) -> str:  # hypothesis prints it with every failing example
        return "sound"


def _paths(value, at=()):
    """Every place in decoded JSON, as a path of keys and indexes."""
    yield at
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _paths(inner, (*at, key))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from _paths(inner, (*at, i))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=8,
)


@st.composite
def mutated_values(draw, data):
    """`data` with a few values changed: numbers moved, text cut or spliced, any value
    replaced by any JSON."""
    data = json.loads(json.dumps(data))
    places = [p for p in _paths(data) if p]
    for _ in range(draw(st.integers(1, 3))):
        place = draw(st.sampled_from(places))
        key, parent = place[-1], data
        try:  # an earlier change may have taken this place away
            for step in place[:-1]:
                parent = parent[step]
            old = parent[key]
        except (KeyError, IndexError, TypeError):
            continue
        kind = draw(st.sampled_from(["shift", "cut", "splice", "replace", "delete"]))
        if kind == "shift" and type(old) is int:
            parent[key] = old + draw(st.integers(-40, 40))
        elif kind == "cut" and isinstance(old, str) and old:
            a = draw(st.integers(0, len(old)))
            b = draw(st.integers(a, len(old)))
            parent[key] = old[:a] + old[b:]
        elif kind == "splice" and isinstance(old, str):
            at = draw(st.integers(0, len(old)))
            parent[key] = old[:at] + draw(st.sampled_from([" ", ".", "!", "\n\n", "not ", "x", ", "])) + old[at:]
        elif kind == "delete" and isinstance(parent, list):
            del parent[key]
        else:
            parent[key] = draw(JSON_VALUES)
    return data


@st.composite
def mutated_bytes(draw, raw: bytes):
    """`raw` with a few bytes flipped, cut out or put in."""
    data = bytearray(raw)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        kind = draw(st.sampled_from(["flip", "cut", "insert", "truncate"]))
        if kind == "flip" and data:
            data[at] ^= draw(st.integers(1, 255))
        elif kind == "cut":
            del data[at : at + draw(st.integers(1, 64))]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16) | st.sampled_from([b"[" * 5000, b"9" * 400, b'"\\u0000"']))
        else:
            del data[at:]
    return bytes(data)


def whole_sentences(truth) -> dict[str, dict[tuple[int, int], int]]:
    """Per section: every run of consecutive sentences (start, end) and its line."""
    runs = {}
    for section in truth.sections:
        spans = [tuple(section.spans[i : i + 3]) for i in range(0, len(section.spans), 3)]
        runs[section.id] = {(spans[i][0], spans[j][1]): spans[i][2] for i in range(len(spans)) for j in range(i, len(spans))}
    return runs


def assert_only_the_article(found, truth) -> None:
    """An accepted entry shows the article's sections as parsed, and cuts its sentences
    only where the splitter cut (a run of whole sentences at most), citing their lines."""
    assert (found.info.title, found.info.date, found.info.tags) == (truth.info.title, truth.info.date, truth.info.tags)
    assert [(h.text, h.line) for h in found.info.header] == [(h.text, h.line) for h in truth.info.header]
    expected = [(s.id, s.title, s.text, s.line, s.level, s.factor) for s in truth.sections]
    assert [(s.id, s.title, s.text, s.line, s.level, s.factor) for s in found.sections] == expected
    runs = whole_sentences(truth)
    for section in found.sections:
        for i in range(section.sentence_count):
            start, end, line = section.spans[3 * i : 3 * i + 3]
            assert runs[section.id].get((start, end)) == line, (section.id, section.text[start:end], line)


def lookup_and_answer(sound, by_hand: bool, secret: bytes | None = None):
    """The reader's verdict on the entry now in the cache, then, if it accepted, a load and
    an answer from it (the tokens it holds are read by the index)."""
    found, _ = cache_module._lookup(sound.article, sound.cache, sound.fingerprint, by_hand, secret=secret)
    if found is not None:
        assert_only_the_article(found, sound.truth)
        answer = KnowledgeBase([found], sound.analyzer).ask("do all night nurses earn more?")
        runs = {s.text[a:b] for s in sound.truth.sections for a, b in whole_sentences(sound.truth)[s.id]}
        assert all(c.quote in runs for c in answer.citations)
    return found


@FUZZ
@given(data=st.data(), by_hand=st.booleans())
def test_a_mutated_entry_is_refused_or_quotes_only_the_article(sound, data, by_hand):
    entry = json.loads(sound.raw)
    sound.entry.write_text(json.dumps(data.draw(mutated_values(entry))), encoding="utf-8")
    lookup_and_answer(sound, by_hand)


@FUZZ
@given(data=st.data(), by_hand=st.booleans())
def test_a_mutated_entry_file_is_refused_or_quotes_only_the_article(sound, data, by_hand):
    sound.entry.write_bytes(data.draw(mutated_bytes(sound.raw)))
    lookup_and_answer(sound, by_hand)


@FUZZ
@given(data=st.data(), by_hand=st.booleans())
def test_a_mutated_sealed_entry_file_is_refused_or_quotes_only_the_article(sound, data, by_hand):
    # Sealed with the reader's own key, then changed by someone without it: whatever the
    # change (the seal's digits too), the entry is proved or refused, never taken unproved.
    secret = b"\x07" * KEY_BYTES
    original = sealed(secret, sound.truth.key, sound.raw)
    mutated = data.draw(mutated_bytes(original))
    sound.entry.write_bytes(mutated)
    proofs, real = [], verify.faithful
    verify.faithful = lambda *args: proofs.append(args) or real(*args)
    try:
        found = lookup_and_answer(sound, by_hand, secret)
    finally:
        verify.faithful = real
    assert mutated == original or found is None or proofs  # changed: proved, or refused


@FUZZ
@given(data=st.data())
def test_mutated_vectors_are_refused_or_exactly_the_right_shape(sound, tmp_path_factory, data):
    """An article's stored vectors are read only as float16 rows of its exact shape that
    the model could have made (finite, none past unit length); anything else reads as
    none (and is encoded again)."""
    folder = tmp_path_factory.mktemp("vectors")
    rows = sum(s.sentence_count + 1 for s in sound.truth.sections)  # each section's sentences, then its heading
    path = folder / f"{sound.truth.key[:32]}-fuzz.npy"
    np.save(path, np.full((rows, DIMENSIONS), DIMENSIONS**-0.5, dtype=np.float16))  # unit rows
    assert read_vectors(path, rows) is not None
    path.write_bytes(data.draw(mutated_bytes(path.read_bytes())))
    vectors = read_vectors(path, rows)
    assert vectors is None or (vectors.shape == (rows, DIMENSIONS) and vectors.dtype == np.float16 and sound_vectors(vectors.astype(np.float32)))


@pytest.mark.slow
@FUZZ
@given(data=st.data())
def test_a_mutated_folder_index_is_built_again_or_sound(sound, tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("index")
    kb = KnowledgeBase([cache_module._lookup(sound.article, sound.cache, sound.fingerprint)[0] or sound.truth], sound.analyzer)
    path = folder / "index-0123456789abcdef-00.npz"
    write_folder_index(path, FolderIndex(kb.sentence_index.postings(), kb.vocabulary.frequency))
    path.write_bytes(data.draw(mutated_bytes(path.read_bytes())))
    built = read_folder_index(path, [sound.truth])
    if built is not None:
        documents = sum(s.sentence_count + 1 for s in sound.truth.sections)
        assert built.sentences.sound(documents)
        KnowledgeBase([sound.truth], sound.analyzer, built=built).ask("do all night nurses earn more?")
