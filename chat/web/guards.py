"""What every response of the web server carries, and the size every request is held to.

Plain ASGI middleware (no framework needed): security headers on every response, a
request that reached this computer's loopback under another name refused, a request body
read at most to its limit, refused with 413 past it, whether or not it said its length up
front, HEAD answered wherever GET is, files sent whole, and a bug answered 500 in JSON.
"""

from __future__ import annotations

import ipaddress
import json
import re
import sys

# A message of api.MAX_MESSAGE_CHARS fits in any script, each character escaped (12 bytes for one
# beyond the BMP, two \u escapes): a long paste is taken whole, its question read from its end.
MAX_BODY_BYTES = 384 * 1024

# Scripts and styles only from our own files: no inline script can run, whatever text a
# page shows. The API docs page alone may load Swagger UI from its CDN.
PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
DOCS_POLICY = (
    "default-src 'none'; script-src 'self' https://cdn.jsdelivr.net; style-src https://cdn.jsdelivr.net; "
    "img-src 'self' data: https://fastapi.tiangolo.com; connect-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


class SecurityHeaders:
    """Adds the headers above and a Content-Security-Policy to every HTTP response; API
    replies are not stored by caches (a conversation is its reader's)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        policy = DOCS_POLICY if path == "/docs" else PAGE_POLICY

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() != b"content-security-policy"]
                headers += SECURITY_HEADERS + [(b"content-security-policy", policy.encode())]
                if path.startswith("/api/") or path == "/healthz":
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


# What a request that met a bug is told.
INTERNAL_ERROR = "internal error; please report it"


class InternalErrors:
    """A bug met answering a request: 500 with the API's JSON (inside `SecurityHeaders`, so
    with its headers) and one line on stderr, never a traceback. Starlette's own handler
    answers outside every middleware, then raises the error again for uvicorn to print."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def send_noted(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, send_noted)
        except Exception as error:  # noqa: BLE001 - any bug: said in one line, answered 500
            from ..render import printable

            sys.stderr.write(f"career-chat: internal error: {type(error).__name__}: {printable(str(error))[:300]}; please report it\n")
            if not started:  # else the reply is cut short, as any server's would be
                await json_error(send, 500, INTERNAL_ERROR)


class WholeFiles:
    """Every response sent whole: a request's Range header is dropped (the page's files are
    a few KB), so a malformed one is no text/plain 400, an unsatisfiable one no empty 416."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        scope = {**scope, "headers": [h for h in scope["headers"] if h[0].lower() not in (b"range", b"if-range")]}

        async def send_whole(message):  # nor offered: no "Accept-Ranges: bytes"
            if message["type"] == "http.response.start":
                message = {**message, "headers": [h for h in message.get("headers", []) if h[0].lower() != b"accept-ranges"]}
            await send(message)

        await self.app(scope, receive, send_whole)


class HeadAsGet:
    """Answers HEAD as GET would, without the body: HTTP requires HEAD wherever GET is
    served, and FastAPI's routes take only the methods they name (a monitor's HEAD
    /healthz was refused with 405). A path that does not serve GET still says so, and a
    405 that allows GET allows HEAD too."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if scope["method"] != "HEAD":

            async def send_head_allowed(message):
                if message["type"] == "http.response.start" and message["status"] == 405:
                    message = {**message, "headers": _head_allowed(message.get("headers", []))}
                await send(message)

            return await self.app(scope, receive, send_head_allowed)

        async def send_headers_only(message):
            if message["type"] == "http.response.start":
                await send(message)  # the GET's headers, its Content-Length included
            elif not message.get("more_body", False):  # the body's end (or a file sent whole)
                await send({"type": "http.response.body", "body": b"", "more_body": False})

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)


def _head_allowed(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """A 405's headers with HEAD added to an Allow that names GET."""
    fixed = []
    for name, value in headers:
        methods = [m.strip() for m in value.split(b",")] if name.lower() == b"allow" else []
        if b"GET" in methods and b"HEAD" not in methods:
            value = b", ".join([*methods, b"HEAD"])
        fixed.append((name, value))
    return fixed


# A Host header's name and its optional port: "localhost:8000", "[::1]:8000", "127.0.0.1".
_HOST_HEADER = re.compile(r"(\[[^\]]*\]|[^:\[\]]*)(?::[0-9]*)?")


class LoopbackNames:
    """Refuses (400) a request that reached a loopback address under a name other than
    localhost, a loopback address or `name` (the --host the server was started on): a web
    page whose own name an attacker points at 127.0.0.1 (DNS rebinding) could otherwise
    read the article and ask it questions, its requests being same-origin to the browser.
    A request that came over the network (the server bound to 0.0.0.0 or a LAN address on
    purpose) may name the server as it likes. Any port: the name is what a page forges."""

    def __init__(self, app, name: str = ""):
        name = name.strip("[]").lower()
        self.app = app
        self.names = ["localhost"] + ([name] if name and name != "localhost" and not is_address(name) else [])

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not is_loopback((scope.get("server") or ("",))[0]):
            return await self.app(scope, receive, send)
        named = [value.decode("latin-1") for key, value in scope.get("headers", []) if key == b"host"]
        if named and all(self.answers_to(value) for value in named):
            return await self.app(scope, receive, send)
        await json_error(send, 400, self.refusal(*scope["server"]))

    def answers_to(self, host: str) -> bool:
        """Whether a Host header names this computer as itself (any port)."""
        match = _HOST_HEADER.fullmatch(host.strip())
        name = match.group(1).strip("[]").lower() if match else ""
        return name in self.names or is_loopback(name)

    def refusal(self, address: str, port: int | None) -> str:
        """What a refused request is told: the names taken and the address it came to,
        never the name it gave."""
        names = ["localhost", "127.0.0.1", "[::1]", *self.names[1:]]
        where = page_address(address, port)
        return f"the Host header names another computer; this server answers only to {', '.join(names[:-1])} or {names[-1]}: open {where}"


def page_address(host: str, port: int | None) -> str:
    """The server's page at `host` and `port` as a browser takes it (an IPv6 address in
    brackets)."""
    return f"http://{f'[{host}]' if ':' in host else host}{f':{port}' if port else ''}/"


def is_address(host: str) -> bool:
    """Whether a --host is an address (a name of its own is answered to; an address is not a name)."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def is_loopback(host: str) -> bool:
    """Whether a host is an address of this computer's loopback (127.0.0.0/8, ::1, ::ffff:127.x)."""
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return address.is_loopback or (mapped is not None and mapped.is_loopback)


class BodyLimit:
    """Reads a request body up to `limit` bytes and hands it on; past it, answers 413 with a
    JSON error and never calls the app (a stream that lies about its length included)."""

    def __init__(self, app, limit: int = MAX_BODY_BYTES):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            return await _too_large(send, self.limit)
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                return await _too_large(send, self.limit)
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        sent = False

        async def replay():
            nonlocal sent
            if sent:
                return await receive()  # the app waits for a disconnect: pass it through
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


async def _too_large(send, limit: int) -> None:
    await json_error(send, 413, f"the request body is over {limit // 1024} KB; send one question at a time")


async def json_error(send, status: int, detail: str) -> None:
    """An error as the API's are, `{"detail": "..."}`, sent before the app is reached."""
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
