"""The web page in a real browser (as tests/test_serve_browser.py): only the engine's
citation markers are buttons, never a "[3]" an article's sentence holds; the closest
outcome is said once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chat.web.server import create_app
from knowledge import KnowledgeBase

from .browser import needs_chromium
from .test_serve_browser import Server, ask, open_page

pytestmark = needs_chromium

# Sentences that quote bracketed numbers of their own (kept: a space stands before them).
SHIFTS = """\
# Night Shifts

## Pay

The union guide says "nurses on nights earn more [1] than on days, see table [3]" in most hospitals. \
Night nurses earn a premium of ten percent on every shift. The premium [2] is paid monthly.

## Sleep

Sleep during the day is hard for many nurses. Blackout curtains help.
"""


@pytest.fixture(scope="module")
def sites(tmp_path_factory, kb) -> Iterator[dict[str, str]]:
    path = tmp_path_factory.mktemp("shifts") / "shifts.md"
    path.write_text(SHIFTS, encoding="utf-8")
    servers = {"shifts": Server(create_app(KnowledgeBase.load(path, semantic=False))), "bundled": Server(create_app(kb))}
    try:
        yield {name: server.url for name, server in servers.items()}
    finally:
        for server in servers.values():
            server.stop()


def test_only_the_engines_markers_are_buttons(browser, sites):
    context, page, errors = open_page(browser, sites["shifts"])
    try:
        reply = page.request.post(sites["shifts"] + "/api/ask", data={"question": "how much do night nurses earn?"}).json()
        citations = reply["citations"]
        assert len(citations) == 3 and any("[3]" in c["quote"] for c in citations)
        ask(page, "how much do night nurses earn?")
        quote = page.locator("#log .answer").last.locator(".quote")
        markers = quote.locator(".marker")
        assert markers.all_inner_texts() == ["[1]", "[2]", "[3]"]
        labels = [markers.nth(i).get_attribute("aria-label") for i in range(3)]
        assert labels == [f"Source {c['marker']}: {c['section_title']}" for c in citations]
        # The sentences read as written, their own "[1]", "[3]" and "[2]" as plain text.
        assert " ".join(quote.inner_text().split()) == " ".join(reply["text"].split())
        markers.nth(2).click()
        page.locator("#source").wait_for(state="visible")
        assert page.locator("#source mark").all_inner_texts() == [c["quote"] for c in citations]
    finally:
        context.close()
    assert errors == []


def test_the_closest_outcome_is_said_once_on_the_page(browser, sites):
    context, page, errors = open_page(browser, sites["bundled"])
    try:
        ask(page, "will i be twiddling my thumbs with nothing to do")
        answer = page.locator("#log .answer").last
        assert "outcome-closest" in answer.get_attribute("class")
        outcome = answer.locator(".outcome").inner_text()
        assert outcome.lower().count("closest passage") == 1, outcome
    finally:
        context.close()
    assert errors == []


def test_each_question_of_a_message_is_answered_under_its_own_name(browser, sites):
    context, page, errors = open_page(browser, sites["bundled"])
    try:
        ask(page, "What does it pay? Is prompt engineering a real job?")
        answer = page.locator("#log .answer").last
        assert answer.locator(".part").all_inner_texts() == ["\u201cWhat does it pay?\u201d", "\u201cIs prompt engineering a real job?\u201d"]
        quotes = answer.locator(".quote")
        assert quotes.nth(0).locator(".marker").all_inner_texts() == ["[1]", "[2]"]
        assert quotes.nth(1).inner_text().startswith("The short answer to this question is yes.")
        ask(page, "What does it pay? What is the dress code?")
        hedged = page.locator("#log .answer").last.locator(".part").all_inner_texts()
        assert hedged == ["\u201cWhat does it pay?\u201d", "\u201cWhat is the dress code?\u201d \u2014 Closest passage only"]
    finally:
        context.close()
    assert errors == []


def test_the_sentence_of_the_marker_that_opened_the_passage_stands_out(browser, sites):
    context, page, errors = open_page(browser, sites["shifts"])
    try:
        with page.expect_response("**/api/ask") as response:
            ask(page, "how much do night nurses earn?")
        citations = response.value.json()["citations"]
        answer = page.locator("#log .answer").last
        for opener, n in ((answer.locator(".quote .marker").nth(1), 1), (answer.locator(".sources .source-link").nth(2), 2)):
            opener.click()
            current = page.locator("#source mark.current")
            current.wait_for(timeout=10_000)  # (before the fix: every quoted sentence marked alike)
            assert current.count() == 1 and current.inner_text() == citations[n]["quote"]
            # The answer's other sentences from that section are still marked as quoted.
            assert page.locator("#source mark").all_inner_texts() == [c["quote"] for c in citations]
            assert current.evaluate("(e) => getComputedStyle(e).outlineStyle") == "solid"
            assert "source %s" % citations[n]["marker"] in page.locator("#source li:has(mark.current)").text_content()
            page.keyboard.press("Escape")
            page.locator("#source").wait_for(state="hidden")
    finally:
        context.close()
    assert errors == []
