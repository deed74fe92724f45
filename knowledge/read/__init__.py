"""Articles from where they live: web pages by address and saved `.html` pages.

A page is fetched safely (`fetch`), its text decoded as it declares (`decoding`), its main
text and metadata extracted into a markdown article with frontmatter (`extraction`), and
kept by address for later and offline use (`webcache`). From there on it is a markdown
article like any other: the same cleaning, sections and cache. `fragments` makes the links
that open a page at a quoted sentence.
"""
