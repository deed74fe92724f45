"""Fetch one web page, safely and politely: http and https only, one timeout for the whole
fetch (connecting, the first byte, reading), the article size limit (compressed and
unpacked), at most a few redirects, a User-Agent that says who asks, and nothing but HTML
and markdown (as text/markdown, or text/plain as raw GitHub files are served) accepted.

Every failure is a `FetchError` whose message is one line naming the address and the
problem; `offline` tells a failure to reach the server (a kept copy may stand in) from a
server's answer (a 404 is not made good by last week's copy).
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib

from pydantic import BaseModel

from ..inputs import max_article_bytes, one_line, too_large
from .address import FetchError, check_address, shown_address

# At most this many redirects: enough for http -> https -> www -> the article.
MAX_REDIRECTS = 5
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# A markdown article by its address: plain text is how raw GitHub and most servers send a .md.
MARKDOWN_TYPES = frozenset({"text/markdown", "text/x-markdown", "text/plain"})
USER_AGENT = "career-chat/0.1 (reads one article a person asked for; https://pypi.org/project/career-chat/)"
_CHUNK = 64 * 1024
_PARTIAL = "the server sent only part of the page; try again later"
_UNASKED_304 = "the server answered 'not modified' (HTTP 304) though no copy was asked about; try again later"
# Types named in a refusal by what people call them.
_KINDS = {
    "application/pdf": "a PDF",
    "application/json": "JSON",
    "application/xml": "XML",
    "text/xml": "XML",
    "application/zip": "a zip archive",
}


class Page(BaseModel):
    """A fetched page: its bytes and what the server said about them (status 304 when a
    conditional request found it unchanged, with no body; `markdown` when it is a markdown
    article rather than an HTML page)."""

    url: str
    status: int
    body: bytes = b""
    markdown: bool = False
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are followed by `fetch` itself, to count them and check each address."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001, PLR0913
        return None


def _opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(_NoRedirects())


def fetch(url: str, *, total: float, etag: str | None = None, last_modified: str | None = None) -> Page:
    """The page at `url` (checked first), following at most MAX_REDIRECTS redirects, within
    `total` seconds. Any one wait on the server (connecting, the first byte, the next ones)
    may take all the time that is left: a server slow to answer is read if it answers in
    time, and a timeout says the limit that was really set.

    A server can keep every single wait short and still never finish (a byte of its headers
    every half second), so the fetch runs in a thread of its own and `total` bounds it as a
    whole: past it the fetch is given up (the thread, a daemon, ends with its connection)."""
    asked = check_address(url)
    outcome: list[Page | BaseException] = []

    def run() -> None:
        try:
            outcome.append(_fetch(asked, total=total, etag=etag, last_modified=last_modified))
        except BaseException as error:  # handed to the caller's thread
            outcome.append(error)

    worker = threading.Thread(target=run, name="career-chat-fetch", daemon=True)
    worker.start()
    worker.join(total + 1.0)
    if not outcome:
        raise _timed_out(asked, total)
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


def _fetch(url: str, *, total: float, etag: str | None, last_modified: str | None) -> Page:
    asked = url
    deadline = time.monotonic() + total
    current = asked
    seen: set[str] = set()
    opener = _opener()
    for _hop in range(MAX_REDIRECTS + 1):
        headers = {
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/xhtml+xml;q=0.9,text/markdown;q=0.8,text/plain;q=0.5,*/*;q=0.1",
            "Accept-Encoding": "gzip",
        }
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        request = urllib.request.Request(current, headers=headers)
        try:
            response = opener.open(request, timeout=_wait(deadline, total, asked))
        except urllib.error.HTTPError as error:
            with error:
                if error.code == 304:
                    if not (etag or last_modified):  # "unchanged" from what no copy was asked about
                        raise FetchError(f"{shown_address(asked)}: {_UNASKED_304}", offline=True) from None
                    return Page(url=current, status=304, etag=etag, last_modified=last_modified)
                if error.code in {301, 302, 303, 307, 308}:
                    target = _as_utf8(error.headers.get("Location") or "")
                    if not target:
                        raise FetchError(f"{shown_address(asked)}: the server redirected nowhere (HTTP {error.code})") from None
                    seen.add(current)
                    written = urllib.parse.urljoin(current, target)
                    # As sent: compared with those already sent. One refused is said for what
                    # it is (another scheme, a password, ...).
                    current = check_address(written, f"{shown_address(asked)}: redirects to {shown_address(written)}, not followed")
                    if current in seen:
                        raise FetchError(f"{shown_address(asked)}: the server redirects in a loop; open it in a browser to check") from None
                    continue
                raise FetchError(f"{shown_address(asked)}: {_status_problem(error.code)}", offline=error.code >= 500) from None
        except (TimeoutError, socket.timeout):
            raise _timed_out(asked, total) from None
        except urllib.error.URLError as error:
            raise _unreachable(asked, error.reason, total) from None
        except (http.client.HTTPException, OSError) as error:
            raise _unreachable(asked, error, total) from None
        with response:
            return _read(response, asked, current, deadline, total)
    raise FetchError(f"{shown_address(asked)}: more than {MAX_REDIRECTS} redirects; open it in a browser to find the article's own address")


def _as_utf8(header: str) -> str:
    """A header as http.client gives it (its bytes read as Latin-1) read as the UTF-8 that
    servers send beyond ASCII; one that is not UTF-8 is left as Latin-1."""
    try:
        return header.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return header


def _wait(deadline: float, total: float, asked: str) -> float:
    """How long the next wait on the server may take: what is left of the fetch's time."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise _timed_out(asked, total)
    return left


