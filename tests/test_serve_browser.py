"""The web page in a real browser: Playwright driving Debian's headless chromium against a
server this test starts on 127.0.0.1. Skipped only where /usr/bin/chromium is absent
(`.ci/run` installs it)."""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from chat.web.server import create_app
from knowledge import KnowledgeBase

from .browser import needs_chromium, png_size

DOCS = Path(__file__).resolve().parent.parent / "docs"
TIMEOUT_MS = 60_000

pytestmark = needs_chromium

# Every payload sets window.pwned, or fetches a URL under /payload/, if it ever runs.
HOSTILE = """\
---
title: "Pilots <script>window.pwned='title'</script> <img src=/payload/title.png onerror=window.pwned='title-img'>"
url: "javascript:window.pwned='url'"
---

# Pay &lt;img src=/payload/heading.png onerror="window.pwned='heading'"&gt;

The pay of a pilot is &lt;script&gt;window.pwned='sentence'&lt;/script&gt; high in most airlines. \
A pilot earns &lt;img src=/payload/sentence.png onerror="window.pwned='img'"&gt; more each year. \
Read <a href="javascript:window.pwned='link'">the pay table</a> for details. \
Pilots with [bold red]Textual[/] markup and [@click=app.quit]links[/] still get paid.

## Training &lt;a href="javascript:window.pwned='heading-link'"&gt;hours&lt;/a&gt; [b]bold[/b]

Pilot training takes about two years of flight school. Training costs a lot of money.
"""


class Server:
    """uvicorn serving an app in a thread, on a port of its own; stopped on `stop`."""

    def __init__(self, app):
        import uvicorn

        self.socket = socket.create_server(("127.0.0.1", 0))
        self.url = "http://127.0.0.1:%d" % self.socket.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            assert self.thread.is_alive() and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
        self.socket.close()


@pytest.fixture(scope="module")
def site(kb: KnowledgeBase) -> Iterator[str]:
    server = Server(create_app(kb))
    try:
        yield server.url
    finally:
        server.stop()


def open_page(browser, url: str, *, init_script: str | None = None, **options):
    """(context, page, errors): the web page at `url`, ready, its script errors collected;
    `init_script` runs before the page's own (to set a window setting app.js reads), `options`
    go to the browser context (viewport, color_scheme)."""
    options = {"viewport": {"width": 1280, "height": 900}, "reduced_motion": "reduce", **options}
    context = browser.new_context(**options)
    if init_script:
        context.add_init_script(init_script)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url + "/")
    page.wait_for_selector("body[data-ready=true]")
    return context, page, errors


@pytest.fixture
def page(browser, site):
    context, page, errors = open_page(browser, site)
    try:
        yield page
    finally:
        context.close()
    assert errors == []


def ask(page, question: str) -> None:
    before = page.locator("#log .answer, #log .error").count()
    page.fill("#question", question)
    page.press("#question", "Enter")
    # Locators, not wait_for_function: the page's CSP forbids the eval that one relies on.
    page.locator("#log .answer, #log .error").nth(before).wait_for()


def test_ask_and_see_the_outcome_and_citations(page):
    ask(page, "How much do prompt engineers make?")
    answer = page.locator("#log .answer").last
    assert "outcome-covered" in answer.get_attribute("class")
    assert answer.locator(".badge").inner_text() == "Answered from the article"
    assert "$175,000 to $375,000" in answer.locator(".quote").inner_text()
    assert answer.locator(".quote .marker").first.inner_text() == "[1]"
    sources = answer.locator(".sources .source-link")
    assert sources.count() >= 1 and sources.first.inner_text().startswith("[1]")
    assert "making-of-ai-interactions.md:" in sources.first.inner_text()
    assert page.locator("#log").get_attribute("aria-live") == "polite"


def test_a_long_paste_is_answered_by_its_last_question_and_says_so(page):
    message = "I have been reading about careers in AI for weeks now. " * 50 + "So, what does it pay?"
    ask(page, message)
    turn = page.locator("#log .turn").last
    assert "2,771 characters long" in turn.locator(".note").inner_text()
    assert "Compensation" in turn.locator(".answer .sources").inner_text()


