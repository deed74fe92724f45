"""Sealed cache entries: a reload takes the entries this user's engine wrote without proving
them again; an entry changed after sealing, sealed with another key, or from a cache made
by someone else is proved against its article (and never quoted when it differs); a key
that is not this user's private plain file is never used."""

from __future__ import annotations

import json
import os
import secrets
import stat
from pathlib import Path

import pytest

from knowledge import KnowledgeBase
from knowledge.seal import KEY_BYTES, opened, seal_key, sealed
from knowledge.settings import seal_key_file

from .conftest import SEED, cache_entries, entry_data

QUESTION = "what does it pay?"


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CAREER_CHAT_CACHE", str(folder))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return folder


def forge(entry: Path, quote: str) -> tuple[bytes, str]:
    """The entry's bytes with a letter of `quote` changed (the same length, so every span
    still fits), its old seal line kept; and the forged quote."""
    raw = entry.read_bytes()
    body, _ = opened(None, "", raw)
    at = next(i for i, c in enumerate(quote) if "a" <= c < "z")
    lie = quote[:at] + chr(ord(quote[at]) + 1) + quote[at + 1 :]
    old, new = json.dumps(quote)[1:-1].encode(), json.dumps(lie)[1:-1].encode()
    assert old in body
    return raw.replace(old, new), lie


def shown(kb: KnowledgeBase) -> str:
    return kb.ask(QUESTION).model_dump_json() + "".join(s.text for s in kb.sections)


def test_a_reload_takes_this_users_sealed_entry_without_proving_it(cache, proofs):
    first = KnowledgeBase.load(SEED, semantic=False)
    assert proofs == []  # written here, not read back
    (entry,) = cache_entries(cache)
    raw = entry.read_bytes()
    assert opened(seal_key(seal_key_file(), cache), entry_data(entry)["key"], raw)[1]
    second = KnowledgeBase.load(SEED, semantic=False)
    assert proofs == []
    assert second.ask(QUESTION) == first.ask(QUESTION)


def test_an_entry_changed_after_sealing_is_proved_and_never_quoted(cache, proofs):
    sound = KnowledgeBase.load(SEED, semantic=False).ask(QUESTION)
    (entry,) = cache_entries(cache)
    raw, lie = forge(entry, sound.citations[0].quote)
    entry.write_bytes(raw)
    kb = KnowledgeBase.load(SEED, semantic=False)
    assert proofs == [kb.articles[0].slug]
    assert lie not in shown(kb) and kb.ask(QUESTION) == sound
    assert lie.encode() not in entry.read_bytes()  # rebuilt from the article, sealed anew
    proofs.clear()
    KnowledgeBase.load(SEED, semantic=False)
    assert proofs == []


def test_an_entry_sealed_with_another_key_is_proved_and_never_quoted(cache, proofs):
    sound = KnowledgeBase.load(SEED, semantic=False).ask(QUESTION)
    (entry,) = cache_entries(cache)
    raw, lie = forge(entry, sound.citations[0].quote)
    body, _ = opened(None, "", raw)
    key = json.loads(body)["key"]
    entry.write_bytes(sealed(secrets.token_bytes(KEY_BYTES), key, body))  # a seal, but not this user's
    kb = KnowledgeBase.load(SEED, semantic=False)
    assert len(proofs) == 1 and lie not in shown(kb) and kb.ask(QUESTION) == sound


def test_a_cache_made_by_another_user_is_proved_once_then_sealed(cache, proofs, tmp_path, monkeypatch):
    sound = KnowledgeBase.load(SEED, semantic=False).ask(QUESTION)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "someone-else"))  # another key
    kb = KnowledgeBase.load(SEED, semantic=False)
    assert len(proofs) == 1 and kb.ask(QUESTION) == sound
    KnowledgeBase.load(SEED, semantic=False)
    assert len(proofs) == 1  # sealed with this key once proved


def test_the_key_is_made_private_and_kept_outside_the_cache(cache):
    KnowledgeBase.load(SEED, semantic=False)
    path = seal_key_file()
    mode = os.lstat(path).st_mode
    assert stat.S_ISREG(mode) and stat.S_IMODE(mode) == 0o600 and path.stat().st_size == KEY_BYTES
    assert stat.S_IMODE(path.parent.stat().st_mode) & 0o077 == 0
    assert not path.resolve().is_relative_to(cache.resolve())
    key = path.read_bytes()
    KnowledgeBase.load(SEED, semantic=False)
    assert path.read_bytes() == key  # made once, never replaced


def _group_readable(path: Path) -> None:
    path.chmod(0o640)


def _a_link(path: Path) -> None:
    target = path.with_name("elsewhere.key")
    path.rename(target)
    path.symlink_to(target)


def _short(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:-1])


@pytest.mark.parametrize("spoil", [_group_readable, _a_link, _short])
def test_a_key_that_is_not_a_private_plain_file_is_never_used(cache, proofs, spoil):
    sound = KnowledgeBase.load(SEED, semantic=False).ask(QUESTION)
    spoil(seal_key_file())
    for _ in range(2):
        assert KnowledgeBase.load(SEED, semantic=False).ask(QUESTION) == sound
    assert len(proofs) == 2  # every entry proved at every load, none sealed, no error
    assert seal_key(seal_key_file(), cache) is None


def test_a_key_inside_the_cache_folder_is_never_used(tmp_path, monkeypatch, proofs):
    data = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    monkeypatch.setenv("CAREER_CHAT_CACHE", str(data))  # the key would sit in the cache
    for _ in range(2):
        KnowledgeBase.load(SEED, semantic=False)
    assert len(proofs) == 1 and not seal_key_file().exists()
