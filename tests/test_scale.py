"""A folder with meaning on: usable at once (words answer while meaning is encoded), and a
first load killed half way resumes where it stopped, never encoding an article twice."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from knowledge import KnowledgeBase
from knowledge.rank.semantic import Encoder
from knowledge.store.cache import RowFile

from .conftest import DATA, ROOT

QUESTIONS = [
    "what does it pay?",
    "do I need a degree?",
    "is the work stressful?",
    "how do I get started?",
    "what does a typical day look like?",
]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Our own articles, one folder."""
    target = tmp_path / "articles"
    target.mkdir()
    for path in sorted(DATA.glob("*.md")):
        shutil.copy(path, target / path.name)
    return target


@pytest.fixture
def held_encoding(monkeypatch) -> Iterator[threading.Event]:
    """Articles' encoding held until the test sets the event (set at its end in any case)."""
    release = threading.Event()
    real = Encoder.encode_many

    def held(self, texts):
        assert release.wait(120), "the test never let encoding go on"
        return real(self, texts)

    monkeypatch.setattr(Encoder, "encode_many", held)
    try:
        yield release
    finally:
        release.set()


def vector_files(cache: Path) -> list[Path]:
    return sorted(p for p in cache.glob("*.npy"))


def answers(kb: KnowledgeBase) -> list[dict]:
    return [kb.ask(q).model_dump() for q in QUESTIONS]


@pytest.fixture
def counted(monkeypatch) -> list[int]:
    """The sentence model's calls for articles (one an article), each one's text count."""
    calls: list[int] = []
    real = Encoder.encode_many

    def encode_many(self, texts):
        calls.append(len(texts))
        return real(self, texts)

    monkeypatch.setattr(Encoder, "encode_many", encode_many)
    return calls


_LOAD = "import sys; from knowledge import KnowledgeBase; KnowledgeBase.load(sys.argv[1], wait=True)"


@pytest.mark.slow
def test_a_first_load_killed_half_way_resumes_without_encoding_again(folder, tmp_path, monkeypatch, counted):
    cache = tmp_path / "cache"
    env = {**os.environ, "CAREER_CHAT_CACHE": str(cache)}
    total = len(list(folder.glob("*.md")))
    process = subprocess.Popen([sys.executable, "-c", _LOAD, str(folder)], cwd=ROOT, env=env, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 300
        while len(vector_files(cache)) < 4 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stderr.close()
    stored = len(vector_files(cache))
    assert 4 <= stored < total, f"killed with {stored} of {total} articles' vectors stored"

    monkeypatch.setenv("CAREER_CHAT_CACHE", str(cache))
    resumed = KnowledgeBase.load(folder, wait=True)
    assert resumed.meaning_state == "complete"
    assert len(counted) == total - stored  # the articles stored before the kill: not encoded again
    resumed_answers = answers(resumed)

    counted.clear()
    monkeypatch.setenv("CAREER_CHAT_CACHE", str(tmp_path / "clean"))
    clean = KnowledgeBase.load(folder, wait=True)
    assert len(counted) == total
    assert np.array_equal(resumed.meaning.vectors, clean.meaning.vectors)
    assert resumed_answers == answers(clean)


def test_a_changed_article_encodes_only_its_own_sentences(folder, tmp_path, monkeypatch, counted):
    monkeypatch.setenv("CAREER_CHAT_CACHE", str(tmp_path / "cache"))
    KnowledgeBase.load(folder, wait=True)
    changed = sorted(folder.glob("*.md"))[3]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\n## Added\n\nOne more sentence here.\n", encoding="utf-8")
    counted.clear()
    kb = KnowledgeBase.load(folder, wait=True)
    lead = kb._leads[3]
    end = kb._leads[4]
    assert counted == [sum(s.sentence_count + 1 for s in kb.sections[lead:end])]


def test_words_answer_at_once_and_meaning_joins_when_encoded(folder, tmp_path, monkeypatch, held_encoding):
    """Until an article's vectors are in, it is ranked by its words: with none in, every
    answer is the words-only answer, marked partial; once complete, the full answer."""
    monkeypatch.setenv("CAREER_CHAT_CACHE", str(tmp_path / "cache"))
    release = held_encoding
    try:
        kb = KnowledgeBase.load(folder, wait=False)
        assert kb.meaning_state == "partial" and kb.meaning_progress == (0, len(list(folder.glob("*.md"))))
        assert not kb.wait(0)
        early = answers(kb)
    finally:
        release.set()
    assert {a["meaning"] for a in early} == {"partial"}
    words = KnowledgeBase.load(folder, semantic=False)
    assert [dict(a, meaning="off") for a in early] == answers(words)
    assert kb.wait(120) and kb.meaning_state == "complete"
    whole = KnowledgeBase.load(folder, wait=True)  # from the cache now
    assert answers(kb) == answers(whole)
    assert {a["meaning"] for a in answers(kb)} == {"complete"}


def test_the_note_on_a_words_only_answer_says_what_ask_wait_does_for_a_folder_or_one_article(
    folder, tmp_path, monkeypatch, capsys, held_encoding
):
    from chat.cli import _say_partial

    monkeypatch.setenv("CAREER_CHAT_CACHE", str(tmp_path / "cache"))
    notes = []
    for path in (folder, DATA / "nurse.md"):
        kb = KnowledgeBase.load(path, wait=False)
        answer = kb.ask("what does a nurse earn?")
        assert answer.meaning == "partial"
        _say_partial(kb, answer, as_json=False)
        notes.append(capsys.readouterr().err)
    count = len(list(folder.glob("*.md")))
    assert f"meaning was computed for 0 of {count} articles so far" in notes[0] and "for the whole folder" in notes[0]
    assert "not computed yet for this long article" in notes[1] and "computes it once" in notes[1]
    assert "folder" not in notes[1] and all(note.count("\n") == 1 for note in notes)


def test_a_large_folder_reads_its_vectors_from_one_file(folder, tmp_path, monkeypatch, counted):
    """Past the size searched row by row (made small here), a complete folder's vectors are
    kept in one file, read by the next load where asked: no article encoded, the same
    answers; a damaged file is passed over for the articles' own files."""
    import knowledge.rank.meaning
    import knowledge.store.cache

    monkeypatch.setattr(knowledge.rank.meaning, "EXACT_ROWS", 100)
    monkeypatch.setattr(knowledge.store.cache, "FOLDER_INDEX_FROM", 4)
    cache = tmp_path / "cache"
    monkeypatch.setenv("CAREER_CHAT_CACHE", str(cache))
    first = KnowledgeBase.load(folder, wait=True)
    assert not first.meaning.exact
    (whole,) = cache.glob("vectors-*.npy")
    counted.clear()
    mapped = KnowledgeBase.load(folder)
    assert counted == [] and isinstance(mapped.meaning.vectors, RowFile)
    assert mapped.meaning_state == "complete"
    assert answers(mapped) == answers(first)

    whole.write_bytes(whole.read_bytes()[:-10])  # cut short
    again = KnowledgeBase.load(folder)  # from the articles' own files, written in one again
    assert counted == [] and isinstance(again.meaning.vectors, RowFile)
    assert whole.stat().st_size > 10 + (again.meaning.stored_rows() * 384 * 2)
    assert answers(again) == answers(first)


def _cli(*args: str, cache: Path, stderr=subprocess.PIPE) -> subprocess.CompletedProcess:
    """The console script; stderr to a pipe, or to `stderr` (a terminal)."""
    exe = Path(sys.executable).parent / "career-chat"
    env = {**os.environ, "CAREER_CHAT_CACHE": str(cache)}
    return subprocess.run([str(exe), *args], stdout=subprocess.PIPE, stderr=stderr, stdin=subprocess.DEVNULL, text=True, env=env, timeout=600)


def test_ask_wait_gives_a_complete_answer_and_no_bar_on_a_pipe(folder, tmp_path):
    result = _cli("--article", str(folder), "ask", "--wait", "--json", "what does it pay?", cache=tmp_path / "cache")
    assert result.returncode in (0, 1), result.stderr
    assert json.loads(result.stdout)["meaning"] == "complete"
    assert result.stderr == ""  # stderr is a pipe here: no progress bar, no note


def test_a_long_load_shows_a_bar_on_a_terminal(folder, tmp_path):
    """On a terminal, the first load and its meaning show rich's bar on stderr (after a
    second: our articles load and encode in about one here, so four copies of each)."""
    import pty

    for copy in range(1, 4):
        for path in sorted(DATA.glob("*.md")):
            shutil.copy(path, folder / f"{path.stem}-{copy}.md")
    leader, follower = pty.openpty()
    chunks: list[bytes] = []

    def read() -> None:  # as the bar is drawn: a full terminal would stop the command
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal's other side is closed: all read
                return
            if not chunk:
                return
            chunks.append(chunk)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        result = _cli("--article", str(folder), "ask", "--wait", "what does it pay?", cache=tmp_path / "cache", stderr=follower)
    finally:
        os.close(follower)
        reader.join(timeout=30)
        os.close(leader)
    shown = b"".join(chunks)
    assert result.returncode in (0, 1)
    assert b"loading" in shown and f"/{len(list(folder.glob('*.md')))}".encode() in shown, shown[-400:]


def test_with_some_articles_encoded_every_answer_is_still_by_words(folder, tmp_path, monkeypatch):
    """A half-encoded folder must not let its encoded articles outrank the others in
    meaning (they would win on meaning alone, and the learned decisions, fitted on complete
    meaning, would trust them): until meaning is complete, answers are the words-only ones."""
    monkeypatch.setenv("CAREER_CHAT_CACHE", str(tmp_path / "cache"))
    release = threading.Event()
    real = Encoder.encode_many
    calls = []

    def some(self, texts):
        calls.append(1)
        if len(calls) > 2:
            assert release.wait(120), "the test never let encoding go on"
        return real(self, texts)

    monkeypatch.setattr(Encoder, "encode_many", some)
    try:
        kb = KnowledgeBase.load(folder, wait=False)
        deadline = time.monotonic() + 60
        while kb.meaning_progress[0] == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert 0 < kb.meaning_progress[0] < kb.meaning_progress[1] and kb.meaning_state == "partial"
        early = answers(kb)
    finally:
        release.set()
    words = KnowledgeBase.load(folder, semantic=False)
    assert [dict(a, meaning="off") for a in early] == answers(words)
    assert kb.wait(120)


def test_a_large_folder_whose_file_is_cut_short_still_has_every_gist(folder, tmp_path, monkeypatch):
    """A large first load makes each article's gists as its rows are read back into the
    folder's file; a write that stops part way (a full disk) leaves none of them missing:
    every row is held and every gist made, and the answers are those of a whole file."""
    import knowledge.base
    import knowledge.rank.meaning
    import knowledge.store.cache

    monkeypatch.setattr(knowledge.rank.meaning, "EXACT_ROWS", 100)
    monkeypatch.setattr(knowledge.store.cache, "FOLDER_INDEX_FROM", 4)
    monkeypatch.setenv("CAREER_CHAT_CACHE", str(tmp_path / "cache"))
    whole = KnowledgeBase.load(folder, wait=True)
    assert isinstance(whole.meaning.vectors, RowFile)

    def cut_short(path, rows, parts):
        next(iter(parts))  # one article's rows, then the disk is full: no file is left

    monkeypatch.setattr(knowledge.base, "write_folder_vectors", cut_short)
    monkeypatch.setenv("CAREER_CHAT_CACHE", str(tmp_path / "other"))
    short = KnowledgeBase.load(folder, wait=True)
    assert short.meaning_state == "complete" and not isinstance(short.meaning.vectors, RowFile)
    assert np.array_equal(short.meaning.gists, whole.meaning.gists)
    assert np.array_equal(short.meaning.heading_vectors, whole.meaning.heading_vectors)
    assert answers(short) == answers(whole)


def test_a_large_folder_holds_no_row_while_encoding_and_every_row_if_its_file_fails(folder, tmp_path, monkeypatch):
    """A large first load keeps each article's rows in its file, not in memory (no question
    reads one until all are in), then reads them from the folder's one file; should that
    file not be read back, every row is held and the answers are the same."""
    import knowledge.base
    import knowledge.rank.meaning
    import knowledge.store.cache
    from knowledge.rank.meaning import Meaning

    monkeypatch.setattr(knowledge.rank.meaning, "EXACT_ROWS", 100)
    monkeypatch.setattr(knowledge.store.cache, "FOLDER_INDEX_FROM", 4)
    held: list[bool] = []
    real = Meaning.add

    def add(self, article, vectors, hold=True):
        held.append(hold)
        return real(self, article, vectors, hold)

    monkeypatch.setattr(Meaning, "add", add)
    monkeypatch.setenv("CAREER_CHAT_CACHE", str(tmp_path / "cache"))
    first = KnowledgeBase.load(folder, wait=True)
    assert held and not any(held) and isinstance(first.meaning.vectors, RowFile)
    assert first.meaning_state == "complete"

    monkeypatch.setattr(knowledge.base, "read_folder_vectors", lambda path, rows: None)
    monkeypatch.setenv("CAREER_CHAT_CACHE", str(tmp_path / "other"))
    unread = KnowledgeBase.load(folder, wait=True)
    assert unread.meaning_state == "complete" and not isinstance(unread.meaning.vectors, RowFile)
    assert answers(unread) == answers(first)