def _status_problem(code: int) -> str:
    if code == 404 or code == 410:
        return f"no such page (HTTP {code}); check the address"
    if code in {401, 403}:
        return f"the server refuses to give the page (HTTP {code}); save it from a browser and give the file"
    if code == 429:
        return "the server asks to slow down (HTTP 429); try again later"
    if code >= 500:
        return f"the server failed (HTTP {code}); try again later"
    return f"the server answered HTTP {code}, not the page"


def _timed_out(asked: str, total: float) -> FetchError:
    seconds = f"{total:g} second" + ("" if total == 1 else "s")
    return FetchError(f"{shown_address(asked)}: no answer within {seconds}; check the address or try later (CAREER_CHAT_FETCH_TIMEOUT)", offline=True)


def _unreachable(asked: str, reason: object, total: float) -> FetchError:
    """A failure before any answer, said as a person would understand it."""
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return _timed_out(asked, total)
    if isinstance(reason, socket.gaierror):
        problem = "the host name was not found (DNS); check the address or the connection"
    elif isinstance(reason, ConnectionRefusedError):
        problem = "the connection was refused; check the address"
    elif isinstance(reason, ssl.SSLError):
        problem = f"the secure connection failed ({one_line(str(getattr(reason, 'reason', None) or reason))[:120]})"
    elif isinstance(reason, (ConnectionError, http.client.HTTPException)):
        problem = "the server closed the connection without a proper answer"
    else:
        problem = f"could not be reached ({one_line(str(reason))[:120]})"
    return FetchError(f"{shown_address(asked)}: {problem}", offline=True)


