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
    from ..inputs import display_path, one_line, shown_name
    from .address import address_meant
    from .article import PAGE_SUFFIXES, article_files, read_text

    path = Path(page)
    try:
        missing = not path.exists()
    except OSError:  # a name too long, a folder not searchable: article_files says which
        missing = False
    if missing:
        meant = address_meant(page)
        hint = f"did you mean {one_line(meant)}?" if meant else "give an http(s) address or a saved .html file"
        raise ArticleError(f"{display_path(path)}: no such file; {hint}")
    files = article_files(path)
    if path.suffix.lower() not in PAGE_SUFFIXES or files != [path]:
        # A markdown article needs no fetching: --article reads it as it is.
        also = f" (to ask it, give it to --article: career-chat --article {shown_name(page)} ask ...)" if files == [path] else ""
        raise ArticleError(f"{display_path(path)}: not a web page; give an http(s) address or a saved .html file{also}")
    return read_text(path), None
