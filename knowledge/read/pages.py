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
    import shlex

    from ..inputs import display_path, shown_name
    from .address import address_hint
    from .article import PAGE_SUFFIXES, article_files, read_text

    path = Path(page)
    try:
        missing = not path.exists()
    except OSError:  # a name too long, a folder not searchable: article_files says which
        missing = False
    if missing:
        hint = address_hint(page) or "give an http(s) address or a saved .html file"
        raise ArticleError(f"{display_path(path)}: no such file; {hint}")
    files = article_files(path)
    if path.suffix.lower() not in PAGE_SUFFIXES or files != [path]:
        # A markdown article needs no fetching: --article reads it as it is.
        command = f"career-chat --article {shlex.quote(shown_name(page))} ask ..."
        also = f" (to ask it, give it to --article: {command})" if files == [path] else ""
        raise ArticleError(f"{display_path(path)}: not a web page; give an http(s) address or a saved .html file{also}")
    return read_text(path), None
