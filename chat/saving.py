"""`fetch -o FILE`: an article written whole or not at all, never over the page being read,
and over a file already there only when asked (`--force`)."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat

from knowledge.inputs import display_path

from .output import OutputError


class PathError(ValueError):
    """The file cannot be written where it was asked: one line, exit 2."""


_ALREADY_EXISTS = "{}: already exists; give --force to replace it, or another file"


def _unwritable(shown: str, error: OSError) -> PathError:
    """A path that cannot be opened (no such folder, not allowed, a folder): its fault."""
    return PathError(f"{shown}: cannot be written ({error.strerror}); check the path")


def check_output(page: str, output: str, force: bool) -> None:
    """Whether `fetch` may write its -o file: never the saved page it reads (its own input
    would be lost), and a file that exists (the user's edits) only with --force."""
    try:
        same = os.path.samefile(page, output)
    except (OSError, ValueError):  # either is missing (or an address): not the same file
        same = False
    if same:
        raise PathError(f"{display_path(output)}: is the page being read; give another file to write")
    if not force and os.path.isfile(output):
        raise PathError(_ALREADY_EXISTS.format(display_path(output)))


def write_output(output: str, text: str, shown: str, replace: bool) -> None:
    """Write `fetch`'s -o file whole or not at all. A file (one of the user's, or a new one)
    is written beside it first and put in its place once complete: a full disk leaves no
    half-written article, and with --force the old file as it was. A device or a pipe
    (/dev/stdout) is no file to put in place: it is written to.
    `PathError` for a path that cannot be written, `OutputError` for a write that fails."""
    try:
        kind = os.stat(output).st_mode
    except OSError:  # nothing there yet
        kind = None
    if kind is not None and not stat.S_ISREG(kind):
        _write_to(output, text, shown)
        return
    target = os.path.realpath(output)  # through a link, as writing to it would go
    _write_beside(target, text, shown, replace=replace, mode=None if kind is None else stat.S_IMODE(kind))


def _write_to(output: str, text: str, shown: str) -> None:
    """Write to a device or a pipe as it is (a folder fails to open, and is said so)."""
    try:
        out = open(output, "w", encoding="utf-8")
    except OSError as error:  # not allowed, a folder: the path is at fault
        raise _unwritable(shown, error) from None
    try:
        with out:
            out.write(text)
    except OSError as error:
        raise OutputError(error.strerror or str(error)) from None


def _write_beside(target: str, text: str, shown: str, replace: bool, mode: int | None) -> None:
    """Write a temporary file in `target`'s folder, then put it in place: over the file
    there when `replace`, else only where no file has appeared since it was checked."""
    try:
        handle, temporary = _temporary_beside(target, mode)
    except OSError as error:  # no such folder, not allowed: the path is at fault
        raise _unwritable(shown, error) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())  # on the disk before it takes the old file's place
        if replace:
            os.replace(temporary, target)
        else:
            _link_new(temporary, target)
    except FileExistsError:
        raise PathError(_ALREADY_EXISTS.format(shown)) from None
    except OSError as error:
        raise OutputError(error.strerror or str(error)) from None
    finally:
        with contextlib.suppress(OSError):  # gone already once put in place by os.replace
            os.unlink(temporary)


def _temporary_beside(target: str, mode: int | None) -> tuple[int, str]:
    """A new hidden file next to `target`, open for writing: with `mode` (the permissions of
    the file it replaces), or for a new file the ones `open` would give (umask applied)."""
    folder, name = os.path.split(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        temporary = os.path.join(folder, f".{name}-{secrets.token_hex(4)}.tmp")
        try:
            handle = os.open(temporary, flags, 0o666 if mode is None else 0o600)
        except FileExistsError:
            continue
        if mode is not None:
            with contextlib.suppress(OSError):  # a file system without permissions (FAT)
                os.fchmod(handle, mode)
        return handle, temporary
    raise FileExistsError(errno.EEXIST, "no free temporary name", folder)


def _link_new(temporary: str, target: str) -> None:
    """Give the complete `temporary` the name `target` unless a file has taken that name:
    a link never replaces one (FileExistsError). Where the file system has no links (FAT),
    it is renamed, once no file stands at the name."""
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS):
            raise
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, "already exists", target) from None
        os.replace(temporary, target)
