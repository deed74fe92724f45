"""A web page's article as markdown with frontmatter: its main text (headings, lists and
tables kept; navigation, banners, comments, share bars, ads and scripts left out) and its
metadata (title, author, date, site, address), extracted with trafilatura.

The result is what `career-chat fetch` writes and what the engine reads: a markdown
article like any other, so a page and its saved markdown give the same answers.
"""

from __future__ import annotations

import re

from ..inputs import safe_text, visible_text

# A page with fewer words of main text than this has no article to answer from (a login
# wall, a list of links, a video page, the shell of a page its script fills: career-chat's
# own has 48). A career article has hundreds.
MIN_WORDS = 80
# Marks put around each link's text for a second extraction that counts the words that are
# link text: printable (trafilatura drops what is not), and seldom written.
_LINK_MARKS = ("\u2e28", "\u2e29")
_LINKED = re.compile("\u2e28([^\u2e28\u2e29]*)\u2e29")
_WORD = re.compile(r"\w+")
# Lines of three or more "-" or "=" alone would end the frontmatter or make a heading.
_RULE_LINE = re.compile(r"^\s*(?:-{3,}|={3,})\s*$", re.M)
# A frontmatter's first and last lines (as python-frontmatter finds them).
_BOUNDARY = re.compile(r"-{3,}\s*")


class NoArticle(ValueError):
    """A page with no article text in it."""


# What a browser never shows (`display:none` trafilatura drops itself): an element marked
# `hidden` (not `until-found`, which find-in-page and a text fragment reveal), a template's
# content, and what is hidden from a screen reader too (`aria-hidden`; the page's own
# <html> and <body> aside, which a script hides while a dialog is open).
_INVISIBLE = (
    "//*[@hidden][not(translate(normalize-space(@hidden), 'UNTILFOUND', 'untilfound') = 'until-found')]"
    " | //template"
    " | //*[not(self::html or self::body)][translate(normalize-space(@aria-hidden), 'TRUE', 'true') = 'true']"
)


def _visible(html: str):  # noqa: ANN202 - lxml is imported late
    """The page's tree without what a browser never shows (`_INVISIBLE`), so none of it is
    quoted; the page as it is when it cannot be parsed."""
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        return html
    for element in tree.xpath(_INVISIBLE):
        if element.getparent() is not None:
            element.drop_tree()  # its tail, the text after it, stays
    return tree


def _extract(page, url: str | None) -> str:  # noqa: ANN001 - the page or its tree
    import trafilatura  # deferred: only a page needs it

    text = trafilatura.extract(
        page,
        url=url,
        output_format="markdown",
        include_tables=True,
        include_formatting=True,
        include_comments=False,
        include_links=False,
        include_images=False,
        deduplicate=False,
    )
    return text or ""


def _links_marked(page):  # noqa: ANN001, ANN202 - lxml is imported late
    """The page's tree with each link's text between `_LINK_MARKS`."""
    opening, closing = _LINK_MARKS
    for link in page.iter("a"):
        link.text = opening + (link.text or "")
        if len(link):
            link[-1].tail = (link[-1].tail or "") + closing
        else:
            link.text += closing
    return page


def _mostly_links(html: str, url: str | None) -> bool:
    """Whether the main text is a list of links rather than an article: under MIN_WORDS
    words that are no link's text, or links three quarters of it (a job board, a nav bar
    trafilatura took for the text, its links glued into one 9,000-character "sentence")."""
    page = _visible(html)
    if isinstance(page, str):  # not parsed: nothing to count by
        return False
    text = _extract(_links_marked(page), url)
    linked = sum(len(_WORD.findall(words)) for words in _LINKED.findall(text))
    prose = len(_WORD.findall(text)) - linked
    return prose < MIN_WORDS or linked > 3 * prose


