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
from knowledge.seal import KEY_BYTES, opened, seal_key, sealed, user_key
from knowledge.settings import seal_key_file
from knowledge.store import cache as cache_module

from .conftest import SEED, cache_entries, entry_data
from .test_cache_fuzz import _paths

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


def test_an_article_saved_while_it_is_parsed_never_has_the_old_text_sealed_as_the_new(cache, monkeypatch):
    from knowledge.rank.analysis import Analyzer
    from knowledge.read import article as article_module

    path = cache.parent / "pay.md"
    old, new = "# Pay\n\nThe pay is ten dollars a day.\n", "# Pay\n\nThe pay is twenty dollars a day.\n"
    path.write_text(new, encoding="utf-8")
    versions = iter([old, new])  # the file is saved between one read and the next

    def racing(_path):
        return next(versions, new)

    with monkeypatch.context() as patch:
        patch.setattr(cache_module, "read_text", racing)
        patch.setattr(article_module, "read_text", racing)
        fingerprint = cache_module.engine_fingerprint()
        cache_module._build_and_store(path, None, Analyzer.default(), cache, fingerprint, user_key(cache))
    answer = KnowledgeBase.load(path, semantic=False).ask("what is the pay?")
    assert "twenty" in answer.text and "ten" not in answer.text


def test_a_load_without_a_home_folder_proves_every_entry(cache, proofs, monkeypatch):
    from knowledge import settings

    def no_home():
        raise RuntimeError("could not determine the home directory")

    monkeypatch.setattr(settings, "seal_key_file", no_home)
    for _ in range(2):
        assert KnowledgeBase.load(SEED, semantic=False).ask(QUESTION).citations
    assert len(proofs) == 1  # written, then proved: no key, no error


def test_every_value_of_a_sealed_entry_is_under_its_seal(cache):
    KnowledgeBase.load(SEED, semantic=False)
    (entry,) = cache_entries(cache)
    raw = entry.read_bytes()
    data = entry_data(entry)
    body, held = opened(user_key(cache), data["key"], raw)
    assert held and json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode() == body
    def value_at(place):
        inner = data
        for step in place:
            inner = inner[step]
        return inner

    places = [at for at in _paths(data) if type(value_at(at)) in (str, int)]  # strings and numbers
    assert len(places) > 1000
    for place in places:  # each changed alone, the length kept, the old seal kept
        changed = json.loads(body)
        parent = changed
        for step in place[:-1]:
            parent = parent[step]
        old = parent[place[-1]]
        if isinstance(old, str):
            parent[place[-1]] = ("y" if old[:1] != "y" else "z") + old[1:]
        else:
            parent[place[-1]] = old - 1 if old % 10 else old + 1
        forged = json.dumps(changed, separators=(",", ":"), ensure_ascii=False).encode()
        assert not opened(user_key(cache), data["key"], forged + raw[len(body) :])[1], place


def test_a_key_of_another_owner_is_never_used(cache, monkeypatch):
    assert user_key(cache) is not None
    monkeypatch.setattr(os, "getuid", lambda: seal_key_file().stat().st_uid + 1)
    assert user_key(cache) is None


def test_a_key_reached_through_a_link_planted_in_the_cache_is_never_made_or_used(cache, tmp_path, monkeypatch):
    elsewhere = tmp_path / "readable-by-the-planter"
    elsewhere.mkdir()
    cache.mkdir()
    (cache / "data").symlink_to(elsewhere)
    monkeypatch.setenv("XDG_DATA_HOME", str(cache / "data"))  # a data folder inside the cache
    assert user_key(cache) is None
    assert not list(elsewhere.rglob("*"))


def test_a_key_with_a_second_link_is_never_used(cache):
    assert user_key(cache) is not None
    cache.mkdir(exist_ok=True)
    os.link(seal_key_file(), cache / "a-copy-of-the-key")
    assert user_key(cache) is None


def test_a_key_in_a_folder_others_can_write_is_never_used(cache):
    assert user_key(cache) is not None
    seal_key_file().parent.chmod(0o770)
    assert user_key(cache) is None
