"""The article of a web page or a saved .html file as markdown text, for `career-chat
fetch`: the very text the engine reads when given the same address, so the saved file
answers as the page does."""

from __future__ import annotations

from pathlib import Path

from ..inputs import ArticleError
from .address import is_web_address
from .webcache import web_article


def article_markdown(page: str) -> tuple[str, str | None]:
    """(the markdown article of `page`, an address or a saved .html file; a note when a
    kept copy stood in for an unreachable server). The server is always asked (an unchanged
    page costs no download): a page edited a minute ago is saved as it is now, not as kept."""
    if is_web_address(page):
        with web_article(page, warn=False, fresh=0) as got:
            return got.path.read_text(encoding="utf-8"), got.note
    from ..inputs import display_path
    from .article import PAGE_SUFFIXES, article_files, read_text

    path = Path(page)
    try:
        missing = not path.exists()
    except OSError:  # a name too long, a folder not searchable: article_files says which
        missing = False
    if missing:
        raise ArticleError(f"{display_path(path)}: no such file; give an http(s) address or a saved .html file")
    files = article_files(path)
    if path.suffix.lower() not in PAGE_SUFFIXES or files != [path]:
        raise ArticleError(f"{display_path(path)}: not a web page; give an http(s) address or a saved .html file")
    return read_text(path), None
