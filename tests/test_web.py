"""Articles from the web and saved pages: the same article as markdown, with the furniture
never quoted; every fetch failure one line and exit 2; the kept copy; `fetch -o`."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import secrets
import subprocess
import sys
import time

import pytest

from knowledge import KnowledgeBase
from knowledge.evaluation import evaluate, read_questions
from knowledge.read.fragments import encode_term, text_fragment_link
from knowledge.read.webcache import FRESH_SECONDS, _record_name, kept_article
from knowledge.seal import KEY_BYTES, opened, sealed, user_key

from .conftest import DATA
from .pages import (
    FURNITURE,
    Reply,
    article_html,
    gzipped,
    huge,
    serving,
    stall,
    trickle_body,
    trickle_headers,
)

ARTICLES = sorted(p for p in DATA.glob("*.md") if p.with_suffix(".jsonl").exists())
TIMEOUT = "3"  # CAREER_CHAT_FETCH_TIMEOUT for the failure cases


@pytest.fixture(scope="module")
def server():
    with serving() as running:
        for path in ARTICLES:
            running.page(f"/careers/{path.stem}", article_html(path))
        yield running


def _sentences(kb: KnowledgeBase) -> list[str]:
    return [" ".join(s.text.split()) for section in kb.sections for s in section.sentences]


def _cli(*args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    environment = {**os.environ, "CAREER_CHAT_SEMANTIC": "off", "CAREER_CHAT_FETCH_TIMEOUT": TIMEOUT, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "chat", *args], capture_output=True, text=True, env=environment, timeout=timeout
    )


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_page_gives_the_markdown_articles_sections_and_sentences(server, path):
    page = KnowledgeBase.load(server.url(f"/careers/{path.stem}"), semantic=False)
    written = KnowledgeBase.load(path, semantic=False)
    assert [s.title for s in page.sections] == [s.title for s in written.sections]
    on_page, in_file = _sentences(page), _sentences(written)
    same = len(set(on_page) & set(in_file))
    assert same >= 0.95 * len(in_file), set(in_file) - set(on_page)
    assert same >= 0.95 * len(on_page), set(on_page) - set(in_file)
    text = "\n".join(s.text for s in page.sections)
    for furniture in FURNITURE:
        assert furniture not in text
    # Who wrote it and when, from the page's metadata, as the frontmatter says them.
    assert page.articles[0].title == written.articles[0].title
    # A page's date is its day (how trafilatura reads it); the frontmatter may add the time.
    got, want = page.articles[0].date, written.articles[0].date
    assert got == want or (got and want and want.startswith(got))


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_eval_on_the_page_is_within_two_questions_of_the_markdown(server, path):
    questions = read_questions(path.with_suffix(".jsonl"))
    page = evaluate(questions, KnowledgeBase.load(server.url(f"/careers/{path.stem}")).ask)
    written = evaluate(questions, KnowledgeBase.load(path).ask)
    passed = [sum(o.passed for o in report.outcomes) for report in (page, written)]
    top1 = [sum(o.top1 for o in report.outcomes) for report in (page, written)]
    assert abs(passed[0] - passed[1]) <= 2, passed
    assert abs(top1[0] - top1[1]) <= 2, top1


def test_who_wrote_it_and_when_come_from_the_page(server):
    kb = KnowledgeBase.load(server.url("/careers/nurse"), semantic=False)
    who = kb.ask("who wrote this?")
    assert who.answered and "Marisol Vega" in who.text
    assert who.citations[0].source == server.url("/careers/nurse")
    assert kb.ask("when was it published?").text.startswith("date: 2025-11-08")


def test_citations_link_to_the_quoted_sentence(server):
    url = server.url("/careers/nurse")
    answer = KnowledgeBase.load(url, semantic=False).ask("how much do nurses earn?")
    assert answer.citations
    for citation in answer.citations:
        assert citation.url.startswith(url + "#:~:text=")
    assert json.loads(answer.model_dump_json())["citations"][0]["url"] == answer.citations[0].url


def test_text_fragments_are_encoded_as_the_spec_says():
    assert encode_term("pay-as-you-go, rock & roll") == "pay%2Das%2Dyou%2Dgo%2C%20rock%20%26%20roll"
    link = text_fragment_link("https://x.org/a#top", "Pay varies a lot by state: nurses in California earn well over $130,000.")
    assert link == "https://x.org/a#:~:text=Pay%20varies%20a%20lot,earn%20well%20over%20%24130%2C000"
    assert text_fragment_link("https://x.org/a", "Short one.") == "https://x.org/a#:~:text=Short%20one"
    assert text_fragment_link("file:///etc/passwd", "x") is None


FAILURES = {
    "404": ("/missing", None, "no such page (HTTP 404)"),
    "500": ("/broken", Reply(status=500, body=b"oops"), "the server failed (HTTP 500)"),
    "redirect loop": ("/loop", Reply(status=302, headers={"Location": "/loop2"}), "redirects in a loop"),
    # The Location names the page itself, as it is written (not as it is sent: "%C3%A9").
    "redirect loop beyond ASCII": ("/boucl%C3%A9", Reply(status=302, headers={"Location": "/boucl\u00e9"}), "redirects in a loop"),
    "redirect to ftp": ("/to-ftp", Reply(status=302, headers={"Location": "ftp://example.org/a"}), "not followed: only http:// and https://"),
    # Refused for what it is, its password never shown.
    "redirect with a password": (
        "/to-login",
        Reply(status=302, headers={"Location": "http://ana:s3cret@127.0.0.1/a"}),
        "redirects to http://127.0.0.1/a, not followed: a user name or password in the address is not sent",
    ),
    "never answers": ("/stall", Reply(stream=stall), f"no answer within {TIMEOUT} seconds"),
    "headers a byte at a time": ("/drip", Reply(stream=trickle_headers), f"no answer within {TIMEOUT} seconds"),
    "body a byte at a time": ("/drip-body", Reply(stream=trickle_body), f"no answer within {TIMEOUT} seconds"),
    "30 MB": ("/huge", Reply(stream=huge), "too large for an article"),
    "PDF": ("/paper", Reply(body=b"%PDF-1.7\n" + b"x" * 1000, headers={"Content-Type": "application/pdf"}), "is a PDF"),
    "no article text": (
        "/empty",
        Reply(body=b"<html><body><nav><a href='/'>Home</a></nav><p>Loading...</p><script>app()</script></body></html>"),
        "no article text found",
    ),
    "not UTF-8": (
        "/latin",
        Reply(body=article_html(DATA / "nurse.md").replace("Nursing is", "Nursing \u00e9 is").encode("latin-1", "replace"), headers={"Content-Type": "text/html"}),
        "is not UTF-8 text",
    ),
}


# Those that wait out the fetch timeout are slow: CI runs them (pytest -m slow).
_WAITING = {"never answers", "headers a byte at a time", "body a byte at a time"}


@pytest.mark.parametrize(
    "case", [pytest.param(c, marks=pytest.mark.slow) if c in _WAITING else c for c in FAILURES], ids=list(FAILURES)
)
def test_each_failure_is_one_line_and_exit_2(case):
    path, reply, said = FAILURES[case]
    with serving() as running:
        if reply is not None:
            running.routes[path] = reply
        running.routes["/loop2"] = Reply(status=302, headers={"Location": "/loop"})
        url = running.url(path)
        result = _cli("--article", url, "ask", "what does it pay?", timeout=60)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("career-chat: error: "), result.stderr
    assert said.lower() in lines[0].lower() and url in lines[0] and "s3cret" not in lines[0]
    assert result.stdout == ""


@pytest.mark.parametrize(
    "address, said",
    [
        ("file:///etc/passwd", "only http:// and https://"),
        ("ftp://example.org/a.html", "only http:// and https://"),
        ("https://career-chat-test.invalid/a", "host name was not found"),
        ("https://infirmière.invalid/a", "host name was not found"),
        ("https://n\udcffurse.invalid/a", "not a web address"),
        ("http://127.0.0.1:9/a", "connection was refused"),
        ("http://127.0.0.1:http/a", "its port is not a number"),
        ("http://127.0.0.1:99999/a", "its port is not a number from 1 to 65535"),
    ],
)
def test_other_schemes_dns_and_refused_connections_are_one_line(address, said):
    result = _cli("--article", address, "ask", "what does it pay?", timeout=60)
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1 and said in result.stderr, result.stderr


@pytest.mark.parametrize(
    "address",
    ["http://ana:s3cret@127.0.0.1:9/a", "http://ana@mail.example:s3cret@127.0.0.1:9/a", "http://ana:s3c@s3cret@127.0.0.1:9/a"],
    ids=["name and password", "an e-mail address as the name", "an @ in the password"],
)
def test_an_address_with_a_password_is_refused_without_showing_the_password(address):
    """The host is what follows the last @ before the path, as urllib reads it: all
    before it is the user name and password, an @ in them included."""
    result = _cli("--article", address, "ask", "what does it pay?", timeout=60)
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1 and "user name or password" in result.stderr, result.stderr
    assert "s3cret" not in result.stderr


@pytest.mark.parametrize(
    "written, sent",
    [("/careers/infirmière", "/careers/infirmi%C3%A8re"), ("/careers/n\udcffurse", "/careers/n%FFurse")],
    ids=["accented", "bytes not UTF-8"],
)
def test_an_address_with_letters_beyond_ascii_is_fetched_as_a_browser_sends_it(server, written, sent):
    """As typed or pasted (a shell passes bytes that are not UTF-8 as they are)."""
    server.page(sent, article_html(DATA / "nurse.md"))
    result = _cli("--article", server.url(written), "ask", "what does a nurse earn?", timeout=60)
    assert result.returncode == 0, result.stderr
    assert "nurse" in result.stdout.lower()


@pytest.mark.parametrize("location", ["/careers/infirmière", "/careers/infirmi\u00c3\u00a8re"], ids=["Latin-1", "UTF-8"])
def test_a_redirect_to_an_address_beyond_ascii_is_followed(server, location):
    """The Location header as a server sends it, in UTF-8 (its bytes written here as the
    Latin-1 letters the test server sends them as) or in Latin-1."""
    server.page("/careers/infirmi%C3%A8re", article_html(DATA / "nurse.md"))
    server.routes["/go/nurse"] = Reply(status=302, headers={"Location": location})
    result = _cli("--article", server.url("/go/nurse"), "ask", "what does a nurse earn?", timeout=60)
    assert result.returncode == 0, result.stderr


def test_declared_charsets_and_gzip_are_read():
    page = article_html(DATA / "nurse.md").replace("Nursing is one", "Caf\u00e9 nursing is one")
    with serving() as running:
        running.routes["/header"] = Reply(body=page.encode("latin-1"), headers={"Content-Type": "text/html; charset=ISO-8859-1"})
        meta = page.replace('<meta charset="utf-8">', '<meta charset="windows-1252">')
        running.routes["/meta"] = Reply(body=meta.encode("cp1252"), headers={"Content-Type": "text/html"})
        running.routes["/gzip"] = gzipped(page)
        for path in ("/header", "/meta", "/gzip"):
            kb = KnowledgeBase.load(running.url(path), semantic=False)
            assert "Caf\u00e9 nursing is one" in kb.sections[0].text, path


def test_a_page_gzipped_in_several_members_is_read_whole():
    # gzip's format allows members one after another (a server that packs as it streams);
    # read as its first member alone, the page lost its last sections, with no word said.
    page = article_html(DATA / "nurse.md")
    half = len(page) // 2
    packed = gzip.compress(page[:half].encode()) + gzip.compress(page[half:].encode())
    with serving() as running:
        running.routes["/members"] = Reply(body=packed, headers={"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"})
        running.routes["/whole"] = gzipped(page)
        whole = KnowledgeBase.load(running.url("/whole"), semantic=False)
        members = KnowledgeBase.load(running.url("/members"), semantic=False)
    assert _sentences(members) == _sentences(whole)


def test_a_page_is_kept_revalidated_and_used_offline(tmp_path):
    article = article_html(DATA / "nurse.md")
    with serving() as running:
        running.routes["/nurse"] = Reply(body=article.encode(), etag='"v1"')
        url = running.url("/nurse")
        first = kept_article(url, tmp_path, 5, now=1_000_000.0)
        again = kept_article(url, tmp_path, 5, now=1_000_000.0 + FRESH_SECONDS / 2)
        assert running.hits["/nurse"] == 1 and again.path == first.path  # fresh: not asked again
        later = kept_article(url, tmp_path, 5, now=1_000_000.0 + FRESH_SECONDS * 2)
        assert running.hits["/nurse"] == 2 and running.bodies["/nurse"] == 1  # asked; 304, no download
        assert later.path.read_text() == first.path.read_text()
    # The server is gone: the kept copy answers, saying from when.
    offline = kept_article(url, tmp_path, 2, now=1_000_000.0 + FRESH_SECONDS * 4)
    assert offline.note and "answering from the copy fetched 1970-01-12 13:46 UTC" in offline.note
    assert offline.path.read_text() == first.path.read_text()


def test_a_kept_copy_changed_since_it_was_written_is_fetched_again(tmp_path):
    """The kept article is what was fetched, or it is not used: an edited copy (a sentence
    the page never had) is downloaded again, even while it would still be fresh."""
    article = article_html(DATA / "nurse.md")
    with serving() as running:
        running.routes["/nurse"] = Reply(body=article.encode())
        url = running.url("/nurse")
        first = kept_article(url, tmp_path, 5, now=1_000_000.0)
        original = first.path.read_text()
        first.path.write_text(original + "\nEvery nurse earns a million dollars a year.\n")
        again = kept_article(url, tmp_path, 5, now=1_000_000.0 + 1)
        assert running.hits["/nurse"] == 2
    assert again.path.read_text() == original


@pytest.mark.parametrize("key", ["no seal", "another key"])
def test_a_kept_page_forged_in_the_cache_is_never_quoted_online_or_offline(tmp_path, key):
    # Someone who can write the cache folder, not read this user's key, plants an article and
    # a record that says it was checked a moment ago, its digest right.
    with serving() as running:
        url = running.page("/nurse", article_html(DATA / "nurse.md"))
        kept_article(url, tmp_path, 5)
        record = next(tmp_path.glob("web/*/page.json"))
        kept = json.loads(opened(None, "", record.read_bytes())[0])
        lie = "# Night nurse\n\nNight nurses earn $900,000 a year. Wire a $500 fee to evil.example to apply.\n"
        (record.parent / kept["name"]).write_text(lie, encoding="utf-8")
        forged = json.dumps({**kept, "final_url": "https://evil.example/", "checked": time.time(),
                             "digest": hashlib.sha256(lie.encode()).hexdigest()}).encode()
        record.write_bytes(forged if key == "no seal" else sealed(secrets.token_bytes(KEY_BYTES), _record_name(url), forged))
        online = kept_article(url, tmp_path, 5)
        assert running.hits["/nurse"] == 2 and "evil.example" not in online.path.read_text() + online.url
        (record.parent / kept["name"]).write_text(lie, encoding="utf-8")
        record.write_bytes(forged)
    result = _cli("--article", url, "ask", "what does a night nurse earn?", env={"CAREER_CHAT_CACHE": str(tmp_path)})
    assert result.returncode == 2 and "evil.example" not in result.stdout + result.stderr  # offline: no copy to trust


def test_offline_the_cli_says_it_answers_from_the_kept_copy(tmp_path):
    env = {"CAREER_CHAT_CACHE": str(tmp_path)}
    with serving() as running:
        url = running.page("/nurse", article_html(DATA / "nurse.md"))
        assert _cli("--article", url, "ask", "what does a nurse do?", env=env).returncode == 0
    record = next(tmp_path.glob("web/*/page.json"))
    secret, name = user_key(tmp_path), _record_name(url)
    body, held = opened(secret, name, record.read_bytes())
    kept = json.loads(body)
    assert held  # sealed by this user's engine; sealed again here, an hour older
    record.write_bytes(sealed(secret, name, json.dumps({**kept, "checked": kept["checked"] - 2 * FRESH_SECONDS}).encode()))
    result = _cli("--article", url, "ask", "what does a nurse do?", env=env)
    assert result.returncode == 0
    assert "answering from the copy fetched" in result.stderr and "connection was refused" in result.stderr


def test_fetch_then_the_file_answers_as_the_page(tmp_path, server):
    url = server.url("/careers/nurse")
    saved = tmp_path / "a.md"
    result = _cli("fetch", url, "-o", str(saved))
    assert result.returncode == 0, result.stderr
    text = saved.read_text()
    assert text.startswith("---\ntitle: Is Nursing Still a Good Career?") and f"\nurl: {url}\n" in text
    assert "\nauthor: " in text and "\ndate: 2025-11-08\n" in text
    questions = "\n".join(q.question for q in read_questions(DATA / "nurse.jsonl")) + "\n"
    answers = []
    for article in (url, str(saved)):
        done = subprocess.run(
            [sys.executable, "-m", "chat", "--article", article, "ask", "--jsonl"],
            input=questions, capture_output=True, text=True, timeout=300, env={**os.environ},
        )
        assert done.returncode == 0, done.stderr
        answers.append([json.loads(line) for line in done.stdout.splitlines()])
    for by_page, by_file in zip(*answers, strict=True):
        for answer in (by_page, by_file):
            for citation in answer["citations"]:
                del citation["source"], citation["article"]  # the file's name, not the page's
        assert by_page == by_file


def test_fetch_asks_the_server_again_within_the_hour_and_saves_the_page_as_it_is_now(tmp_path):
    """`fetch` is asked for the page now: one edited a minute after it was first read is
    saved edited (an unchanged one is not downloaded again), and --article then reads it so."""
    env = {"CAREER_CHAT_CACHE": str(tmp_path / "cache")}
    article = article_html(DATA / "nurse.md")
    edited = article.replace("Nursing is one of", "Nursing, edited today, is one of")
    assert edited != article
    with serving() as running:
        url = running.page("/nurse", article, etag='"v1"')
        assert "edited today" not in _cli("fetch", url, env=env).stdout
        assert "edited today" not in _cli("fetch", url, env=env).stdout
        assert running.bodies["/nurse"] == 1  # asked again, 304: no download
        running.page("/nurse", edited, etag='"v2"')
        again = _cli("fetch", url, env=env)
        assert again.returncode == 0 and "edited today" in again.stdout
        asked = _cli("--article", url, "ask", "how large is the nursing profession in the world?", env=env)
    assert "edited today" in asked.stdout


def test_saved_pages_and_folders_of_them_are_read(tmp_path):
    (tmp_path / "nurse.html").write_text(article_html(DATA / "nurse.md"), encoding="utf-8")
    (tmp_path / "chef.md").write_text((DATA / "chef.md").read_text(), encoding="utf-8")
    one = KnowledgeBase.load(tmp_path / "nurse.html", semantic=False)
    assert [s.title for s in one.sections] == [s.title for s in KnowledgeBase.load(DATA / "nurse.md", semantic=False).sections]
    both = KnowledgeBase.load(tmp_path, semantic=False)
    assert [a.slug for a in both.articles] == ["chef", "nurse"]
    result = _cli("fetch", str(tmp_path / "nurse.html"))
    assert result.returncode == 0 and result.stdout.startswith("---\ntitle: ")


def test_hostile_page_text_never_drives_the_terminal():
    hostile = article_html(DATA / "nurse.md").replace(
        "Nursing is one of",
        "Nursing \x1b[31mis\x1b]8;;http://evil\x07 [bold red]one[/] of &lt;b&gt; \u202eone of",
    )
    with serving() as running:
        url = running.page("/hostile", hostile)
        result = _cli("--article", url, "ask", "how large is the nursing profession in the world?")
    out = result.stdout
    assert result.returncode == 0 and "[bold red]one[/]" in out  # shown as written, never as markup
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out


def test_fetch_refuses_what_is_not_a_page(tmp_path):
    note = tmp_path / "note.txt"
    note.write_text("hello")
    result = _cli("fetch", str(note))
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
    assert "not a web page" in result.stderr
    # A markdown article needs no fetching: the message says where it goes.
    article = tmp_path / "nurse.md"
    article.write_text("# Nursing\n\nNurses care for patients.\n")
    result = _cli("fetch", str(article))
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
    assert "not a web page" in result.stderr and f"career-chat --article {article} ask" in result.stderr
    spaced = tmp_path / "my nurse.md"  # said so that it can be pasted back
    spaced.write_text("# Nursing\n\nNurses care for patients.\n")
    assert f"career-chat --article '{spaced}' ask" in _cli("fetch", str(spaced)).stderr
    # An address typed without its scheme is neither: the message names the address meant.
    result = _cli("fetch", "exmaple.org/careers/nurse")
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
    assert "no such file; for the web page, give its address: https://exmaple.org/careers/nurse" in result.stderr
    result = _cli("fetch", "missing-page.html")
    assert "no such file; give an http(s) address or a saved .html file" in result.stderr


def test_an_article_typed_as_an_address_without_its_scheme_is_said_so(tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text('{"id": "pay", "question": "pay?", "section": "pay"}\n')
    for args in (["--article", "127.0.0.1:8000/nurse.html", "ask", "pay?"], ["--article", "example.com/pay", "eval", str(questions)]):
        result = _cli(*args)
        assert result.returncode == 2 and len(result.stderr.splitlines()) == 1, result.stderr
        assert "no such file or folder; for the web page, give its address: http" in result.stderr
    assert "http://127.0.0.1:8000/nurse.html" in _cli("--article", "127.0.0.1:8000/nurse.html", "ask", "pay?").stderr
    # A file name is no address, nor a dotted folder's: missing is only missing.
    for path in ("nurse.md", "v1.2/nurse.md"):
        result = _cli("--article", path, "ask", "pay?")
        assert "no such file or folder; give a markdown article or a folder of them" in result.stderr
    result = _cli("fetch", "a" * 5000 + ".html")  # a name the system refuses: said, never a crash
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1 and "internal error" not in result.stderr


async def test_in_the_app_o_opens_a_sources_page_at_its_sentence(tmp_path, monkeypatch):
    from textual.widgets import OptionList

    from chat.app import CareerChat

    from .test_app import ask, wait_for

    with serving() as running:
        kb = KnowledgeBase.load(running.page("/nurse", article_html(DATA / "nurse.md")), semantic=False)
    app = CareerChat(kb, transcript_folder=tmp_path)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
    async with app.run_test(size=(100, 30)) as pilot:
        block = await ask(pilot, "how much do nurses earn?")
        sources = block.query_one(".sources", OptionList)
        sources.focus()
        await pilot.pause()
        assert "o" in {b.binding.key for b in app.screen.active_bindings.values()}  # offered in the footer
        await pilot.press("o")
        await wait_for(pilot, lambda: opened)
        marker = int(sources.highlighted_option.id)  # a row stands for its line's first citation
    assert opened == [block.answer.citations[marker - 1].url]
    assert "#:~:text=" in opened[0]


@pytest.mark.parametrize("charset", ["rot13", "base64", "zlib", "hex"])
def test_a_codec_that_is_not_a_charset_is_refused_plainly(charset):
    from knowledge.read.decoding import DecodingError, page_text

    with pytest.raises(DecodingError, match="not a text encoding"):
        page_text(b"<html><body><p>Nurses earn well.</p></body></html>", charset)


def test_the_api_names_a_web_article_by_its_address(server):
    from fastapi.testclient import TestClient

    from chat.web.server import create_app

    url = server.url("/careers/nurse")
    with TestClient(create_app(KnowledgeBase.load(url, semantic=False))) as client:
        article = client.get("/api/topics").json()["articles"][0]
        reply = client.post("/api/ask", json={"question": "how much do nurses earn?"}).json()
        section = client.get(f"/api/sections/{reply['citations'][0]['section_id']}").json()
    # As the terminal names it: the page's address, not the last part of its path ("nurse").
    assert article["file"] == url and article["url"] == url
    assert {c["source"] for c in reply["citations"]} == {url} and section["file"] == url


def test_a_kept_page_changed_after_its_check_is_never_what_is_loaded(tmp_path, monkeypatch):
    # The kept copy is checked against its sealed record; someone who can write the cache
    # swaps the file right after. What is loaded is the checked bytes, not the file again.
    from knowledge.read import webcache

    monkeypatch.setenv("CAREER_CHAT_CACHE", str(tmp_path))
    with serving() as running:
        url = running.page("/nurse", article_html(DATA / "nurse.md"))
        KnowledgeBase.load(url, semantic=False)
        checked = webcache.kept_article

        def then_swapped(*args, **kwargs):
            got = checked(*args, **kwargs)
            got.path.write_text("# Nurse\n\nNurses earn $900,000 a year; wire a fee to evil.example.\n", encoding="utf-8")
            return got

        monkeypatch.setattr(webcache, "kept_article", then_swapped)
        answer = KnowledgeBase.load(url, semantic=False).ask("how much do nurses earn?")
    assert answer.citations and "evil.example" not in answer.model_dump_json()


def test_fetch_never_writes_over_its_page_nor_an_existing_file_without_force(tmp_path, server):
    page = tmp_path / "p2.html"
    html = article_html(DATA / "nurse.md")
    page.write_text(html, encoding="utf-8")
    # The page's own file, by its name, another spelling of it, or a link to it: refused, even with --force.
    (tmp_path / "link.html").symlink_to(page)
    for output in (page, tmp_path / "." / "p2.html", tmp_path / "link.html"):
        for force in ([], ["--force"]):
            result = _cli("fetch", str(page), "-o", str(output), *force)
            assert result.returncode == 2 and len(result.stderr.splitlines()) == 1, result.stderr
            assert "is the page being read" in result.stderr
    assert page.read_text(encoding="utf-8") == html
    # A file the user has edited is kept, unless --force says to replace it.
    edited = tmp_path / "w.md"
    edited.write_text("my notes\n", encoding="utf-8")
    url = server.url("/careers/nurse")
    result = _cli("fetch", url, "-o", str(edited))
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1, result.stderr
    assert "already exists" in result.stderr and "--force" in result.stderr
    assert edited.read_text(encoding="utf-8") == "my notes\n"
    result = _cli("fetch", url, "-o", str(edited), "--force")
    assert result.returncode == 0, result.stderr
    assert edited.read_text(encoding="utf-8").startswith("---\ntitle: Is Nursing Still a Good Career?")
    # A new file needs no --force; --help says what it is for.
    assert _cli("fetch", str(page), "-o", str(tmp_path / "new.md")).returncode == 0
    assert "--force" in _cli("fetch", "--help").stdout


def _answers_after(seconds: float):
    """A server that is `seconds` slow to its first byte, then sends the nurse article."""
    body = article_html(DATA / "nurse.md").encode()

    def slow(handler) -> None:
        if handler.server.owner_event.wait(seconds):
            return  # the test ended first
        handler._send(200, body, {"Content-Type": "text/html; charset=utf-8"})

    return slow


def test_the_fetch_timeout_bounds_each_wait_on_the_server_not_a_shorter_hidden_cap(monkeypatch):
    # What the first byte may be waited for is what the setting leaves, not 10 seconds.
    import urllib.request

    waits: list[float] = []
    opened = urllib.request.OpenerDirector.open

    def spy(self, request, data=None, timeout=None):
        waits.append(timeout)
        return opened(self, request, data, timeout)

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", spy)
    monkeypatch.setenv("CAREER_CHAT_FETCH_TIMEOUT", "25")
    monkeypatch.setenv("CAREER_CHAT_CACHE", "off")
    with serving() as running:
        url = running.page("/nurse", article_html(DATA / "nurse.md"))
        KnowledgeBase.load(url, semantic=False)
    assert len(waits) == 1 and 20 < waits[0] <= 25


def _asked_of_a_slow_server(delay: float, timeout: str) -> tuple[str, subprocess.CompletedProcess]:
    """(its address, the run): a page that answers only after `delay` seconds, asked with
    CAREER_CHAT_FETCH_TIMEOUT set to `timeout`."""
    with serving() as running:
        running.routes["/slow"] = Reply(stream=_answers_after(delay))
        url = running.url("/slow")
        return url, _cli("--article", url, "ask", "what does a nurse earn?", env={"CAREER_CHAT_FETCH_TIMEOUT": timeout})


@pytest.mark.slow
def test_a_server_slower_than_ten_seconds_to_answer_is_read_within_a_longer_timeout():
    _, result = _asked_of_a_slow_server(11, "60")
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
def test_a_server_slower_than_the_timeout_is_said_with_the_timeout_set():
    url, result = _asked_of_a_slow_server(5, "1")
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1, result.stderr
    assert f"{url}: no answer within 1 second; " in result.stderr


MARKDOWN_TYPES = ["text/markdown; charset=utf-8", "text/plain; charset=utf-8", "text/x-markdown"]


@pytest.mark.parametrize("kind", MARKDOWN_TYPES, ids=["markdown", "plain (raw GitHub)", "x-markdown"])
def test_a_markdown_article_by_address_is_read_as_the_file_is(kind):
    written = KnowledgeBase.load(DATA / "nurse.md", semantic=False)
    with serving() as running:
        running.routes["/articles/nurse.md"] = Reply(body=(DATA / "nurse.md").read_bytes(), headers={"Content-Type": kind})
        url = running.url("/articles/nurse.md")
        served = KnowledgeBase.load(url, semantic=False)
    assert [s.title for s in served.sections] == [s.title for s in written.sections]
    assert _sentences(served) == _sentences(written)
    assert served.articles[0].author == "Marisol Vega, RN"
    answer = served.ask("how much do nurses earn?")
    assert answer.citations and {c.source for c in answer.citations} == {url}
    assert all(c.url.startswith(url + "#:~:text=") for c in answer.citations)


def test_a_markdown_article_by_address_is_decoded_by_its_charset_and_byte_order_mark():
    text = (DATA / "nurse.md").read_text(encoding="utf-8").replace("Nursing is one", "Caf\u00e9 nursing is one")
    with serving() as running:
        running.routes["/latin"] = Reply(body=text.encode("latin-1"), headers={"Content-Type": "text/markdown; charset=ISO-8859-1"})
        running.routes["/bom"] = Reply(body=text.encode("utf-8-sig"), headers={"Content-Type": "text/plain"})
        running.routes["/utf16"] = Reply(body=text.encode("utf-16"), headers={"Content-Type": "text/markdown"})
        for path in ("/latin", "/bom", "/utf16"):
            kb = KnowledgeBase.load(running.url(path), semantic=False)
            assert kb.articles[0].title == "Is Nursing Still a Good Career? What New Nurses Should Know", path
            assert "Caf\u00e9 nursing is one" in kb.sections[0].text, path


def test_fetch_writes_a_markdown_article_with_its_address(tmp_path):
    with serving() as running:
        running.routes["/nurse.md"] = Reply(body=(DATA / "nurse.md").read_bytes(), headers={"Content-Type": "text/markdown"})
        url = running.url("/nurse.md")
        result = _cli("fetch", url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("---\n") and f"\nurl: {url}\n" in result.stdout
    assert "\nauthor: Marisol Vega, RN\n" in result.stdout and "Nursing is one of the largest professions" in result.stdout


def test_a_markdown_articles_own_url_line_gives_way_to_the_address_it_was_read_from():
    text = (DATA / "nurse.md").read_text(encoding="utf-8").replace("author:", "url: https://elsewhere.example/nurse\nauthor:", 1)
    with serving() as running:
        running.routes["/nurse.md"] = Reply(body=text.encode(), headers={"Content-Type": "text/markdown"})
        url = running.url("/nurse.md")
        kb = KnowledgeBase.load(url, semantic=False)
    assert kb.articles[0].url == url and "elsewhere.example" not in "".join(line.text for line in kb.articles[0].header)
    assert all(c.url.startswith(url + "#:~:text=") for c in kb.ask("how much do nurses earn?").citations)


EVIL = "https://evil.example/"


@pytest.mark.parametrize(
    "header",
    [
        f"title: T\nurl: {EVIL}\nauthor: A",
        f"title: T\n'url': {EVIL}\nauthor: A",
        f'title: T\n"url": {EVIL}\nauthor: A',
        f"title: T\nurl: >\n  {EVIL}\nauthor: A",
        f"title: T\nauthor: A\nurl: |-\n  {EVIL}",
        f"title: T\nurl:\n  {EVIL}\nauthor: A",
        f"title: T\n? url\n: {EVIL}\nauthor: A",
        f"title: T\n!!str url: {EVIL}\nauthor: A",
        f"url: https://first.example/\ntitle: T\nurl: {EVIL}\nauthor: A",
        f"{{title: T, url: {EVIL}, author: A}}",
    ],
    ids=["plain", "single-quoted", "double-quoted", "folded", "literal-last", "next-line", "explicit", "tagged", "twice", "flow"],
)
def test_no_url_key_of_a_markdown_article_outdoes_the_address_it_was_read_from(header):
    """YAML keeps the last of two equal keys, whatever their spelling: the article's own
    `url` in any of them would have its citations link to where it says, not where it was read."""
    from knowledge.read.extraction import with_address
    from knowledge.read.header import read_header

    body = "# T\n\nNurses earn well.\n"
    text = with_address(f"---\n{header}\n---\n\n{body}", "https://real.example/a.md")
    metadata, _ = read_header(text)
    assert metadata == {"title": "T", "url": "https://real.example/a.md", "author": "A"}
    assert "evil.example" not in text and text.endswith("\n---\n\n" + body)


def test_a_markdown_articles_other_header_lines_are_kept_as_written():
    from knowledge.read.extraction import with_address

    header = f"title:   T  # the title\n'url': >\n  {EVIL}\n# a note\ntags:\n  - nursing\n"
    text = with_address(f"---\n{header}---\n\n# T\n", "https://real.example/a.md")
    assert text == "---\nurl: https://real.example/a.md\ntitle:   T  # the title\n# a note\ntags:\n  - nursing\n---\n\n# T\n"


@pytest.mark.parametrize(
    "kind, body, said",
    [
        ("application/pdf", b"%PDF-1.7\n" + b"x" * 100, "is a PDF, not"),
        ("application/json", b'{"a": 1}', "is JSON, not"),
        ("image/png", b"\x89PNG\r\n\x1a\n" + b"x" * 100, "is image/png, not"),
    ],
)
def test_other_types_are_refused_naming_the_type_once(kind, body, said):
    with serving() as running:
        running.routes["/thing"] = Reply(body=body, headers={"Content-Type": kind})
        url = running.url("/thing")
        result = _cli("--article", url, "ask", "what does it pay?")
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1, result.stderr
    assert said in result.stderr and result.stderr.lower().count(kind.split("/")[1]) == 1  # said once


def test_a_markdown_article_by_address_that_cannot_be_used_is_named_by_its_address():
    with serving() as running:
        for path, body in {
            "/empty.md": b"  \n",
            "/code.md": b"# Setup\n\n```\npip install thing\n```\n",
            "/bad-header.md": b"---\ntitle: [unclosed\n---\n\nNurses earn well.\n",
        }.items():
            running.routes[path] = Reply(body=body, headers={"Content-Type": "text/markdown"})
            url = running.url(path)
            result = _cli("--article", url, "ask", "what does it pay?")
            assert result.returncode == 2 and len(result.stderr.splitlines()) == 1, result.stderr
            assert result.stderr.startswith(f"career-chat: error: {url}: ") and "career-chat-page" not in result.stderr, result.stderr