def test_a_server_gone_mid_use_is_said_plainly_and_the_question_is_kept(browser, kb):
    server = Server(create_app(kb))
    context, page, errors = open_page(browser, server.url)
    try:
        server.stop()
        ask(page, "what does it pay?")
        error = page.locator("#log .error").last.inner_text()
        assert "the server did not answer; is career-chat serve still running?" in error
        assert page.locator("#question").input_value() == "what does it pay?"
    finally:
        context.close()


def test_thanks_is_a_reply_not_a_refusal(page):
    ask(page, "thanks!")
    answer = page.locator("#log .answer").last
    assert "outcome-chat" in answer.get_attribute("class") and answer.locator(".badge").count() == 0
    assert answer.locator(".headline").inner_text() == "You're welcome."


def test_a_frontmatter_description_opens_marked_in_the_article_passage(browser, tmp_path):
    article = tmp_path / "nurses.md"
    article.write_text(
        '---\ntitle: Nursing\ndescription: "What nurses earn, how their shifts run and how they train."\n---\n\n'
        "# Nursing\n\nNurses care for patients in hospitals and clinics every day.\n\n"
        "## Pay\n\nNurses earn about $80,000 a year in most states today.\n",
        encoding="utf-8",
    )
    server = Server(create_app(KnowledgeBase.load(article, semantic=False)))
    context, page, errors = open_page(browser, server.url)
    try:
        ask(page, "what is this article about?")
        page.locator("#log .answer .source-link").first.click()
        mark = page.locator("#source mark").first
        mark.wait_for()
        assert mark.inner_text() == 'description: "What nurses earn, how their shifts run and how they train."'
        assert page.locator("#source-title").inner_text() == "About the article"
    finally:
        context.close()
        server.stop()
    assert errors == []


def test_not_covered_is_shown_as_such(page):
    ask(page, "How do I bake sourdough bread?")
    answer = page.locator("#log .answer").last
    assert "outcome-none" in answer.get_attribute("class")
    assert answer.locator(".badge").inner_text() == "Not covered"


def test_a_refusal_from_a_long_article_lists_the_nearest_topics_not_every_one(browser, tmp_path):
    article = tmp_path / "long.md"
    parts = "\n\n".join(f"## Part {n}: the {w} years\n\nThe {w} years teach patience." for n, w in enumerate(["early", "late"] * 15))
    article.write_text(f"# Long Guide\n\nA guide in many parts.\n\n{parts}\n", encoding="utf-8")
    server = Server(create_app(KnowledgeBase.load(article, semantic=False)))
    context, page, errors = open_page(browser, server.url)
    try:
        ask(page, "How do I bake sourdough bread?")
        answer = page.locator("#log .answer").last
        assert answer.locator(".covers").inner_text() == "It covers 31 topics (the list of topics has them all), among them:"
        assert 1 <= answer.locator(".covered-topics li").count() <= 3
    finally:
        context.close()
        server.stop()
    assert errors == []


def test_a_folders_topics_are_listed_under_their_articles_titles(browser, tmp_path):
    # "Pay" is in most of a folder's articles: the list says whose each one is, each
    # article's topics under its title, as the app lists them (each topic was followed by
    # its article's title, a list of hundreds of long lines).
    for name, title, opening in (("nurse", "Nursing", "Nurses care for patients.\n\n"), ("pilot", "Flying", "")):
        (tmp_path / f"{name}.md").write_text(f"# {title}\n\n{opening}## Pay\n\nThe pay of a {name} is good.\n", encoding="utf-8")
    server = Server(create_app(KnowledgeBase.load(tmp_path, semantic=False)))
    context, page, errors = open_page(browser, server.url)
    try:
        groups = page.locator("#topics > li.article")
        assert groups.count() == 2
        assert groups.nth(0).locator(".topic.article-title").inner_text() == "Nursing"  # opens its opening
        assert groups.nth(1).locator("p.article-title").inner_text() == "Flying"  # none to open
        for n in range(2):
            assert groups.nth(n).locator(".article-topics .topic").all_inner_texts() == ["Pay"]
        # Of several articles, the page speaks of them all, not of one "article".
        assert page.locator("#topics-heading").inner_text() == "What the articles cover"
        held = []
        page.route("**/api/ask", lambda route: held.append(route))
        page.fill("#question", "what is the pay?")
        page.press("#question", "Enter")
        page.locator("#status", has_text="Looking in the articles…").wait_for()
        held[0].continue_()
        page.locator("#log .answer").wait_for()
    finally:
        context.close()
        server.stop()
    assert errors == []


