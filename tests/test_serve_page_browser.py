"""The web page in a real browser (as tests/test_serve_browser.py), where it meets a server
that does not answer, a new conversation, long messages, a phone's width and contrast."""

from __future__ import annotations

import pytest

from . import test_serve_browser
from .browser import needs_chromium
from .test_serve_browser import TIMEOUT_MS, ask, open_page

pytestmark = needs_chromium
site = test_serve_browser.site  # the bundled article's server, one for this module too


def test_a_server_that_never_answers_is_said_plainly_and_the_question_is_kept(browser, site):
    # The page's time limit (ASK_TIME_LIMIT_MS in app.js, a minute) made two seconds, as the
    # page reads it before it loads; the question's request is held and never answered.
    context, page, errors = open_page(browser, site, init_script="window.careerChatAskTimeLimitMs = 2000;")
    try:
        page.route("**/api/ask", lambda route: None)
        page.fill("#question", "what does it pay?")
        page.press("#question", "Enter")
        error = page.locator("#log .error")
        error.wait_for(timeout=TIMEOUT_MS // 2)  # (before the fix: never; "Looking in the article…" stayed)
        assert "the server did not answer within 2 seconds" in error.inner_text()
        assert page.locator("#status").inner_text() == ""
        assert page.locator("#question").input_value() == "what does it pay?"
        assert page.locator("#send").is_enabled()
    finally:
        context.close()
    assert errors == []


def test_a_new_conversation_closes_the_passage_of_the_forgotten_answer(browser, site):
    context, page, errors = open_page(browser, site)
    try:
        ask(page, "How much do prompt engineers make?")
        page.locator("#log .answer .marker").first.click()
        page.locator("#source mark").first.wait_for()
        page.click("#restart")
        page.locator("#source").wait_for(state="hidden")  # (before the fix: open, its sentences marked)
        assert page.locator("#source mark").count() == 0
        assert page.evaluate("document.activeElement.id") == "question"
    finally:
        context.close()
    assert errors == []


def test_a_passage_that_could_not_open_is_an_error_until_it_opens(browser, site):
    context, page, errors = open_page(browser, site, color_scheme="light")
    try:
        ask(page, "How much do prompt engineers make?")
        status = page.locator("#status")
        page.route("**/api/sections/**", lambda route: route.abort())  # the server briefly unreachable
        page.locator("#log .answer .marker").first.click()
        page.locator("#status", has_text="Could not open the passage").wait_for()
        assert "error" in status.get_attribute("class").split()
        # Drawn in the error red of the page's other errors (--none), not the status's grey.
        assert status.evaluate("(e) => getComputedStyle(e).color") == "rgb(179, 38, 30)"
        page.unroute("**/api/sections/**")
        page.locator("#log .answer .marker").first.click()
        page.locator("#source mark").first.wait_for()
        page.locator("#status", has_text="Could not open").wait_for(state="detached", timeout=10_000)
        assert status.inner_text() == "" and "error" not in status.get_attribute("class").split()
    finally:
        context.close()
    assert errors == []


@pytest.mark.parametrize("tail", [" So, what does it pay?", "x" * 2500])
def test_a_long_paste_is_shown_shortened_with_the_question_that_was_read(browser, site, tail):
    context, page, errors = open_page(browser, site)
    try:
        message = ("I have been working in retail for ten years and I am thinking about a change of career. " * 60)[:5000 - len(tail)] + tail
        with page.expect_response("**/api/ask") as response:
            ask(page, message)
        read = response.value.json()["question"]
        turn = page.locator("#log .turn").last
        said = turn.locator(".you").inner_text()
        # Its start and its length, not all 5,000 characters (before the fix: all of them).
        assert said.startswith("You: I have been working in retail") and said.endswith("\u2026 (5,000 characters)")
        assert len(said) < 400
        note = turn.locator(".note").inner_text()
        assert note.startswith("Your message was 5,000 characters long: only its last sentences were read as the question: \u201c")
        shown = read if len(read) <= 300 else read[:300].rstrip() + "\u2026 (2,000 characters)"
        assert " ".join(note.split()).endswith(" ".join(f"{shown}\u201d".split()))  # (the page folds spaces)
        assert page.evaluate("document.documentElement.scrollHeight") < 2000
    finally:
        context.close()
    assert errors == []


@pytest.mark.parametrize("width", [320, 390])
def test_the_passages_close_button_stays_on_one_line_on_a_phone(browser, site, width):
    context, page, errors = open_page(browser, site, viewport={"width": width, "height": 780})
    try:
        ask(page, "What does it pay? Is it a real job?")  # its third source has a long title
        page.locator("#log .answer .marker").nth(2).click()
        close = page.locator("#close-source")
        close.wait_for()
        lines = close.evaluate("(e) => { const r = document.createRange(); r.selectNodeContents(e); return r.getClientRects().length; }")
        assert lines == 1  # (before the fix: 2, "Clo" above "se")
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # the title wraps instead
    finally:
        context.close()
    assert errors == []


def contrast(a: str, b: str) -> float:
    """WCAG's contrast ratio of two computed colours, "rgb(r, g, b)"."""

    def luminance(colour: str) -> float:
        channels = [int(v) / 255 for v in colour[colour.index("(") + 1 : -1].split(",")[:3]]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_question_boxs_border_stands_out_three_to_one(browser, site, scheme):
    # WCAG 1.4.11: the box's edge against the page around it and against the box's own fill
    # (before the fix: 1.39:1 light, 1.63:1 dark).
    context, page, errors = open_page(browser, site, color_scheme=scheme)
    try:
        box = page.locator("#question")
        border, fill = box.evaluate("(e) => [getComputedStyle(e).borderTopColor, getComputedStyle(e).backgroundColor]")
        around = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert contrast(border, around) >= 3 and contrast(border, fill) >= 3, (border, around, fill)
    finally:
        context.close()
    assert errors == []


def in_view(page, locator) -> bool:
    """`locator` lies within the window and within the passage panel's visible part."""
    box, panel = locator.evaluate("(e) => [e.getBoundingClientRect().toJSON(), document.getElementById('source').getBoundingClientRect().toJSON()]")
    height = page.viewport_size["height"]
    return box["top"] >= max(0, panel["top"]) and box["bottom"] <= min(height, panel["bottom"])


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 420}, {"width": 375, "height": 640}])
def test_the_passage_goes_between_its_quoted_sentences(browser, site, viewport):
    """Nothing went from one quoted sentence of a passage to the next: a long passage on a
    short screen had to be searched by eye. Next and Previous outline each in turn, round
    again after the last, scroll it into view and say which it is."""
    context, page, errors = open_page(browser, site, viewport=viewport)
    try:
        with page.expect_response("**/api/ask") as response:
            ask(page, "what does it pay?")
        quotes = [c["quote"] for c in response.value.json()["citations"]]
        assert len(quotes) == 3
        page.locator("#log .answer .source-link").nth(1).click()
        current = page.locator("#source mark.current")
        current.wait_for()
        count = page.locator("#quote-count")
        assert current.inner_text() == quotes[1] and count.inner_text() == "Quote 2 of 3"
        for step, shown in (("#next-quote", 2), ("#next-quote", 0), ("#previous-quote", 2), ("#previous-quote", 1)):
            page.click(step)
            assert current.inner_text() == quotes[shown] and count.inner_text() == f"Quote {shown + 1} of 3"
            assert page.locator("#source mark").count() == 3 and current.count() == 1
            assert in_view(page, current), step
        page.locator("#topics .topic").first.click()  # a topic: nothing quoted, nothing to go between
        page.locator("#source mark").first.wait_for(state="detached")
        assert page.locator("#quote-nav").is_hidden()
    finally:
        context.close()
    assert errors == []


