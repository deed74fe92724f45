"""Reading web pages as a browser shows them: the address as typed, the text a reader sees,
the charset a browser uses, a page cut short said for what it is."""

from __future__ import annotations

import gzip
import re
from urllib.parse import unquote

import pytest

from knowledge import ArticleError, KnowledgeBase
from knowledge.read.address import FetchError, is_web_address
from knowledge.read.fragments import text_fragment_link

from .conftest import DATA
from .pages import Reply, article_html, serving
from .test_web import _cli


def test_an_address_with_spaces_around_it_is_fetched_as_an_address():
    """As a trailing space is: a leading one (pasted) does not make it a path."""
    with serving() as running:
        url = running.page("/nurse", article_html(DATA / "nurse.md"))
        result = _cli("--article", f" {url} ", "ask", "how much do nurses earn?")
    assert result.returncode == 0, result.stderr
    assert "nurse" in result.stdout.lower()
    assert all(is_web_address(given) for given in (f"  {url}", f"\t{url}\n"))


def test_a_host_name_dns_cannot_look_up_is_said_naming_the_address():
    """A label over 63 characters (or an empty one) is no host name: said as one DNS
    cannot look up, not in Python's own words."""
    for address in ("http://" + "a" * 64 + ".example/nurse", "http://nurse..example/pay"):
        result = _cli("--article", address, "ask", "what does a nurse earn?")
        assert result.returncode == 2, result.stderr
        assert result.stderr == f"career-chat: error: {address}: not a web address (a host name DNS cannot look up); check it\n"


def _cut_short(body: bytes, headers: dict[str, str]):
    """A server that promises the whole `body` (its Content-Length) and sends a third."""

    def send(handler) -> None:
        handler.send_response(200)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body[: len(body) // 3])

    return send


def _chunked_cut_short(body: bytes):
    """A chunked answer whose last chunk never comes."""

    def send(handler) -> None:
        handler.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n")
        part = body[: len(body) // 3]
        handler.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))

    return send


def test_a_page_cut_short_is_said_and_never_kept(tmp_path, monkeypatch):
    """The first third of a page is not the article: answered from, it would say the page
    does not cover what its missing sections do, and keep saying so from the cache."""
    monkeypatch.setenv("CAREER_CHAT_CACHE", str(tmp_path))
    page = article_html(DATA / "nurse.md").encode("utf-8")
    html = {"Content-Type": "text/html; charset=utf-8"}
    with serving() as running:
        running.routes["/plain"] = Reply(stream=_cut_short(page, html))
        running.routes["/gzip"] = Reply(stream=_cut_short(gzip.compress(page), {**html, "Content-Encoding": "gzip"}))
        running.routes["/chunked"] = Reply(stream=_chunked_cut_short(page))
        for path in ("/plain", "/gzip", "/chunked"):
            url = running.url(path)
            with pytest.raises(FetchError, match="the server sent only part of the page; try again later") as caught:
                KnowledgeBase.load(url, semantic=False)
            assert str(caught.value).startswith(f"{url}: ")
        assert not list(tmp_path.rglob("*.md"))  # nothing kept
        # Once the server sends it whole, it is read: nothing half-read stood in for it.
        running.routes["/plain"] = Reply(body=page)
        assert KnowledgeBase.load(running.url("/plain"), semantic=False).ask("how much do nurses earn?").answered
        result = _cli("--article", running.url("/gzip"), "ask", "how much do nurses earn?")
    assert result.returncode == 2 and result.stdout == "", result.stderr
    assert result.stderr == f"career-chat: error: {running.url('/gzip')}: the server sent only part of the page; try again later\n"


def test_not_modified_to_a_first_request_is_said_as_what_it_is(monkeypatch):
    monkeypatch.setenv("CAREER_CHAT_CACHE", "off")

    def not_modified(handler) -> None:
        handler.send_response(304)
        handler.end_headers()

    with serving() as running:
        running.routes["/nurse"] = Reply(stream=not_modified)
        url = running.url("/nurse")
        with pytest.raises(FetchError) as caught:
            KnowledgeBase.load(url, semantic=False)
    said = str(caught.value)
    assert said.startswith(f"{url}: ") and "HTTP 304" in said and "no article text" not in said