def test_open_a_source_and_see_the_quoted_sentence_highlighted(page):
    ask(page, "How much do prompt engineers make?")
    answer = page.locator("#log .answer").last
    quote = answer.locator(".quote").inner_text()
    answer.locator(".sources .source-link").first.click()
    panel = page.locator("#source")
    panel.wait_for(state="visible")
    marked = panel.locator("mark")
    assert marked.count() >= 1
    assert all(text in quote for text in marked.all_inner_texts())
    assert "$175,000 to $375,000" in " ".join(marked.all_inner_texts())
    assert page.evaluate("document.activeElement.id") == "source-title"


def test_a_follow_up_continues_the_conversation(page):
    ask(page, "How much do prompt engineers make?")
    ask(page, "tell me more")
    answers = page.locator("#log .answer")
    first, more = answers.nth(0).locator(".quote").inner_text(), answers.nth(1).locator(".quote").inner_text()
    assert more and more != first
    assert "outcome-none" not in answers.nth(1).get_attribute("class")


def test_a_reload_shows_the_conversation_again_and_goes_on_with_it(page):
    sent = []
    page.on("request", lambda request: sent.append(request.post_data_json) if request.url.endswith("/api/ask") else None)
    with page.expect_response("**/api/ask") as replied:
        ask(page, "How much do prompt engineers make?")
    conversation = replied.value.json()["conversation_id"]
    first = page.locator("#log .answer .quote").first.inner_text()
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    assert page.locator("#log .turn").count() == 1
    assert page.locator("#log .answer .quote").first.inner_text() == first
    page.locator("#log .answer .source-link").first.click()  # its sources still open
    page.locator("#source mark").first.wait_for()
    ask(page, "tell me more")
    assert sent[1]["conversation_id"] == conversation  # the follow-up goes on with the same conversation
    page.click("#restart")
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    assert page.locator("#log .turn").count() == 0  # a new conversation stays new


def test_a_reload_after_the_articles_changed_shows_no_kept_answer(page):
    # An edited article has another version: its old answers may quote what it no longer says.
    ask(page, "How much do prompt engineers make?")
    page.route("**/api/topics", lambda route: route.fulfill(json={**route.fetch().json(), "version": "edited"}))
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    assert page.locator("#log .turn").count() == 0


@pytest.mark.parametrize(
    "kept",
    [
        "{not json",
        '{"conversation": 7, "turns": []}',
        '{"conversation": "a b", "turns": [{"question": "q", "answer": {"citations": []}}]}',  # not an id the API takes
        '{"conversation": "c1", "turns": [{"question": 5, "answer": null}, "x", null]}',
    ],
    ids=["not json", "id not a string", "id the API refuses", "turns of another shape"],
)
def test_a_kept_conversation_of_another_shape_is_dropped(page, kept):
    version = page.request.get(page.url + "api/topics").json()["version"]
    page.evaluate("([key, value]) => sessionStorage.setItem(key, value)", [f"career-chat:/|{version}", kept])
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    assert page.locator("#log .turn").count() == 0
    ask(page, "How much do prompt engineers make?")  # and the page goes on working
    assert page.locator("#log .answer").count() == 1


