"""A folder with a file that cannot be read: the others are answered from, the file is named.

One binary, empty or oversized file among a folder's articles stopped the whole folder;
a single article that cannot be read is still an error, as is a folder of nothing else."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from knowledge import ArticleError, KnowledgeBase

from .conftest import DATA
from .test_cli import run


def _folder(tmp_path: Path, copies: int = 1) -> Path:
    """Our articles (times `copies`), and a binary and an empty one among them."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for copy in range(copies):
        for path in sorted(DATA.glob("*.md")):
            shutil.copy(path, folder / f"{path.stem}-{copy}.md")
    (folder / "broken.md").write_bytes(bytes(range(256)) * 8)
    (folder / "empty.md").write_text("", encoding="utf-8")
    # Read, then refused when parsed (by a worker, for a folder parsed in parallel).
    (folder / "unclosed.md").write_text("---\ntitle: [unclosed\n---\n\n# Pay\n\nNurses earn well.\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("copies", [1, 2], ids=["parsed one by one", "parsed in parallel"])
def test_the_other_articles_load_and_the_bad_files_are_named(tmp_path, monkeypatch, copies):
    monkeypatch.setenv("CAREER_CHAT_CACHE", str(tmp_path / "cache"))
    folder = _folder(tmp_path, copies)
    for _ in range(2):  # parsed, then from the cache
        kb = KnowledgeBase.load(folder, semantic=False)
        assert len(kb.articles) == len(list(DATA.glob("*.md"))) * copies
        assert [m.split(":")[0] for m in kb.skipped] == [str(folder / n) for n in ("broken.md", "empty.md", "unclosed.md")]
        assert "binary" in kb.skipped[0] and "empty" in kb.skipped[1]
        assert kb.ask("what does a nurse earn?").answered


def test_ask_answers_from_a_folder_with_a_bad_file_and_notes_it(tmp_path):
    folder = _folder(tmp_path)
    # A question the nurse's article alone, by words, answers ("what does a nurse earn?" it
    # marks the closest passage, and so does the folder).
    result = run("--lexical", "--article", str(folder), "ask", "what is a nurse's salary?", env={"CAREER_CHAT_CACHE": "off"})
    assert result.returncode == 0 and result.stdout.startswith("Answered")
    notes = result.stderr.splitlines()
    assert len(notes) == 3 and all(n.startswith("career-chat: note: skipped ") for n in notes)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_or_a_dangling_link_among_the_articles_is_named_as_skipped(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(DATA / "nurse.md", folder / "nurse.md")
    os.mkfifo(folder / "pipe.md")  # never opened for reading: it would wait for a writer
    (folder / "dangling.md").symlink_to(tmp_path / "nowhere.md")
    (folder / "sub.md").mkdir()  # a folder named like an article is not one
    kb = KnowledgeBase.load(folder, semantic=False)
    assert len(kb.articles) == 1
    assert [m.split(":")[0] for m in kb.skipped] == [str(folder / "dangling.md"), str(folder / "pipe.md")]
    assert "not a regular file" in kb.skipped[1]


def test_a_folder_of_bad_files_only_or_one_bad_article_is_an_error(tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "broken.md").write_bytes(bytes(range(256)) * 8)
    (folder / "empty.md").write_text("", encoding="utf-8")
    with pytest.raises(ArticleError, match="broken.md"):
        KnowledgeBase.load(folder, semantic=False)
    with pytest.raises(ArticleError, match="empty"):
        KnowledgeBase.load(folder / "empty.md", semantic=False)
    result = run("--article", str(folder), "ask", "pay?", env={"CAREER_CHAT_CACHE": "off"})
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "broken.md" in result.stderr


async def test_the_app_says_which_files_it_skipped(tmp_path):
    from chat.app import CareerChat

    folder = _folder(tmp_path)
    app = CareerChat(load=lambda: KnowledgeBase.load(folder, semantic=False), transcript_folder=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(200):
            await pilot.pause(0.05)
            if app.kb is not None:
                break
        await pilot.pause()
        assert any(str(n.message).startswith("skipped ") and "broken.md" in str(n.message) for n in app._notifications)


def test_more_than_a_few_skipped_files_are_counted_not_listed(tmp_path):
    folder = _folder(tmp_path)
    for n in range(4):
        (folder / f"blank-{n}.md").write_text("  \n", encoding="utf-8")
    result = run("--lexical", "--article", str(folder), "topics", env={"CAREER_CHAT_CACHE": "off"})
    notes = result.stderr.splitlines()
    assert result.returncode == 0 and len(notes) == 4
    assert notes[-1] == "career-chat: note: and 4 more files that could not be read"
    assert os.path.basename(str(folder)) in notes[0]


def test_who_wrote_this_of_a_folder_says_it_cannot_tell_which(tmp_path):
    """Not a refusal listing every topic of every article, nor one article's author."""
    kb = KnowledgeBase.load(_folder(tmp_path), semantic=False)
    for question in ("who wrote this?", "when was this article published?"):
        answer = kb.ask(question)
        assert answer.coverage == "none" and not answer.topics and not answer.citations
        count = len(list(DATA.glob("*.md")))
        assert answer.message == f"These are {count} articles; load one of them on its own to ask who wrote it or when."


def _bad_folder(tmp_path: Path) -> Path:
    """A folder of three files none of which is an article: empty, binary, a page of links."""
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "empty.md").write_text("", encoding="utf-8")
    (folder / "bin.md").write_bytes(b"\x00\x01\x02binary")
    (folder / "nav.html").write_text('<html><body><nav><a href="/">Home</a></nav></body></html>', encoding="utf-8")
    return folder


def test_a_folder_none_of_whose_files_can_be_read_says_so(tmp_path):
    _bad_folder(tmp_path)
    result = run("--lexical", "--article", "bad", "ask", "what does it pay", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == "", result
    (line,) = result.stderr.splitlines()
    assert line.startswith("career-chat: error: bad: none of its 3 articles could be read: bad/bin.md: is a binary file"), line
    assert line.endswith("; and 2 more"), line


@pytest.mark.parametrize("where", ["inside", "beside"])
def test_a_folder_is_named_as_it_was_given(tmp_path, where):
    """Not ".", nor a path made relative to wherever the command ran."""
    folder = tmp_path / "empty"
    folder.mkdir()
    result = run("--article", str(folder), "ask", "hi", cwd=folder if where == "inside" else tmp_path)
    assert result.returncode == 2 and result.stderr.startswith(f"career-chat: error: {folder}: the folder holds no .md articles")
    bad = _bad_folder(tmp_path)
    result = run("--lexical", "--article", str(bad), "ask", "hi", cwd=bad if where == "inside" else tmp_path)
    assert result.returncode == 2 and result.stderr.startswith(f"career-chat: error: {bad}: none of its 3 articles could be read")


def test_a_refusal_from_a_folder_names_each_topic_with_its_article():
    kb = KnowledgeBase.load(DATA, semantic=False)
    answer = kb.ask("how do I bake sourdough bread?")
    assert answer.coverage == "none" and len(answer.topics) == len(kb.sections)
    title = "Is Accounting a Good Career in 2026? 7 Things to Know Before You Start"
    assert "Factor 2 · The pay (" + title + ")" in answer.topics
    assert title in answer.topics  # its opening, named once
    assert len(set(answer.topics)) == len(answer.topics)
