"""Web articles kept by address: a page read once is not fetched again for FRESH_SECONDS,
then only asked about (ETag / Last-Modified: an unchanged page costs no download), and
when the server cannot be reached the kept copy answers, saying from when.

Each address has a folder in the cache (`web/<hash of the address>/`) holding the
extracted article (a markdown file, read like any other: its parsed entry is then cached
by content as usual) and `page.json`, what the server said about it. Both are untrusted:
a `page.json` is used only when it is sealed with this user's key (`knowledge.seal`: this
user's engine wrote it) and validates, and names the SHA-256 of the kept article it stands
beside; anything else is as good as none (fetched again, never answered from offline).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
import tempfile
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import BaseModel, ValidationError

from ..inputs import (
    ArticleError,
    display_path,
    max_article_bytes,
    read_regular,
)
from ..seal import opened, sealed, user_key
from .address import FetchError, check_address, shown_address
from .decoding import DecodingError, page_text
from .extraction import NoArticle, page_markdown, with_address
from .fetch import Page, fetch

# An article read within the hour is used as it is, without asking the server again.
FRESH_SECONDS = 3600
_RECORD = "page.json"
_RECORD_LIMIT = 64 * 1024


class Kept(BaseModel):
    """What is known of a kept page (its `page.json`)."""

    url: str
    final_url: str
    name: str
    etag: str | None = None
    last_modified: str | None = None
    fetched: float  # when its content was last downloaded (seconds since the epoch)
    checked: float  # when the server last confirmed it (or sent it)
    digest: str = ""  # SHA-256 of the kept article as written: a copy that differs is fetched again


@dataclass
class WebArticle:
    """A web article ready to load: its markdown file, its address, and a note when it is a
    kept copy used because the server could not be reached. `data`: the article's bytes as
    checked (a kept copy against its sealed record): what is loaded, never the file read
    again, which anyone who can write the cache could change in between."""

    path: Path
    url: str
    fetched: float
    note: str | None = None
    data: bytes = b""


def page_name(url: str) -> str:
    """A file name for the article at `url`, from its last path part or else its host:
    "https://example.org/careers/nurse.html" (or "nurse.md") -> "nurse.md"."""
    parts = urlsplit(url)
    last = [p for p in parts.path.split("/") if p]
    stem = re.sub(r"\.(html?|php|aspx?|md|markdown|txt)$", "", last[-1], flags=re.I) if last else (parts.hostname or "page")
    stem = re.sub(r"[^\w.-]+", "-", stem, flags=re.A).strip(".-")[:80] or "page"
    return f"{stem}.md"


def when(seconds: float) -> str:
    """A moment as a reader is told it: "2026-12-06 14:05 UTC"."""
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def extracted(body: bytes, charset: str | None, url: str | None, shown: str) -> str:
    """A page's bytes as a markdown article, or an `ArticleError` naming `shown`."""
    try:
        return page_markdown(page_text(body, charset), url)
    except (DecodingError, NoArticle) as error:
        raise ArticleError(f"{shown}: {error}") from None


def served_markdown(body: bytes, charset: str | None, url: str, shown: str) -> str:
    """A markdown article's bytes as its text, decoded by its charset (or byte-order mark)
    and with the address it was read from (`with_address`); an `ArticleError` naming
    `shown` when it cannot be decoded. The rest (binary, empty, a broken header, the size
    limit) is said when it is loaded as any .md file is, by its address (`named_by_address`)."""
    try:
        text = page_text(body, charset, html=False)
    except DecodingError as error:
        raise ArticleError(f"{shown}: {error}") from None
    return with_address(text, url)


def named_by_address(error: ArticleError, copy: Path, url: str) -> ArticleError:
    """An error about the private copy of the article at `url` (too little prose, say),
    naming the address the user gave instead of a temporary file gone when the run ends."""
    said, copy_said = str(error), display_path(copy) + ": "
    return ArticleError(f"{shown_address(url)}: {said[len(copy_said):]}") if said.startswith(copy_said) else error


def page_article(page: Page, shown: str) -> str:
    """A fetched page's article as markdown: a markdown one as it is, an HTML one extracted."""
    if page.markdown:
        return served_markdown(page.body, page.charset, page.url, shown)
    return extracted(page.body, page.charset, page.url, shown)


def download(url: str, total: float) -> tuple[str, str]:
    """(the article at `url` as markdown, the address it was found at), with no cache."""
    page = fetch(url, total=total)
    return page_article(page, shown_address(url)), page.url


def _folder(cache: Path, url: str) -> Path:
    return cache / "web" / hashlib.sha256(url.encode("utf-8")).hexdigest()[:32]