def test_a_full_storage_keeps_the_latest_turns_that_fit_not_an_older_copy(browser, site):
    # Here only one turn fits (a folder's refusals, listing thousands of topics, fill it).
    full = """
        const setItem = Storage.prototype.setItem;
        Storage.prototype.setItem = function (key, value) {
          if (JSON.parse(value).turns.length > 1) throw new DOMException("full", "QuotaExceededError");
          return setItem.call(this, key, value);
        };
    """
    context, page, errors = open_page(browser, site, init_script=full)
    try:
        ask(page, "How much do prompt engineers make?")
        ask(page, "Is prompt engineering a real job?")
        page.reload()
        page.wait_for_selector("body[data-ready=true]")
        assert page.locator("#log .you").all_inner_texts() == ["You: Is prompt engineering a real job?"]
    finally:
        context.close()
    assert errors == []


def test_a_kept_answer_is_shown_as_text(page):
    version = page.request.get(page.url + "api/topics").json()["version"]
    answer = {
        "coverage": "covered", "message": "", "citations": [{
            "marker": 1, "section_id": "compensation", "section_title": "<b>Pay</b>", "quote": "<img src=x onerror=alert(1)>",
            "line": 1, "source": "", "article": "", "factor": None,
        }],
    }
    kept = {"conversation": "c1", "turns": [{"question": "<script>alert(2)</script>", "answer": answer}]}
    page.evaluate("([key, value]) => sessionStorage.setItem(key, JSON.stringify(value))", [f"career-chat:/|{version}", kept])
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    assert "<img src=x onerror=alert(1)>" in page.locator("#log .answer .quote").inner_text()
    assert "<script>" in page.locator("#log .you").inner_text()
    assert page.locator("#log img, #log script, #log b").count() == 0


