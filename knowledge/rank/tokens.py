"""An article's index tokens, computed once per article (and cached with it)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from ..models import Record, Section
from .analysis import Analyzer


class ArticleTokens(Record):
    """What the index needs from one article, so a cached article skips the analyzer."""

    # Per section, per sentence: its index tokens joined by spaces (a token never holds one).
    # One string a sentence, not a list: a folder's cache loads and sits in memory as
    # 130,000 strings rather than 1.3 million.
    sentences: list[list[str]]
    headings: list[list[str]]  # per section: heading tokens, empty for the lead (it is the title)
    # The article's words, each once, joined by spaces, and how often each occurs: for
    # spelling fixes towards the article's words. Two values rather than a dictionary of
    # hundreds of entries, so a folder's cache is quick to read and small while it loads.
    words: str
    counts: list[int]

    def frequencies(self) -> Iterator[tuple[str, int]]:
        return zip(self.words.split(), self.counts)


def analyze_article(title: str, sections: list[Section], analyzer: Analyzer) -> ArticleTokens:
    headings = [
        # The lead section's heading is the article's title: it names the whole article.
        [] if section.title == title else analyzer.tokens(section.title) + analyzer.cues(section.title, leading=True)
        for section in sections
    ]
    words = Counter(w for s in sections for text in (s.title, s.text) for w in analyzer.words(text))
    return ArticleTokens(
        sentences=[[" ".join(analyzer.tokens(text)) for text in section.sentence_texts] for section in sections],
        headings=headings,
        words=" ".join(words),
        counts=list(words.values()),
    )
