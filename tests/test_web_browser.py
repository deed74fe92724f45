"""A citation's link, opened in Chromium, shows the quoted sentence: the page opens
scrolled to it (a text fragment), where without the fragment it is out of view."""

from __future__ import annotations

from knowledge import KnowledgeBase

from .browser import needs_chromium
from .conftest import DATA
from .pages import article_html, serving

# Whether the element holding `text` is within the viewport.
IN_VIEW = """(text) => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    if (node.textContent.replace(/\\s+/g, " ").includes(text)) {
      const box = node.parentElement.getBoundingClientRect();
      return box.bottom > 0 && box.top < window.innerHeight;
    }
  }
  return null;
}"""


@needs_chromium
def test_a_citation_link_opens_the_page_at_the_quoted_sentence(browser):
    with serving() as server:
        url = server.page("/careers/nurse", article_html(DATA / "nurse.md"))
        answer = KnowledgeBase.load(url, semantic=False).ask("is nursing school hard?")
        citation = answer.citations[0]
        assert "#:~:text=" in citation.url
        words = " ".join(citation.quote.split()[:4])
        page = browser.new_page(viewport={"width": 1000, "height": 600})
        try:
            page.goto(url, wait_until="load")
            assert page.evaluate(IN_VIEW, words) is False  # below the fold without the fragment
            page.goto("about:blank")
            page.goto(citation.url, wait_until="load")
            # Chromium scrolls once the page has laid out: wait for it, within a bound.
            page.wait_for_function(f"({IN_VIEW})({words!r})", timeout=10_000)
            assert page.evaluate(IN_VIEW, words) is True
        finally:
            page.close()


@needs_chromium
def test_the_web_page_links_a_web_articles_sources_to_the_sentences_on_its_page(browser):
    """Served from a web article, the page showed each source as "http://...page.html:8",
    an address with a line of the kept copy glued on, and linked nowhere."""
    from chat.web.server import create_app

    from .test_serve_browser import Server, ask, open_page

    with serving() as pages:
        url = pages.page("/careers/nurse", article_html(DATA / "nurse.md"))
        site = Server(create_app(KnowledgeBase.load(url, semantic=False)))
        try:
            context, page, errors = open_page(browser, site.url)
            try:
                ask(page, "is nursing school hard?")
                sources = page.locator("#log .answer").last.locator(".sources li")
                reply = page.request.post(site.url + "/api/ask", data={"question": "is nursing school hard?"}).json()
                links = [sources.nth(i).locator("a.on-page").get_attribute("href") for i in range(sources.count())]
                assert links == [c["url"] for c in reply["citations"]] and all("#:~:text=" in link for link in links)
                assert f"{url}:" not in sources.first.inner_text()
                sources.first.locator("button").click()
                page.locator("#source").wait_for(state="visible")
                assert page.locator("#source-where").inner_text() == url
            finally:
                context.close()
            assert errors == []
        finally:
            site.stop()
