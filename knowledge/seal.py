"""A seal on the cache entries this user's own engine wrote or proved, so a reload need not
prove them against their articles again.

Proving an entry cleans its article again: about 2 ms an article, most of a reload of a
thousand. A seal is an HMAC-SHA256 of the entry's exact bytes and the content key they are
stored under (the article's bytes, file name and engine), made with a key of 32 random
bytes that is kept outside the cache folder and readable by this user only. An entry
copied, shared, synced, restored or edited by anyone who cannot read that key carries no
seal that holds, so it is proved in full as before (and sealed once it is proved). The key
is made the first time the cache is written; a key that is not a plain file of this user's
(one link to it, in a folder of this user's that only they can write), private, of 32 bytes
and outside the cache folder (by its path as given and as resolved, and by the folders'
identities) is never used: then every entry is proved.

A sealed entry is its JSON, a newline, and the seal in 64 hex digits.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

from .inputs import open_regular

KEY_BYTES = 32
_SEAL_CHARS = 64
_PURPOSE = b"career-chat cache entry\0"
_HEX = frozenset(b"0123456789abcdef")


def seal(key: bytes, name: str, body: bytes) -> bytes:
    """The seal of an entry's bytes `body` stored under the content key `name`."""
    return hmac.new(key, _PURPOSE + name.encode("ascii") + b"\0" + body, hashlib.sha256).hexdigest().encode("ascii")


def sealed(key: bytes | None, name: str, body: bytes) -> bytes:
    """The entry as stored: its bytes, and their seal when there is a key."""
    return body if key is None else body + b"\n" + seal(key, name, body)


def opened(key: bytes | None, name: str, raw: bytes) -> tuple[bytes, bool]:
    """An entry file's JSON bytes, and whether its seal holds under `key` (a file with no
    seal, or with one that does not hold, is read but must be proved)."""
    cut = len(raw) - _SEAL_CHARS - 1
    if cut < 0 or raw[cut] != 0x0A or not _HEX.issuperset(raw[cut + 1 :]):
        return raw, False
    body, mark = raw[:cut], raw[cut + 1 :]
    return body, key is not None and hmac.compare_digest(mark, seal(key, name, body))


def user_key(cache: Path) -> bytes | None:
    """This user's key for the cache folder `cache` (see `seal_key`); None where the user's
    data folder cannot be found (no home folder): then every entry is proved."""
    from .settings import seal_key_file

    try:
        path = seal_key_file()
    except (OSError, RuntimeError, ValueError):
        return None
    return seal_key(path, cache)


def seal_key(path: Path, cache: Path, make: bool = True) -> bytes | None:
    """This user's key at `path`, made there when missing (and `make`); None when it cannot
    be read or made, or is not one to trust: see the module's docstring."""
    try:
        if _within(path, cache) or not _private_folder(path.parent, make):
            return None  # whoever can write the cache could write the key beside it
    except (OSError, RuntimeError, ValueError):
        return None
    key = _read_key(path)
    if key is None and make and not _exists(path):
        _make_key(path)
        key = _read_key(path)
    return key


def _within(path: Path, cache: Path) -> bool:
    """Whether `path` is in the folder `cache`: by either path as given or as resolved (a
    link planted in the cache, on the way to the key, is seen), or because one of its
    folders is the cache folder itself (another spelling of it: letter case, a bind mount)."""
    given, real = Path(os.path.abspath(path)), path.resolve()
    caches = (Path(os.path.abspath(cache)), cache.resolve())
    if any(p.is_relative_to(c) for p in (given, real) for c in caches):
        return True
    try:
        folder = os.stat(cache)
    except OSError:
        return False  # no cache folder yet: nothing can be in it
    for parent in (*given.parents, *real.parents):
        try:
            found = os.stat(parent)
        except OSError:
            continue
        if (found.st_dev, found.st_ino) == (folder.st_dev, folder.st_ino):
            return True
    return False


def _private_folder(folder: Path, make: bool) -> bool:
    """Whether the key's own folder is a folder (not a link) of this user's that no one
    else can write; made so when missing (and `make`)."""
    if make:
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError:
            return False
    try:
        info = os.lstat(folder)
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        return False
    return not hasattr(os, "getuid") or (info.st_uid == os.getuid() and not info.st_mode & 0o022)


def _exists(path: Path) -> bool:
    try:
        os.lstat(path)
    except OSError:
        return False
    return True


def _read_key(path: Path) -> bytes | None:
    """The key in `path` if it is a plain file (not a link), this user's, private, of
    KEY_BYTES bytes."""
    try:
        with open_regular(path) as handle:  # a plain file, not through a link at its name
            info = os.fstat(handle.fileno())
            if info.st_size != KEY_BYTES or info.st_nlink != 1:
                return None  # a second link to it could sit anywhere, the cache folder too
            if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o077):
                return None
            key = handle.read(KEY_BYTES + 1)
    except OSError:
        return None
    return key if len(key) == KEY_BYTES else None


def _make_key(path: Path) -> None:
    """A new key, written whole to a private file and linked into place only where no key
    is: two first loads at once end with one key, never a half-written one."""
    tmp = path.with_name(f".{path.name}-{secrets.token_hex(8)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(KEY_BYTES))
            handle.flush()
            os.fsync(handle.fileno())
        os.link(tmp, path)  # fails where another process's key is already in place
    except OSError:
        pass
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass
