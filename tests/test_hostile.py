"""Hostile articles and bad bytes, each case as an attacker
or an unlucky user would meet it."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from knowledge import ArticleError, KnowledgeBase
from knowledge.inputs import MAX_UNIT_CHARS
from knowledge.store import cache as cache_module

from .conftest import SEED, cache_entries, entry_data
from .test_cli import assert_clean_error, run

BODY = "Prompt engineers are paid well. Most roles pay $70,000 a year. The work is steady.\n"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# 3. Cache entries are checked against the article, not trusted on their key.


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CAREER_CHAT_CACHE", str(folder))
    return folder


def only_entry(folder: Path) -> Path:
    (entry,) = cache_entries(folder)
    return entry


def test_an_edited_cache_sentence_is_never_quoted(cache):
    KnowledgeBase.load(SEED)
    entry = only_entry(cache)
    data = entry_data(entry)
    pay = next(s for s in data["sections"] if s["id"] == "compensation")
    start, end, _ = pay["spans"][:3]
    poison = "POISONED: prompt engineers are paid nothing at all."
    pay["text"] = pay["text"][:start] + poison + pay["text"][end:]
    shift = len(poison) - (end - start)
    pay["spans"] = [n + shift * (i % 3 != 2 and i > 0) for i, n in enumerate(pay["spans"])]
    entry.write_text(json.dumps(data))
    answer = KnowledgeBase.load(SEED).ask("what does it pay?")
    assert answer.citations and all("POISONED" not in c.quote for c in answer.citations)
    assert "POISONED" not in entry.read_text()  # rebuilt and rewritten


def test_a_cache_sentence_cut_differently_is_rebuilt(cache):
    """A forged span may not join two paragraphs, run past its section, overlap the
    sentence before it, or leave its last sentence incomplete (three numbers a sentence)."""
    KnowledgeBase.load(SEED)
    entry = only_entry(cache)
    data = entry_data(entry)
    section = next(s for s in data["sections"] if "\n\n" in s["text"] and len(s["spans"]) >= 9)
    spans, text = section["spans"], section["text"]
    k = next(i for i in range(0, len(spans) - 6, 3) if "\n\n" in text[spans[i + 1] : spans[i + 3]])
    forgeries = {
        # the last sentence of a paragraph runs on into the next; the gap after is its "next"
        "across paragraphs": spans[: k + 1] + [spans[k + 4], spans[k + 2], spans[k + 4], spans[k + 6]] + spans[k + 5 :],
        "past the section": spans[:-2] + [len(text) + 5, spans[-1]],
        "overlapping": spans[:3] + [spans[0]] + spans[4:],
        "incomplete": spans[:-1],
    }
    for forged in forgeries.values():
        changed = json.loads(json.dumps(data))
        next(s for s in changed["sections"] if s["id"] == section["id"])["spans"] = forged
        entry.write_text(json.dumps(changed))
        kb = KnowledgeBase.load(SEED)
        assert list(kb.section(section["id"]).spans) == spans


def test_a_cache_sentence_moved_to_another_line_is_rebuilt(cache):
    KnowledgeBase.load(SEED)
    entry = only_entry(cache)
    data = entry_data(entry)
    data["sections"][3]["spans"][2] += 1
    entry.write_text(json.dumps(data))
    kb = KnowledgeBase.load(SEED)
    assert kb.sections[3].sentences[0].line == data["sections"][3]["spans"][2] - 1


def test_a_cache_sentence_cited_from_another_section_or_out_of_order_is_rebuilt(cache):
    KnowledgeBase.load(SEED)
    entry = only_entry(cache)
    data = entry_data(entry)
    for forged in ("next section", "out of order"):
        changed = json.loads(json.dumps(data))
        spans = changed["sections"][3]["spans"]
        if forged == "next section":
            spans[-1] = changed["sections"][4]["line"] + 1
        else:
            spans[2], spans[-1] = spans[-1], spans[2]
        entry.write_text(json.dumps(changed))
        kb = KnowledgeBase.load(SEED)
        assert list(kb.sections[3].spans) == data["sections"][3]["spans"]


def test_mismatched_token_counts_are_rebuilt_not_fatal(cache):
    KnowledgeBase.load(SEED)
    entry = only_entry(cache)
    data = entry_data(entry)
    data["tokens"]["sentences"][2].pop()
    entry.write_text(json.dumps(data))
    assert KnowledgeBase.load(SEED).ask("what does it pay?").answered
    assert len(entry_data(entry)["tokens"]["sentences"][2]) == len(data["sections"][2]["spans"]) // 3


def test_the_cache_key_follows_the_library_versions(tmp_path, monkeypatch):
    before = cache_module.engine_fingerprint()
    (tmp_path / "nltk-99.0.dist-info").mkdir()  # another nltk, first on the path
    monkeypatch.syspath_prepend(str(tmp_path))
    assert cache_module.installed_versions(("nltk",)) == {"nltk": "99.0"}
    assert cache_module.engine_fingerprint() != before


def test_the_cache_key_follows_the_engine_code(tmp_path):
    """A changed module of the engine (an upgrade) gives every entry a new key."""
    package = tmp_path / "knowledge"
    (package / "data").mkdir(parents=True)
    write(package / "base.py", "A = 1\n")
    write(package / "data" / "lexicon.txt", "pay: pay\n")
    first = cache_module.engine_fingerprint(package)
    write(package / "base.py", "A = 2\n")
    second = cache_module.engine_fingerprint(package)
    assert second != first
    (package / "rank").mkdir()
    write(package / "rank" / "fusion.py", "B = 1\n")  # a module in one of its folders
    assert cache_module.engine_fingerprint(package) != second


# 4, 5, 10, 11. Input limits: frontmatter, file kinds and sizes, paragraph length, paths.


def test_a_yaml_alias_bomb_is_refused_at_once(tmp_path):
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for n, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[n]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    path = write(tmp_path / "bomb.md", "---\n" + "\n".join(lines) + "\ntitle: *i\n---\n# Pay\n\n" + BODY)
    assert_clean_error(run("--article", str(path), "ask", "pay"), "aliases")


def test_oversized_frontmatter_is_refused(tmp_path):
    path = write(tmp_path / "big.md", "---\ntitle: x\nnote: " + "y" * 70_000 + "\n---\n# Pay\n\n" + BODY)
    assert_clean_error(run("--article", str(path), "ask", "pay"), "frontmatter")


def test_a_fifo_is_refused_without_hanging(tmp_path):
    fifo = tmp_path / "article.md"
    os.mkfifo(fifo)
    assert_clean_error(run("--article", str(fifo), "ask", "pay"), "not a regular file")


def test_a_device_is_refused_without_reading_it():
    assert_clean_error(run("--article", "/dev/zero", "ask", "pay"), "not a regular file")


@pytest.mark.slow
def test_an_article_over_the_size_limit_is_refused_unless_allowed(tmp_path):
    path = write(tmp_path / "long.md", "# Pay\n\n" + BODY * 20_000)  # about 1.7 MB
    result = run("--article", str(path), "ask", "pay", env={"CAREER_CHAT_MAX_ARTICLE_MB": "1"})
    assert_clean_error(result, "CAREER_CHAT_MAX_ARTICLE_MB")
    assert run("--article", str(path), "ask", "pay", env={"CAREER_CHAT_MAX_ARTICLE_MB": "2"}).returncode == 0


def test_punkt_never_sees_more_than_a_bounded_piece(tmp_path, monkeypatch):
    """A paragraph of megabytes once hit nltk's regex timeout; now it is cut before Punkt."""
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    seen: list[int] = []
    real = PunktSentenceTokenizer.span_tokenize

    def spy(self, text, *args, **kwargs):
        seen.append(len(text))
        return real(self, text, *args, **kwargs)

    monkeypatch.setattr(PunktSentenceTokenizer, "span_tokenize", spy)
    paragraph = " ".join(["Prompt engineers earn money."] * 4000)  # one paragraph, ~116 KB
    kb = KnowledgeBase.load(write(tmp_path / "one-paragraph.md", "# Pay\n\n" + paragraph + "\n"))
    assert seen and max(seen) <= MAX_UNIT_CHARS
    sentences = kb.sections[0].sentences
    assert all(s.line == 3 for s in sentences)  # the paragraph's line, counted through every piece
    assert " ".join(s.text for s in sentences) == paragraph  # no word lost at a piece's edge