def test_an_html_page_sent_as_plain_text_is_read_as_the_page(tmp_path):
    """Its tags are never quoted: a server that calls its page text/plain still sends HTML.
    A markdown article sent so (as raw GitHub files are) is read as markdown, one that
    starts with a comment too."""
    page = article_html(DATA / "nurse.md").encode("utf-8")
    markdown = b"<!-- draft -->\n" + (DATA / "nurse.md").read_bytes()
    with serving() as running:
        running.routes["/page"] = Reply(body=page)
        running.routes["/plain"] = Reply(body=b"\n  " + page, headers={"Content-Type": "text/plain; charset=utf-8"})
        running.routes["/nurse.md"] = Reply(body=markdown, headers={"Content-Type": "text/plain"})
        as_html, as_plain, as_markdown = (
            KnowledgeBase.load(running.url(path), semantic=False) for path in ("/page", "/plain", "/nurse.md")
        )
    assert [s.text for s in as_plain.sections] == [s.text for s in as_html.sections]
    assert "<" not in "".join(s.text for s in as_plain.sections)
    (tmp_path / "nurse.md").write_bytes(markdown)
    written = KnowledgeBase.load(tmp_path / "nurse.md", semantic=False)
    assert [s.text for s in as_markdown.sections] == [s.text for s in written.sections]


EUROPE = "In Germany a nurse earns about \u20ac3,500 a month \u2014 the union calls it \u201cfair\u201d, and it\u2019s rising."


@pytest.mark.parametrize(
    "header, meta",
    [
        ("text/html", '<meta charset="iso-8859-1">'),
        ("text/html; charset=latin1", ""),
        ("text/html", '<meta http-equiv="Content-Type" content="text/html; charset=us-ascii">'),
        ("text/html; charset=windows-1252", ""),
    ],
    ids=["meta iso-8859-1", "header latin1", "meta us-ascii", "windows-1252"],
)
def test_a_page_labelled_latin1_or_ascii_is_read_as_windows_1252_as_browsers_do(header, meta):
    """Its euro signs, dashes and curly quotes are quoted as the page shows them (they were
    dropped as control characters, or the page refused as not ASCII)."""
    page = article_html(DATA / "nurse.md").replace('<meta charset="utf-8">', meta)
    page = page.replace("<h2", f"<p>{EUROPE}</p><h2", 1)
    with serving() as running:
        running.routes["/nurse"] = Reply(body=page.encode("cp1252"), headers={"Content-Type": header})
        kb = KnowledgeBase.load(running.url("/nurse"), semantic=False)
    assert EUROPE in " ".join(s.text for s in kb.sections)


HIDDEN = {
    "hidden": "<p hidden>{}</p>",
    "template": "<template><p>{}</p></template>",
    "aria-hidden": '<div aria-hidden="true"><p>{}</p></div>',
    "display-none": '<p style="display:none">{}</p>',
}


def _hidden_sentence(kind: str) -> str:
    return f"Nurses hidden by {kind} earn one billion dollars a year."


def test_text_a_browser_never_shows_is_never_quoted(tmp_path):
    """Hidden, a template's content, hidden from screen readers too: none of it is on the
    page a reader sees, so none of it is an answer. Text hidden only until a search finds
    it (`hidden="until-found"`, which a text fragment reveals) is."""
    hidden = "".join(element.format(_hidden_sentence(kind)) for kind, element in HIDDEN.items())
    found = "<p hidden=until-found>Nurses on night shifts earn a differential of four dollars an hour.</p>"
    saved = tmp_path / "nurse.html"
    saved.write_text(article_html(DATA / "nurse.md").replace("<h2", hidden + found + "<h2", 1), encoding="utf-8")
    text = " ".join(s.text for s in KnowledgeBase.load(saved, semantic=False).sections)
    assert [kind for kind in HIDDEN if _hidden_sentence(kind) in text] == []
    assert "differential of four dollars an hour" in text
    assert "Nursing is one of the largest professions" in text


