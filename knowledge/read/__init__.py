"""Inputs: article files and web pages read, cleaned, and split into sections and sentences.

An article file is read with its frontmatter (`header`, `article`), cleaned of scraping
debris (`cleaning`) and split into sections and sentences (`sections`). A web page is
fetched safely (`fetch`), its text decoded as it declares (`decoding`), its main text and
metadata extracted into a markdown article with frontmatter (`extraction`), and kept by
address for later and offline use (`webcache`); from there on it is a markdown article like
any other. `fragments` makes the links that open a page at a quoted sentence.
"""
