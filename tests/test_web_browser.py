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
