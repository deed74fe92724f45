"""Articles that cannot be used fail with one clear message naming the file."""

from pathlib import Path

import pytest

from knowledge import ArticleError, KnowledgeBase


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "is empty"),
        (b"   \n\n", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "binary"),
        ("caf\u00e9 au lait".encode("latin-1"), "not UTF-8"),
        (b"---\ntitle: [unclosed\n---\nText.\n", "malformed frontmatter"),
        (b"---\ntitle: a\n  date: : :\n---\nText.\n", "malformed frontmatter"),
        (b"<!-- only a comment -->\n", "no prose"),
        # Read as text, its "title: ok" was quoted as a sentence of the article.
        (b"---\ntitle: ok\n\n# Welding\n\nWelders join metal. Most train for years.\n", "no --- line closes it"),
    ],
)
def test_bad_articles_raise_article_error(tmp_path: Path, content: bytes, says: str):
    path = tmp_path / "bad.md"
    path.write_bytes(content)
    with pytest.raises(ArticleError) as error:
        KnowledgeBase.load(path)
    assert says in str(error.value)
    assert "bad.md" in str(error.value)


@pytest.mark.parametrize("content", [b"", b"  \n\t\n"])
def test_an_empty_saved_page_is_said_to_be_empty(tmp_path: Path, content: bytes):
    """As an empty .md is: not "no article text found on the page", which sends a reader
    looking for JavaScript or a list of links."""
    path = tmp_path / "saved.html"
    path.write_bytes(content)
    with pytest.raises(ArticleError, match="saved.html: is empty"):
        KnowledgeBase.load(path, semantic=False)


def test_missing_file_and_empty_folder(tmp_path: Path):
    with pytest.raises(ArticleError, match="no such file"):
        KnowledgeBase.load(tmp_path / "nope.md")
    with pytest.raises(ArticleError, match="no .md articles"):
        KnowledgeBase.load(tmp_path)


def test_an_empty_path_is_no_article_not_the_working_folder(tmp_path: Path, monkeypatch):
    # Path("") is "."; the library loaded whatever articles the working folder held.
    (tmp_path / "notes.md").write_text("# Notes\n\nA sentence of notes here. And another one.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for empty in ("", "  "):
        with pytest.raises(ArticleError, match="empty|no such file"):
            KnowledgeBase.load(empty, semantic=False)


def test_a_rule_opening_an_article_is_no_header(tmp_path: Path):
    path = tmp_path / "ruled.md"
    path.write_text("---\n\nWelders join metal with heat. Most train for years.\n\n## Pay\n\nIt pays well.\n", encoding="utf-8")
    assert "Welders join metal with heat." in KnowledgeBase.load(path, semantic=False).sections[0].text


def test_article_error_is_a_value_error():
    assert issubclass(ArticleError, ValueError)


def test_a_page_its_script_fills_is_no_article(tmp_path):
    """career-chat's own web page, saved: its few words of interface are no article to
    answer from (it loaded as one titled "career-chat" whose every answer was a refusal)."""
    from chat.web import server

    page = tmp_path / "page.html"
    page.write_text((Path(server.__file__).parent / "static" / "index.html").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ArticleError, match="no article text found on the page"):
        KnowledgeBase.load(page, semantic=False)