def _record_name(url: str) -> str:
    """What a page's record is sealed under: its address (a record moved to another
    address's folder does not hold)."""
    return "page " + hashlib.sha256(url.encode("utf-8")).hexdigest()


def _read_record(folder: Path, url: str, secret: bytes | None) -> tuple[Kept, bytes] | None:
    """The folder's record of `url` and its article's bytes, when the record is sealed
    under `secret` and sound, and the article is there as it was written."""
    try:
        body, held = opened(secret, _record_name(url), read_regular(folder / _RECORD, _RECORD_LIMIT))
        if not held:
            return None
        kept = Kept.model_validate_json(body)
    except (OSError, ValidationError, ValueError):
        return None
    if kept.url != url or kept.name != page_name(url):
        return None
    try:
        check_address(kept.final_url)  # it names every section's source: an http(s) address only
        written = read_regular(folder / kept.name, max_article_bytes())
    except (FetchError, OSError):
        return None
    if hashlib.sha256(written).hexdigest() != kept.digest:
        return None  # changed since it was written (or of an older kind of record): fetched again
    return kept, written


def _write(path: Path, data: bytes) -> None:
    """Written whole or not at all: another run reading it sees the old file or the new."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def kept_article(
    url: str, cache: Path, total: float, now: float | None = None, fresh: float = FRESH_SECONDS
) -> WebArticle:
    """The article at `url` through the cache folder `cache` (see the module's docstring);
    a copy checked within `fresh` seconds is used without asking the server."""
    now = time.time() if now is None else now
    folder = _folder(cache, url)
    secret = user_key(cache)
    found = _read_record(folder, url, secret)
    kept, data = found if found is not None else (None, b"")
    if kept is not None and 0 <= now - kept.checked < fresh:
        return WebArticle(folder / kept.name, kept.final_url, kept.fetched, data=data)
    try:
        page = fetch(
            url,
            total=total,
            etag=kept.etag if kept else None,
            last_modified=kept.last_modified if kept else None,
        )
    except FetchError as error:
        if kept is None or not error.offline:
            raise
        note = f"{error}; answering from the copy fetched {when(kept.fetched)}"
        return WebArticle(folder / kept.name, kept.final_url, kept.fetched, note, data)
    if page.status == 304 and kept is not None:
        kept = kept.model_copy(update={"checked": now})
    else:
        text = page_article(page, shown_address(url))
        data = text.encode("utf-8")
        kept = Kept(
            url=url,
            final_url=page.url,
            name=page_name(url),
            etag=page.etag,
            last_modified=page.last_modified,
            fetched=now,
            checked=now,
            digest=hashlib.sha256(data).hexdigest(),
        )
        try:
            _write(folder / kept.name, data)
        except OSError:  # an unwritable cache: read this once from a temporary copy
            raise _Uncached(text, page.url) from None
    if secret is not None:  # unsealed, it could not be trusted: without a key, fetched every time
        with contextlib.suppress(OSError):  # not kept: it is fetched again next time
            _write(folder / _RECORD, sealed(secret, _record_name(url), kept.model_dump_json().encode("utf-8")))
    return WebArticle(folder / kept.name, kept.final_url, kept.fetched, data=data)


class _Uncached(Exception):
    """An article fetched but not kept (the cache cannot be written)."""

    def __init__(self, text: str, url: str):
        super().__init__(url)
        self.text, self.url = text, url


@contextlib.contextmanager
def web_article(url: str, warn: bool = True, fresh: float = FRESH_SECONDS) -> Iterator[WebArticle]:
    """The article at `url` as a markdown file of this process's own for the duration of
    the block: the bytes checked (kept or fetched), written to a private temporary folder
    under the page's name, so what is loaded is what was checked. A kept copy used offline
    is said in its `note` and (`warn`) as a warning naming when it was fetched; one checked
    within `fresh` seconds is used without asking the server."""
    from ..settings import cache_folder, fetch_timeout

    url = check_address(url)
    total = fetch_timeout()
    cache = cache_folder()
    got: WebArticle | None = None
    text = final = None
    if cache is not None:
        try:
            got = kept_article(url, cache, total, fresh=fresh)
        except _Uncached as uncached:
            text, final = uncached.text, uncached.url
    if got is not None:
        if got.note and warn:
            warnings.warn(got.note, UserWarning, stacklevel=3)
    elif text is None:
        text, final = download(url, total)
    data = got.data if got is not None else text.encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="career-chat-page-") as scratch:
        path = Path(scratch) / page_name(url)
        path.write_bytes(data)
        if got is not None:
            yield WebArticle(path, got.url, got.fetched, got.note, data)
        else:
            yield WebArticle(path, final or url, time.time(), data=data)