def test_a_symlink_loop_is_a_clear_error(tmp_path):
    loop = tmp_path / "loop.md"
    loop.symlink_to(loop)
    assert_clean_error(run("--article", str(loop), "ask", "pay"), "symbolic links")


def test_a_folder_that_cannot_be_listed_is_a_clear_error(tmp_path, monkeypatch):
    folder = tmp_path / "articles"
    folder.mkdir()

    real = os.scandir

    def refuse(path):  # as root, a folder's mode does not stop listing it
        if Path(path) == folder:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", refuse)
    with pytest.raises(ArticleError, match="articles: cannot be opened \\(Permission denied\\)"):
        KnowledgeBase.load(folder)


# 6, 7. Batch mode never loses a line; invalid bytes are replaced.


def test_an_invalid_byte_does_not_end_the_batch():
    result = run_bytes("ask", "--jsonl", stdin=b"what does it pay?\nis it \xff a real job\nwill it be obsolete?\n")
    lines = result.stdout.decode().splitlines()
    assert result.returncode == 0 and len(lines) == 3
    assert json.loads(lines[1])["question"] == "is it \ufffd a real job"


def test_an_invalid_byte_in_json_mode_is_replaced():
    result = run_bytes("ask", "--json", stdin=b"what does it \xff pay?")
    assert result.returncode == 0
    assert json.loads(result.stdout)["answered"]


def run_bytes(*args: str, stdin: bytes):
    import subprocess

    from .test_cli import EXE

    return subprocess.run([EXE, *args], input=stdin, capture_output=True, timeout=60)