def _read(response, asked: str, url: str, deadline: float, total: float) -> Page:  # noqa: ANN001
    """The body of an answer with a status of 200: HTML or markdown of bounded size, unpacked."""
    shown = shown_address(asked)
    headers = response.headers
    kind = headers.get_content_type() if headers.get("Content-Type") else None
    if kind is not None and kind not in HTML_TYPES | MARKDOWN_TYPES:
        what = _KINDS.get(kind) or (one_line(kind) if len(kind) <= 60 else "another kind of file")
        raise FetchError(f"{shown}: is {what}, not a web page or a markdown article; only those are read")
    limit = max_article_bytes()
    limit_said = too_large()
    length = headers.get("Content-Length", "").strip()
    if length.isdigit() and int(length) > limit:
        raise FetchError(f"{shown}: is {limit_said}")
    packed = headers.get("Content-Encoding", "identity").strip().lower()
    if packed not in {"identity", "gzip", "x-gzip", ""}:
        raise FetchError(f"{shown}: the server sent it packed as {one_line(packed)[:30]!r}, which is not read; try again later")
    unpack = zlib.decompressobj(wbits=31) if packed in {"gzip", "x-gzip"} else None
    body = bytearray()
    received = 0
    while True:
        _wait(deadline, total, asked)
        try:
            chunk = response.read1(_CHUNK)  # what has come: the deadline is checked between
        except (TimeoutError, socket.timeout):
            raise _timed_out(asked, total) from None
        except http.client.IncompleteRead:  # a chunked answer cut short
            raise FetchError(f"{shown}: {_PARTIAL}", offline=True) from None
        except (http.client.HTTPException, OSError) as error:
            raise _unreachable(asked, error, total) from None
        if not chunk:
            break
        received += len(chunk)
        if received > limit:
            raise FetchError(f"{shown}: is {limit_said}")
        try:
            if unpack is None:
                body += chunk
            else:
                unpack = _unpacked(unpack, chunk, body, limit)
        except zlib.error:
            raise FetchError(f"{shown}: the server sent broken gzip data; try again later") from None
        if len(body) > limit:
            raise FetchError(f"{shown}: is {limit_said}")
    if _cut_short(length, received, unpack):
        raise FetchError(f"{shown}: {_PARTIAL}", offline=True)
    if kind is None and not _looks_like_html(bytes(body[:2048])):
        raise FetchError(
            f"{shown}: the server does not say what it is and it does not look like HTML; only web pages and markdown articles are read"
        )
    return Page(
        url=url,
        status=200,
        body=bytes(body),
        markdown=kind in MARKDOWN_TYPES and not (kind == "text/plain" and _is_html_document(bytes(body[:2048]))),
        charset=headers.get_content_charset(),
        etag=headers.get("ETag"),
        last_modified=headers.get("Last-Modified"),
    )


def _unpacked(unpack, chunk: bytes, body: bytearray, limit: int):  # noqa: ANN001, ANN202
    """`chunk` unpacked onto `body`, no further than the limit (a small gzip may unpack to
    gigabytes); the decompressor for what comes next. gzip allows members one after another
    (a server that packs as it streams): each is read, not the first alone, which lost the
    page's end with no word said."""
    while True:
        body += unpack.decompress(chunk, limit + 1 - len(body))
        if len(body) > limit or not unpack.eof or not unpack.unused_data.startswith(b"\x1f\x8b"):
            return unpack
        chunk, unpack = unpack.unused_data, zlib.decompressobj(wbits=31)


def _cut_short(length: str, received: int, unpack) -> bool:  # noqa: ANN001
    """Whether the connection ended before the whole answer came: fewer bytes than its
    Content-Length, or a gzip stream that never reached its end. Read as the whole page,
    it would be answered from (and kept) with its last sections missing."""
    if length.isdigit() and received < int(length):
        return True
    return unpack is not None and not unpack.eof


def _looks_like_html(start: bytes) -> bool:
    """Whether a body the server does not name starts as HTML does."""
    return _is_html_document(start) or _opening(start).startswith((b"<!--", b"<meta", b"<title"))


def _is_html_document(start: bytes) -> bool:
    """Whether a body starts as nothing but an HTML document does: an HTML page a server
    sends as text/plain is read as the page it is, not as markdown quoting its tags (a
    markdown article may start with a comment, never with <html>)."""
    return _opening(start).startswith((b"<!doctype html", b"<html", b"<head", b"<body"))


def _opening(start: bytes) -> bytes:
    return start.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
