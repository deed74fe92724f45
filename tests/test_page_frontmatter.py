"""The address the page reader writes into a web page's frontmatter is never quoted as an
answer: not from the page, not from a saved page, not from its fetched markdown. What the
page says of itself (its site's name, author, date) is quoted as written."""

from __future__ import annotations

import pytest

from knowledge import KnowledgeBase

from .conftest import DATA
from .pages import article_html, serving

ABOUT = [
    "what is this article about?",
    "where is this from?",
    "where was this article published?",
    "where was it posted?",
    "which site published this article?",
    "summarize this article",
]


def _never_quotes_the_address(kb: KnowledgeBase, address: str) -> None:
    for question in ABOUT:
        answer = kb.ask(question)
        for citation in answer.citations:
            key = citation.quote.split(":", 1)[0].strip().lower()
            assert key != "url" and "http" not in citation.quote, (question, citation.quote)
        assert "url:" not in answer.text and address not in answer.text, (question, answer.text)
    where = kb.ask("which site published this article?")
    assert where.text.startswith("site: CareerPath Weekly")  # the page's own words
    assert "Marisol Vega" in kb.ask("who wrote this?").text
    assert kb.ask("when was it published?").text.startswith("date: 2025-11-08")


@pytest.fixture(scope="module")
def page():
    with serving() as server:
        yield server.page("/careers/nurse", article_html(DATA / "nurse.md"))


def test_a_pages_address_is_never_quoted(page):
    kb = KnowledgeBase.load(page, semantic=False)
    assert [line.text.split(":")[0] for line in kb.articles[0].header][-2:] == ["site", "url"]
    _never_quotes_the_address(kb, page)


def test_a_saved_page_and_its_fetched_markdown_answer_the_same(tmp_path, page):
    from knowledge.read.pages import article_markdown

    canonical = "https://careers.example.org/nurse"
    saved = tmp_path / "nurse.html"
    saved.write_text(article_html(DATA / "nurse.md", canonical=canonical), encoding="utf-8")
    _never_quotes_the_address(KnowledgeBase.load(saved, semantic=False), canonical)
    markdown = tmp_path / "nurse.md"
    markdown.write_text(article_markdown(str(saved))[0], encoding="utf-8")
    assert f"url: {canonical}" in markdown.read_text(encoding="utf-8")
    _never_quotes_the_address(KnowledgeBase.load(markdown, semantic=False), canonical)


def test_an_address_without_a_site_name_is_said_not_quoted(tmp_path):
    saved = tmp_path / "nurse.html"
    page = article_html(DATA / "nurse.md", canonical="https://careers.example.org/nurse")
    saved.write_text(page.replace('<meta property="og:site_name" content="CareerPath Weekly">', ""), encoding="utf-8")
    where = KnowledgeBase.load(saved, semantic=False).ask("where is this from?")
    assert not where.answered and not where.citations
    assert where.message.endswith("Its page gives the address https://careers.example.org/nurse.")


def test_a_page_read_from_an_address_with_a_port_names_no_site_of_its_host():
    """trafilatura names the site by its host when the page names none; with a port in the
    address ("127.0.0.1:8765") that is still only the address, never quoted as a site."""
    page = article_html(DATA / "nurse.md").replace('<meta property="og:site_name" content="CareerPath Weekly">', "")
    with serving() as server:
        address = server.page("/careers/nurse", page)
        kb = KnowledgeBase.load(address, semantic=False)
    assert not any(line.text.startswith("site:") for line in kb.articles[0].header)
    where = kb.ask("where is this from?")
    assert not where.citations and where.message.endswith(f"Its page gives the address {address}.")