# 8. CRLF articles cite the same lines as LF ones.


def test_crlf_article_with_frontmatter_cites_the_right_lines(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    crlf = tmp_path / "crlf.md"
    crlf.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    lf = KnowledgeBase.load(SEED).ask("what does it pay?")
    answer = KnowledgeBase.load(crlf).ask("what does it pay?")
    assert [c.line for c in answer.citations] == [c.line for c in lf.citations]
    lines = text.split("\n")
    for c in answer.citations:
        assert c.quote.split()[0] in lines[c.line - 1]


# 9, 12. File names and characters that must not break a line or reorder text.


def test_a_non_utf8_file_name_does_not_sink_the_folder(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    write(folder / "good.md", "# Pay\n\n" + BODY)
    (folder / os.fsdecode(b"bad\xffname.md")).write_text("# Hours\n\nThe hours are long and the work is hard.\n")
    result = run("--article", str(folder), "ask", "what are the hours like")
    assert result.returncode == 0, result.stderr
    assert "bad\ufffdname.md:3" in result.stdout


def test_a_newline_in_a_file_name_keeps_each_source_on_one_line(tmp_path):
    path = write(tmp_path / "pay\nreport.md", "# Pay\n\n" + BODY)
    result = run("--article", str(path), "ask", "what does it pay")
    assert result.returncode == 0
    sources = result.stdout.split("Sources\n", 1)[1].strip().splitlines()
    assert all(line.startswith("[") and line.endswith((":3", ":3 ")) for line in sources), sources


def test_one_line_makes_each_run_of_spaces_with_a_break_one_space_and_leaves_the_rest():
    from knowledge.inputs import one_line

    assert one_line("a \n\t b\tc\nd   e\u00a0\u00a0f") == "a b c d   e\u00a0\u00a0f"


@pytest.mark.slow
def test_one_line_takes_time_linear_in_a_run_of_spaces():
    # "\s*[\n\t]\s*" read a run with no break in it again from each of its spaces: a --jsonl
    # row's conversation id of 60 KB of spaces took 26 s. 8 times the spaces: about 8 times
    # the work when linear, 64 when quadratic.
    from knowledge.inputs import one_line

    from .test_cache_speed import cpu_best_of

    small, large = " " * 2500 + "x", " " * 20000 + "x"
    assert one_line(large) == large
    ratio = cpu_best_of(3, lambda: one_line(large)) / cpu_best_of(3, lambda: one_line(small))
    assert ratio < 24, f"{ratio:.0f} times the time for 8 times the spaces"


BIDI_AND_C1 = "\u202e\u2066\u0085\u009b"


def test_bidi_overrides_and_c1_controls_never_reach_any_output(tmp_path):
    path = write(tmp_path / "a.md", f"# Pay{BIDI_AND_C1}\n\nPrompt engineers are{BIDI_AND_C1} paid well.\n")
    question = f"what{BIDI_AND_C1} does it pay"
    for args in (["ask", question], ["ask", "--json", question], ["topics"], ["topics", "--json"]):
        result = run("--article", str(path), *args)
        assert result.returncode == 0, result.stderr
        assert not set(BIDI_AND_C1) & set(result.stdout), args
        json_text = result.stdout if "--json" in args else ""
        assert not any(f"\\u{ord(c):04x}" in json_text for c in BIDI_AND_C1)


# 13. eval names the bad line; transcripts never leave empty files or follow symlinks.


def test_eval_with_a_blank_question_names_file_and_line(tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text('{"id": "a", "question": "what does it pay", "section": "compensation"}\n'
                         '{"id": "b", "question": "  ", "section": null}\n')
    assert_clean_error(run("eval", str(questions)), "q.jsonl:2: question")


def test_a_transcript_that_cannot_be_written_leaves_nothing(tmp_path, monkeypatch, kb):
    from chat import transcript as transcript_module
    from chat.conversation import Conversation

    conversation = Conversation(kb)
    conversation.ask("what does it pay?")

    class FullDisk:
        def __init__(self, *args, **kwargs):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(transcript_module.os, "fdopen", FullDisk)
    with pytest.raises(OSError):
        transcript_module.save_transcript(kb.title, conversation.turns, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_planted_symlink_at_the_transcript_name_is_not_followed(tmp_path, monkeypatch, kb):
    from chat import transcript as transcript_module
    from chat.conversation import Conversation

    class Frozen(transcript_module.dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return cls(2026, 1, 2, 3, 4, 5)

    monkeypatch.setattr(transcript_module.dt, "datetime", Frozen)
    target = tmp_path / "victim.txt"
    (tmp_path / "career-chat-20260102-030405.md").symlink_to(target)
    conversation = Conversation(kb)
    conversation.ask("what does it pay?")
    path = transcript_module.save_transcript(kb.title, conversation.turns, tmp_path)
    assert not target.exists()
    assert path.name == "career-chat-20260102-030405-2.md" and "70,000" in path.read_text()
