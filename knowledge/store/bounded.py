"""Read cache files within bounds decided before anything is allocated.

A cache file is untrusted input: JSON nested a hundred thousand deep exhausts the
interpreter's stack, and an array's header may claim terabytes. Each reader here checks
what a file says about its own size and shape against what the caller expects (and, for an
archive, the member's recorded size against a budget) before reading a byte of data, and
raises `ValueError` for anything else, which the cache reads as "parse it again".
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import IO

import numpy as np

from ..inputs import open_regular

# A cache entry nests five deep; the lexicons two.
MAX_JSON_DEPTH = 16
_NOT_BRACKETS = bytes(c for c in range(256) if c not in b"[]{}")
# An array file's header is a few dozen bytes (numpy itself refuses one over 10,000).
_MAX_HEADER = 10_000


def json_depth(raw: bytes) -> int:
    """How deep `raw` (JSON) nests arrays and objects, brackets inside strings aside: in C
    speed passes, no recursion. Escapes are dropped first (an escaped backslash, then an
    escaped quote), so every quote left opens or closes a string and the text between
    pairs of them is outside any. Skipping each string with a regular expression took 2.5
    times as long (1.6 ms of every start for the cached lexicon, against 0.6)."""
    unescaped = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    brackets = b"".join(unescaped.split(b'"')[::2]).translate(None, _NOT_BRACKETS)
    if not brackets:
        return 0
    steps = np.frombuffer(brackets, dtype=np.uint8)
    return int(np.cumsum(np.where((steps == ord("[")) | (steps == ord("{")), 1, -1), dtype=np.int64).max())


def shallow_json(raw: bytes, limit: int = MAX_JSON_DEPTH) -> bytes:
    """`raw`, once it is known to nest at most `limit` deep (`ValueError` if deeper)."""
    if json_depth(raw) > limit:
        raise ValueError("JSON nested deeper than any cache file")
    return raw


def load_json(raw: bytes, limit: int = MAX_JSON_DEPTH) -> object:
    """Decoded JSON nesting at most `limit` deep; `ValueError` for anything else."""
    return json.loads(shallow_json(raw, limit))


def read_array_header(handle: IO[bytes], dtype: np.dtype, shape: tuple[int, ...]) -> None:
    """Check a .npy file's header and size: of this dtype, C order and `shape`, the data
    exactly as long as they make (`ValueError` else)."""
    handle.seek(0, 2)
    size = handle.tell()
    handle.seek(0)
    found, fortran, kind = _header(handle)
    if fortran or kind != np.dtype(dtype) or found != shape:
        raise ValueError("array of another type or shape")
    if size - handle.tell() != math.prod(found) * kind.itemsize:
        raise ValueError("array data of another length than its header says")


def _header(handle: IO[bytes]) -> tuple:
    version = np.lib.format.read_magic(handle)
    if version == (1, 0):
        return np.lib.format.read_array_header_1_0(handle, max_header_size=_MAX_HEADER)
    if version == (2, 0):
        return np.lib.format.read_array_header_2_0(handle, max_header_size=_MAX_HEADER)
    raise ValueError(f"array format {version} is not one the cache writes")


def read_array(handle: IO[bytes], size: int, dtype: np.dtype, shape: tuple[int, ...] | None = None) -> np.ndarray:
    """The array stored (numpy's .npy format) in the `size` bytes at `handle`: of this dtype,
    C order, and of `shape` (or any one-dimensional shape), with nothing before the data
    read but the header and nothing after it."""
    start = handle.tell()
    version = np.lib.format.read_magic(handle)
    if version == (1, 0):
        found, fortran, kind = np.lib.format.read_array_header_1_0(handle, max_header_size=_MAX_HEADER)
    elif version == (2, 0):
        found, fortran, kind = np.lib.format.read_array_header_2_0(handle, max_header_size=_MAX_HEADER)
    else:
        raise ValueError(f"array format {version} is not one the cache writes")
    if fortran or kind != np.dtype(dtype) or (found != shape if shape is not None else len(found) != 1):
        raise ValueError("array of another type or shape")
    need = math.prod(found) * kind.itemsize
    if size - (handle.tell() - start) != need:
        raise ValueError("array data of another length than its header says")
    data = bytearray(need)
    if handle.readinto(data) != need:
        raise ValueError("array data cut short")
    return np.frombuffer(data, dtype=kind).reshape(found)


def read_array_file(path: Path, dtype: np.dtype, shape: tuple[int, ...]) -> np.ndarray:
    """A .npy file's array, if it has exactly this dtype and shape (see `read_array`)."""
    with open_regular(path) as handle:
        return read_array(handle, os.fstat(handle.fileno()).st_size, dtype, shape)


def read_archive(path: Path, wanted: dict[str, np.dtype], budget: int) -> dict[str, np.ndarray]:
    """The one-dimensional arrays named in `wanted` (name -> dtype) from a .npz archive, its
    members' recorded sizes summed within `budget` bytes before any is read (a member's
    recorded size is checked again as it is read: zipfile stops at it)."""
    import zipfile  # a large folder's kept index only: 2 ms of every other start

    with open_regular(path) as handle, zipfile.ZipFile(handle) as archive:
        members = {name: archive.getinfo(f"{name}.npy") for name in wanted}
        if sum(info.file_size for info in members.values()) > budget:
            raise ValueError("archive members larger than the articles could make")
        arrays = {}
        for name, info in members.items():
            with archive.open(info) as member:
                arrays[name] = read_array(member, info.file_size, wanted[name])
    return arrays
