"""Crafted cache files (nested brackets, an array header claiming terabytes, an archive
member of gigabytes) are rebuilt, never a crash, within a bounded peak memory. Each load
runs in its own process: its peak resident memory is what a user's run would need."""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest

from .conftest import SEED, cache_entries, entry_data
from .test_cache import QUESTIONS, many_articles

PEAK_MB = 200
NESTED = b"[" * 200_000 + b"]" * 200_000  # 400 KB

LOAD = """
import json, resource, sys, time
from pathlib import Path
from knowledge import KnowledgeBase
start = time.perf_counter()
kb = KnowledgeBase.load(Path(sys.argv[1]), semantic=sys.argv[2] == "on")
quotes = [c.quote for c in kb.ask(sys.argv[3]).citations]
seconds = time.perf_counter() - start
try:  # this process's own peak: ru_maxrss also counts the parent's peak before exec
    status = open("/proc/self/status").read()
    peak = int(status.split("VmHWM:")[1].split()[0]) / 1024
except (OSError, IndexError):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"quotes": quotes, "seconds": seconds, "peak_mb": peak, "semantic": kb.semantic}))
"""


def load(article: Path, cache: Path, question: str, semantic: bool = False, timeout: float = 120) -> dict:
    """Load in a process of its own; its quotes, time and peak memory (MB)."""
    env = {**os.environ, "CAREER_CHAT_CACHE": str(cache)}
    result = subprocess.run(
        [sys.executable, "-c", LOAD, str(article), "on" if semantic else "off", question],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def test_an_entry_of_nested_brackets_is_rebuilt(tmp_path):
    cache = tmp_path / "cache"
    sound = load(SEED, cache, "what does it pay?")
    (entry,) = cache_entries(cache)
    entry.write_bytes(NESTED)
    crafted = load(SEED, cache, "what does it pay?")
    assert crafted["quotes"] == sound["quotes"] and crafted["peak_mb"] < PEAK_MB
    assert entry_data(entry)["sections"]  # rewritten sound


def test_a_lexicon_file_of_nested_brackets_is_rebuilt(tmp_path):
    cache = tmp_path / "cache"
    sound = load(SEED, cache, "what does it pay?")
    (lexicon,) = cache.glob("lexicon-*.json")
    lexicon.write_bytes(NESTED)
    crafted = load(SEED, cache, "what does it pay?")
    assert crafted["quotes"] == sound["quotes"] and crafted["peak_mb"] < PEAK_MB
    assert isinstance(json.loads(lexicon.read_bytes()), dict)


@pytest.mark.slow
def test_a_vector_file_claiming_a_terabyte_shape_is_rebuilt(tmp_path):
    cache = tmp_path / "cache"
    sound = load(SEED, cache, "what does it pay?", semantic=True)
    if not sound["semantic"]:
        pytest.skip("the sentence model cannot run here")
    (vectors,) = cache.glob("*.npy")
    with vectors.open("wb") as handle:
        np.lib.format.write_array_header_1_0(handle, {"descr": "<f4", "fortran_order": False, "shape": (10**12, 384)})
        handle.write(b"\0" * 1536)
    crafted = load(SEED, cache, "what does it pay?", semantic=True)
    assert crafted["quotes"] == sound["quotes"] and crafted["peak_mb"] < PEAK_MB
    assert np.load(vectors).shape[1] == 384  # rewritten sound


def sparse_archive(path: Path, members: dict[str, bytes], big: str, head: bytes, size: int) -> None:
    """A .npz (stored zip) holding `members` and one member `big` of `size` bytes that
    starts with `head`: the rest of it a hole in the file, so it takes no disk space."""
    entries = []
    with path.open("wb") as out:
        for name, data in [*members.items(), (big, None)]:
            offset, encoded = out.tell(), name.encode()
            length = len(data) if data is not None else size
            crc = zlib.crc32(data) if data is not None else 0
            out.write(struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 0, 0, 0, crc, length, length, len(encoded), 0) + encoded)
            if data is not None:
                out.write(data)
            else:
                out.write(head)
                out.seek(offset + 30 + len(encoded) + size)
            entries.append((encoded, crc, length, offset))
        directory = out.tell()
        for encoded, crc, length, offset in entries:
            out.write(
                struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0, 0, 0, 0, crc, length, length, len(encoded), 0, 0, 0, 0, 0, offset)
                + encoded
            )
        end = out.tell()
        out.write(struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, len(entries), len(entries), end - directory, directory, 0))


def npy_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array, allow_pickle=False)
    return buffer.getvalue()


@pytest.mark.slow
def test_a_folder_index_holding_a_four_gigabyte_member_is_rebuilt(tmp_path):
    cache = tmp_path / "cache"
    articles = many_articles(tmp_path, 32)
    sound = load(articles, cache, QUESTIONS[0])
    (kept,) = cache.glob("index-*.npz")
    with np.load(kept) as data:
        members = {f"{name}.npy": npy_bytes(data[name]) for name in data.files if name != "docs"}
    size = 4_000_000_000
    head = io.BytesIO()
    np.lib.format.write_array_header_1_0(head, {"descr": "<i4", "fortran_order": False, "shape": ((size - 128) // 4,)})
    sparse_archive(kept, members, "docs.npy", head.getvalue(), size)
    if kept.stat().st_blocks * 512 > 64 * 2**20:
        kept.unlink()
        pytest.skip("this file system cannot keep holes: the test would write gigabytes")
    assert kept.stat().st_size > size
    crafted = load(articles, cache, QUESTIONS[0])
    assert crafted["quotes"] == sound["quotes"] and crafted["peak_mb"] < PEAK_MB
    (rewritten,) = cache.glob("index-*.npz")
    assert rewritten.stat().st_size < 2**20


@pytest.mark.parametrize("planted", ["entry", "lexicon", "vectors"])
def test_a_pipe_planted_in_the_cache_is_rebuilt_never_waited_on(tmp_path, planted):
    # A FIFO at a cache file's name: opened to read as a file, it would wait for a writer
    # forever. Opened without waiting and found to be no regular file, it is rebuilt.
    cache = tmp_path / "cache"
    semantic = planted == "vectors"
    sound = load(SEED, cache, "what does it pay?", semantic)
    pattern = {"entry": "*.json", "lexicon": "lexicon-*.json", "vectors": "*.npy"}[planted]
    target = next(p for p in cache.glob(pattern) if planted != "entry" or p in cache_entries(cache))
    target.unlink()
    os.mkfifo(target)
    crafted = load(SEED, cache, "what does it pay?", semantic, timeout=90)
    assert crafted["quotes"] == sound["quotes"] and target.is_file()  # rewritten as a file