def page_fields(html: str, url: str | None) -> dict[str, str]:
    """The page's title, author, date, site, description and address, where it gives them
    (the address: `url` as fetched, else the page's canonical link)."""
    from trafilatura import extract_metadata

    # Dates only where the page states one: the extensive search guesses from any year on
    # the page ("Copyright 2025" became a publication date).
    found = extract_metadata(html, default_url=url, extensive=False)
    fields: dict[str, str] = {}
    if found is not None:
        for key, value in (
            ("title", found.title),
            ("author", found.author),
            ("date", found.date),
            ("site", found.sitename),
            ("description", found.description),
        ):
            value = " ".join(safe_text(str(value or "")).split())
            if value:
                fields[key] = value[:300]
        canonical = found.url if found.url and str(found.url).lower().startswith(("http://", "https://")) else None
    else:
        canonical = None
    address = url or canonical
    if address:
        fields["url"] = " ".join(safe_text(address).split())
        # trafilatura names a page's site by its host when the page names none: that is
        # the address again, not anything the page says of itself.
        from urllib.parse import urlsplit

        parts = urlsplit(address)
        hosts = {(parts.hostname or "").lower(), parts.netloc.lower().rpartition("@")[2]}  # with its port too
        if fields.get("site", "").lower() in hosts | {h.removeprefix("www.") for h in hosts}:
            del fields["site"]
    return fields


def page_markdown(html: str, url: str | None = None) -> str:
    """The article in the page as markdown with frontmatter; `NoArticle` when the page has
    too little main text to be one."""
    body = visible_text(_extract(_visible(html), url)).strip()
    words = len(body.split())
    if 0 < words < MIN_WORDS:  # a short page is told so: "JavaScript" would send its reader astray
        raise NoArticle(
            f"no article text found on the page: {words} {'word' if words == 1 else 'words'} of main text, an article has at least {MIN_WORDS}"
            " (a short page, a login wall, or one a browser's JavaScript fills)"
        )
    if not words or _mostly_links(html, url):
        raise NoArticle("no article text found on the page (it may need a browser's JavaScript, or be a list of links)")
    body = _RULE_LINE.sub("", body)
    return frontmatter(page_fields(html, url)) + "\n" + body + "\n"


def with_address(markdown: str, url: str) -> str:
    """A markdown article read by its address, with `url: <url>` in its frontmatter (its
    own `url` entries removed, however written, or a frontmatter added), so its citations
    link to the page and its saved copy names where it came from, as a page's article does.
    The header's other lines are kept as written; one that cannot be edited line by line
    (`{title: T, url: ...}`) is written anew from what it says."""
    address = " ".join(safe_text(url).split())
    line = f"url: {_yaml_value(address)}"
    lines = markdown.split("\n")
    end = next((i for i, text in enumerate(lines[1:], 1) if _BOUNDARY.fullmatch(text)), None)
    if not _BOUNDARY.fullmatch(lines[0]) or end is None:
        return f"---\n{line}\n---\n\n{markdown}"
    from .header import entry_lines

    own = entry_lines("\n".join(lines[1:end]), "url")
    header = [text for i, text in enumerate(lines[1:end]) if i not in own]
    text = "\n".join([lines[0], line, *header, *lines[end:]])
    given = _header_of(markdown)
    if given is None:  # said when the article is loaded, as a file's would be
        return text
    fields = {key: value for key, value in given.items() if key != "url"}
    if _header_of(text) == {"url": address, **fields}:
        return text
    import yaml

    written = yaml.safe_dump(fields, sort_keys=False, allow_unicode=True).splitlines() if fields else []
    return "\n".join([lines[0], line, *written, *lines[end:]])


def _header_of(text: str) -> dict | None:
    """The frontmatter `text` has, or None when it cannot be read."""
    from .header import read_header

    try:
        return read_header(text)[0]
    except ValueError:
        return None


def frontmatter(fields: dict[str, str]) -> str:
    """Fields as a YAML frontmatter block, one line each: plain where YAML reads the value
    back as written (so "who wrote this?" quotes `author: Ana Ruiz`), else quoted."""
    return "---\n" + "".join(f"{key}: {_yaml_value(value)}\n" for key, value in fields.items()) + "---\n"


def _yaml_value(value: str) -> str:
    import datetime as dt
    import json

    import yaml

    try:
        read = yaml.safe_load(f"k: {value}")
    except yaml.YAMLError:
        read = None
    back = read.get("k") if isinstance(read, dict) and len(read) == 1 else None
    if (isinstance(back, str) and back == value) or (isinstance(back, dt.date) and back.isoformat() == value):
        return value
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML string: quoted, escaped