GUIDE = """<!doctype html><html><head><meta charset="utf-8"><title>Nurse pay by state</title></head><body><article>
<h1>Nurse pay by state</h1><h2>Pay</h2><p>{prose}</p>
<h2>Pay by state</h2><table><tr><th>State</th><th>Median pay</th></tr>
<tr><td>California</td><td>$124,000</td></tr><tr><td>Texas</td><td>$79,000</td></tr>
<tr><td>Ohio, in the Midwest of the country</td><td>about $72,000 a year before any overtime</td></tr></table>
</article></body></html>"""


def test_a_table_rows_citation_links_to_text_that_is_on_the_page():
    """A row is quoted with its cells joined by " | ", which the page never shows; a text
    fragment's term matches within one cell, so the link runs from the first cell's words
    to the last cell's (`text=Texas,$79,000`)."""
    prose = " ".join(["Registered nurses earn a median salary of about $86,000 a year in the country."] * 10)
    with serving() as running:
        url = running.page("/pay", GUIDE.format(prose=prose))
        kb = KnowledgeBase.load(url, semantic=False)
    rows = [s.text for section in kb.sections for s in section.sentences if " | " in s.text]
    assert "Texas | $79,000" in rows
    links = {row: text_fragment_link(url, row) for row in rows}
    assert links["Texas | $79,000"] == url + "#:~:text=Texas,%2479%2C000"
    assert links["Ohio, in the Midwest of the country | about $72,000 a year before any overtime"] == (
        url + "#:~:text=Ohio%2C%20in%20the%20Midwest,year%20before%20any%20overtime"
    )
    for row, link in links.items():  # each term is a cell's own text
        terms = [unquote(term) for term in link.split("#:~:text=")[1].split(",")]
        assert all(term in GUIDE and " | " not in term for term in terms), row


def _job_board(items: int) -> str:
    links = "".join(f"<li><a href='/jobs/{i}'>Nurse job number {i} in city {i} with good pay</a></li>" for i in range(items))
    return f"<!doctype html><html><head><title>All nurse jobs</title></head><body><main><h1>All nurse jobs</h1><ul>{links}</ul></main></body></html>"


def _nav_bar(items: int) -> str:
    links = "".join(f"<a href='/p{i}'>Nurse page number {i} about pay</a>" for i in range(items))
    return f"<html><head><title>Links</title></head><body><nav>{links}</nav></body></html>"


def test_a_page_that_is_a_list_of_links_has_no_article_text():
    """A job board, a bar of links glued together: thousands of words, none of them prose,
    so not an article to quote (said as docs/web.md promises, exit 2)."""
    with serving() as running:
        board = running.page("/jobs", _job_board(200))
        bar = running.page("/nav", _nav_bar(300))
        with pytest.raises(ArticleError, match=f"^{re.escape(bar)}: no article text found on the page"):
            KnowledgeBase.load(bar, semantic=False)
        result = _cli("--article", board, "ask", "what do nurses earn?")
    assert result.returncode == 2 and result.stdout == "", result.stderr
    assert result.stderr.startswith(f"career-chat: error: {board}: no article text found on the page")


def test_an_article_with_many_links_in_its_text_is_still_read():
    """Links in the prose (a quarter of its words) and a list of links after it do not
    make an article a list of links."""
    page = article_html(DATA / "nurse.md")
    page = re.sub(r"(<p>)([^<]{0,200}?\.)", r"\1<a href='/more'>\2</a>", page)  # each paragraph's first sentence a link
    page = page.replace("</article>", "<ul>" + "".join(f"<li><a href='/j{i}'>Nurse job {i}</a></li>" for i in range(30)) + "</ul></article>")
    with serving() as running:
        kb = KnowledgeBase.load(running.page("/nurse", page), semantic=False)
    assert kb.ask("how much do nurses earn?").answered


def test_a_short_page_is_told_it_is_short_not_sent_to_javascript(tmp_path):
    """A saved page of a few dozen words was refused as one that "may need a browser's
    JavaScript": its reader is told how many words it has and how many an article needs."""
    page = tmp_path / "short.html"
    page.write_text(
        "<html><head><title>Analyst pay</title></head><body><article><h1>Analyst pay</h1>"
        "<p>Data analysts earn about $70,000 a year in the United States, more in big cities.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    with pytest.raises(ArticleError, match=r"no article text found on the page: \d+ words of main text, an article has at least 80"):
        KnowledgeBase.load(page, semantic=False)
