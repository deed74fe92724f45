"""Web addresses as `--article` and `fetch` take them: told apart from paths, checked
(http and https only), and quoted safely in messages. Light on purpose: every load asks
whether its article is an address."""

from __future__ import annotations

import re
import urllib.parse

from ..inputs import ArticleError, one_line

# The "user:password@" of an address: never sent, never shown. Up to the last @ before the
# path, as urllib finds the host: a name may be an e-mail address, a password may hold an @.
_USERINFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@")
_BEYOND_ASCII = re.compile(r"[^\x00-\x7f]+")
_NO_DNS_NAME = "not a web address (a host name DNS cannot look up); check it"


class FetchError(ArticleError):
    """A page that could not be fetched; `offline`: the server was never heard from."""

    def __init__(self, message: str, offline: bool = False):
        super().__init__(message)
        self.offline = offline


# A host name or address with a path or port after it, as typed without its scheme:
# "example.com/careers/pay", "127.0.0.1:8000/page.html", "www.example.com". A host name
# ends in letters ("v1.2/notes.md" is a folder), an address is four numbers.
_SCHEMELESS = re.compile(
    r"^(?:localhost|\d{1,3}(?:\.\d{1,3}){3}|(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})(?::\d{1,5})?(?:/\S*)?$"
)
_LOCAL = re.compile(r"^(?:localhost|\d)")
_FILE_ENDINGS = frozenset({"md", "markdown", "html", "htm", "txt", "json", "jsonl"})


def address_hint(text: str) -> str | None:
    """What to say of a path that does not exist but reads as a web address typed without
    its scheme ("example.com/pay": "for the web page, give its address: https://..."); None
    for what reads as a file or folder name ("notes.md", "v1.2/notes.md": a host needs a
    path, a port or www. to be taken for one, and letters at its end)."""
    text = text.strip()
    if not _SCHEMELESS.match(text) or not ("/" in text or ":" in text or text.lower().startswith("www.")):
        return None
    host = re.split(r"[:/]", text, maxsplit=1)[0]
    if host.rsplit(".", 1)[-1].lower() in _FILE_ENDINGS:  # "notes.md/": a folder's name
        return None
    meant = ("http://" if _LOCAL.match(text) else "https://") + text
    return f"for the web page, give its address: {one_line(meant)}"


def is_web_address(text: str) -> bool:
    """Whether an --article value is meant as a web address (a scheme and "//"), to be
    fetched or refused by `check_address`, never read as a path; spaces around it, as a
    paste leaves them, are no part of it (`check_address` strips them too)."""
    scheme, sep, _ = text.strip().partition("://")
    return bool(sep) and scheme.isascii() and scheme.isalpha() and len(scheme) <= 10


def check_address(url: str, shown: str | None = None) -> str:
    """The address as it will be fetched; a `FetchError` for another scheme or no host,
    saying "<shown>: <why>" (`shown`: the address as quoted, unless the caller says it
    otherwise, as a redirect does)."""
    shown = shown_address(url) if shown is None else shown
    url = url.strip()
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        raise FetchError(f"{shown}: not a web address; give one starting with https://") from None
    if parts.scheme.lower() not in {"http", "https"}:
        raise FetchError(f"{shown}: only http:// and https:// addresses are fetched; save the page and give the file")
    if not parts.hostname or any(c.isspace() or ord(c) < 32 for c in url):
        raise FetchError(f"{shown}: not a web address (no host, or spaces in it); check it")
    try:
        parts.port  # noqa: B018 - urllib checks the port when it is read
    except ValueError:  # "host:http", or past 65535
        raise FetchError(f"{shown}: not a web address (its port is not a number from 1 to 65535); check it") from None
    if "@" in parts.netloc:
        raise FetchError(f"{shown}: a user name or password in the address is not sent; save the page from a browser and give the file")
    if not _can_look_up(parts.hostname):
        raise FetchError(f"{shown}: {_NO_DNS_NAME}")
    return url if url.isascii() else _as_sent(parts, shown)


def _can_look_up(host: str) -> bool:
    """Whether DNS can be asked for `host` (each label 1 to 63 characters, as the IDNA
    codec checks): one it cannot would fail later, deep in http.client, in Python's words."""
    try:
        host.encode("idna")
    except UnicodeError:
        return False
    return True


def _as_sent(parts: urllib.parse.SplitResult, shown: str) -> str:
    """An address with letters beyond ASCII as a browser sends it: the host in IDNA, the
    rest percent-encoded as UTF-8 (bytes a shell passed that are not UTF-8, as they were)."""
    try:
        host = parts.netloc.encode("idna").decode("ascii")
    except UnicodeError:
        raise FetchError(f"{shown}: {_NO_DNS_NAME}") from None

    def escaped(text: str) -> str:
        return _BEYOND_ASCII.sub(lambda m: urllib.parse.quote(m.group(), safe="", errors="surrogateescape"), text)

    return urllib.parse.urlunsplit((parts.scheme, host, escaped(parts.path), escaped(parts.query), escaped(parts.fragment)))


def shown_address(url: str) -> str:
    """An address as an error message quotes it: safe, one line, not endless, and without
    the user name and password it may hold."""
    text = _USERINFO.sub(r"\1", one_line(url))
    return text if len(text) <= 200 else text[:200] + "…"