def test_a_reply_arriving_after_a_new_conversation_is_ignored(page):
    """"Start a new conversation" while an answer is on its way: the late reply is not
    shown and does not carry its conversation on; the next question starts a new one."""
    held, sent = [], []
    page.on("request", lambda request: sent.append(request.post_data_json) if request.url.endswith("/api/ask") else None)
    page.route("**/api/ask", lambda route: held.append(route) if not held else route.continue_())
    page.fill("#question", "How much do prompt engineers make?")
    page.press("#question", "Enter")
    for _ in range(TIMEOUT_MS // 20):  # its request reaches the handler, held until after the restart
        if held:
            break
        page.wait_for_timeout(20)
    assert held, "the question was never sent"
    page.click("#restart")
    assert page.locator("#log .turn").count() == 0
    with page.expect_event("requestfinished", lambda request: request.url.endswith("/api/ask")):
        held[0].continue_()  # its reply comes now, after the restart
    page.locator("#send:enabled").wait_for()  # (before the fix: enabled once the late reply was taken)
    ask(page, "what are the barriers to entry?")
    assert [body["conversation_id"] for body in sent] == [None, None]
    turns = page.locator("#log .turn")
    assert turns.count() == 1 and "barriers to entry" in turns.first.locator(".you").inner_text()
    assert "$175,000" not in page.locator("#log").inner_text()


def test_keyboard_only_flow(page):
    """Focus starts in the question box; Enter asks; Tab reaches the sources; Enter opens
    one; Escape closes it and gives focus back to the source that opened it."""
    assert page.evaluate("document.activeElement.id") == "question"
    page.keyboard.type("What are the barriers to entry for prompt engineering?")
    page.keyboard.press("Enter")
    page.wait_for_selector("#log .answer")
    page.focus("#question")
    for _ in range(40):  # backwards from the box: the last source of the last answer comes first
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.classList.contains('source-link')"):
            break
    else:
        pytest.fail("no source reachable with the keyboard")
    opener = page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")
    page.locator("#source").wait_for(state="visible")
    assert page.evaluate("document.activeElement.id") == "source-title"
    assert page.locator("#source mark").count() >= 1
    page.keyboard.press("Escape")
    page.locator("#source").wait_for(state="hidden")
    assert page.evaluate("document.activeElement.textContent") == opener
    # Opened again, then Escape while typing the next question: the passage closes and
    # the typing stays in the box.
    page.keyboard.press("Enter")
    page.locator("#source").wait_for(state="visible")
    page.focus("#question")
    page.keyboard.type("and the pay")
    page.keyboard.press("Escape")
    page.locator("#source").wait_for(state="hidden")
    assert page.evaluate("document.activeElement.id") == "question"
    page.keyboard.type("?")
    assert page.input_value("#question") == "and the pay?"


def test_an_example_question_asks_it(page):
    example = page.locator("#examples button").first
    text = example.inner_text()
    example.press("Enter")
    page.wait_for_selector("#log .answer")
    assert page.locator("#log .you").first.inner_text().endswith(text)


@pytest.mark.parametrize("width", [375, 1280])
def test_screenshots_fit_the_width(browser, site, width, tmp_path):
    """The page fits the width; its screenshot goes to the test's own folder, or to docs/
    (the README's pictures) with CAREER_CHAT_SCREENSHOTS=docs, so a test run leaves the
    checkout as it was."""
    folder = DOCS if os.environ.get("CAREER_CHAT_SCREENSHOTS") == "docs" else tmp_path
    context = browser.new_context(
        viewport={"width": width, "height": 900 if width > 400 else 780}, device_scale_factor=1, reduced_motion="reduce"
    )
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(site + "/")
        page.wait_for_selector("body[data-ready=true]")
        ask(page, "How much do prompt engineers make?")
        page.locator("#log .answer .source-link").first.click()
        page.locator("#source mark").first.wait_for()
        page.evaluate("window.scrollTo(0, 0)")
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing sideways
        page.screenshot(path=str(folder / f"serve-{width}.png"), full_page=width > 400)
        assert png_size(folder / f"serve-{width}.png")[0] == width  # the page as that screen shows it
    finally:
        context.close()


def test_a_hostile_article_is_shown_as_text_and_runs_nothing(browser, tmp_path):
    path = tmp_path / "hostile.md"
    path.write_text(HOSTILE, encoding="utf-8")
    server = Server(create_app(KnowledgeBase.load(path, semantic=False)))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(server.url + "/")
        page.wait_for_selector("body[data-ready=true]")
        assert page.locator("#title").inner_text().startswith("Pilots <script>window.pwned='title'</script>")
        assert page.locator("#original").is_hidden()  # the javascript: url is never a link

        ask(page, "What is the pay of a pilot?")
        answer = page.locator("#log .answer").last
        quote = answer.locator(".quote").inner_text()
        assert "<script>window.pwned='sentence'</script>" in quote
        answer.locator(".source-link").first.click()
        page.locator("#source mark").first.wait_for()
        assert "<img src=/payload/heading.png" in page.locator("#source-title").inner_text()
        passage = page.locator("#source").inner_text()
        assert "<img src=/payload/sentence.png" in passage and "[bold red]Textual[/] markup and [@click=app.quit]links[/]" in passage

        topics = page.locator("#topics button").all_inner_texts()
        assert any('<a href="javascript:' in t and "[b]bold[/b]" in t for t in topics)
        page.locator("#topics button").last.click()
        page.locator("#source-title", has_text="Training").wait_for()

        # Nothing the payloads would make exists, set, ran or was fetched.
        assert page.evaluate("typeof window.pwned") == "undefined"
        assert page.locator("#log script, #log img, #log a, #source script, #source img, #source a, #topics a").count() == 0
        assert page.evaluate("document.scripts.length") == 1  # app.js alone
        assert not [url for url in requested if "/payload/" in url or url.startswith("javascript:")]
        assert dialogs == []
    finally:
        context.close()
        server.stop()


def test_the_page_has_no_inline_script_the_policy_would_block(page):
    violations = page.evaluate(
        """() => new Promise((resolve) => {
            const seen = [];
            document.addEventListener('securitypolicyviolation', (e) => seen.push(e.violatedDirective));
            const s = document.createElement('script');
            s.textContent = 'window.__inline = 1';
            document.body.append(s);
            setTimeout(() => resolve(seen), 50);
        })"""
    )
    assert page.evaluate("typeof window.__inline") == "undefined"  # the CSP stops inline script
    assert any(re.match("script-src", v) for v in violations)