def test_a_screen_reader_hears_which_quoted_sentence_next_and_previous_reached(browser, site):
    """Next and Previous moved the outline and the count, but "(quoted, source 2)" stayed
    on the sentence first opened: the one now current is the one said with its source."""
    context, page, errors = open_page(browser, site)
    try:
        with page.expect_response("**/api/ask") as response:
            ask(page, "what does it pay?")
        markers = [c["marker"] for c in response.value.json()["citations"]]
        page.locator("#log .answer .source-link").nth(1).click()
        page.locator("#source mark.current").wait_for()
        said = page.locator("#source li:has(mark) .visually-hidden")
        for step, shown in ((None, 1), ("#next-quote", 2), ("#next-quote", 0), ("#previous-quote", 2)):
            if step:
                page.click(step)
            texts = said.all_text_contents()
            assert texts[shown] == f" (quoted, source {markers[shown]})", step
            assert [t for n, t in enumerate(texts) if n != shown] == [" (quoted)"] * (len(markers) - 1), step
    finally:
        context.close()
    assert errors == []


def test_the_page_says_that_a_source_or_topic_opens_its_passage(browser, site):
    context, page, errors = open_page(browser, site, viewport={"width": 375, "height": 640})
    try:
        help = page.locator("#question-help")
        assert "A source or topic opens its passage, the quoted sentences marked." in " ".join(help.inner_text().split())
        assert help.is_visible()
    finally:
        context.close()
    assert errors == []
