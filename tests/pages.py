"""Web pages for tests: the test articles as HTML in realistic page furniture, and a local
HTTP server (127.0.0.1, a port of its own) that serves them and misbehaves on request."""

from __future__ import annotations

import contextlib
import gzip
import html
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import frontmatter
from markdown_it import MarkdownIt

# Sentences of the furniture: none may ever be quoted.
FURNITURE = [
    "We use cookies to improve your experience on our site",
    "Sign up for our newsletter and get career tips every week",
    "Share this article on Twitter, Facebook and LinkedIn",
    "Ten jobs that pay more than you think",
    "Great article, thank you so much for writing this helpful piece",
    "Earn a degree online in six months from our partner college",
    "All rights reserved",
    "Subscribe to read more premium career stories",
    "document.cookie",
    "Enter your email address",
]


def article_html(markdown_path: Path, canonical: str | None = None) -> str:
    """The markdown article as a web page would carry it: its body as HTML inside a page
    with a nav bar, a cookie banner, ads, related links, a share bar, a newsletter box, a
    comment section, a footer, scripts, styles and an iframe."""
    post = frontmatter.load(markdown_path)
    body = MarkdownIt("commonmark").enable("table").render(post.content)
    title = html.escape(str(post.get("title", markdown_path.stem)))
    author = html.escape(str(post.get("author", "")))
    date = html.escape(str(post.get("date", "")))
    link = f'<link rel="canonical" href="{html.escape(canonical)}">' if canonical else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} | CareerPath Weekly</title>
<meta name="author" content="{author}">
<meta property="article:published_time" content="{date}">
<meta property="og:site_name" content="CareerPath Weekly">
{link}
<style>body {{ font-family: sans-serif; }} .ad {{ border: 1px solid #ccc; }}</style>
<script>window.dataLayer = []; document.cookie = "seen=1";</script>
</head>
<body>
<header class="site-header"><a href="/">CareerPath Weekly</a>
<nav class="main-nav"><ul><li><a href="/jobs">Jobs</a></li><li><a href="/salaries">Salaries</a></li>
<li><a href="/advice">Advice</a></li><li><a href="/about">About us</a></li></ul></nav></header>
<div id="cookie-consent" class="cookie-banner" role="dialog"><p>We use cookies to improve your experience on our site.
By continuing to browse you agree to our cookie policy.</p><button>Accept all</button><button>Settings</button></div>
<div class="ad ad-leaderboard"><span>Advertisement</span><p>Earn a degree online in six months from our partner college.
Apply today and start your new career.</p></div>
<main id="content"><article class="post">
<h1 class="entry-title">{title}</h1>
<div class="byline">By <span class="author">{author}</span> · <time datetime="{date}">{date}</time></div>
<div class="share-bar"><p>Share this article on Twitter, Facebook and LinkedIn.</p></div>
<div class="entry-content">
{body}
</div>
<div class="newsletter-signup"><h3>Get our newsletter</h3><p>Sign up for our newsletter and get career tips every week in your inbox.</p>
<form action="/subscribe"><label>Enter your email address</label><input type="email" name="email"><button>Subscribe</button></form></div>
</article>
<aside class="related-posts"><h3>Related articles</h3><ul>
<li><a href="/a/1">Ten jobs that pay more than you think</a></li>
<li><a href="/a/2">How to ask for a raise without fear</a></li></ul></aside>
<div class="paywall-teaser"><p>Subscribe to read more premium career stories.</p></div>
<iframe src="/ad-frame" title="advertisement"></iframe>
<section id="comments" class="comments-area"><h3>3 comments</h3>
<div class="comment"><p class="comment-author">Jamie</p><p>Great article, thank you so much for writing this helpful piece.</p></div>
<div class="comment"><p class="comment-author">Sam</p><p>I disagree with the part about pay; in my town it is much lower than this.</p></div>
</section></main>
<footer class="site-footer"><p>Copyright 2025 CareerPath Weekly. All rights reserved.</p>
<ul><li><a href="/privacy">Privacy policy</a></li><li><a href="/terms">Terms of use</a></li></ul></footer>
<script>console.log("analytics loaded");</script>
</body></html>
"""


@dataclass
class Reply:
    """What the server answers on one path."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"})
    # Instead of a body: called with the handler (a stream, a stall).
    stream: Callable[[BaseHTTPRequestHandler], None] | None = None
    etag: str | None = None  # answer 304 to a request that already has it


class PageServer:
    """A local HTTP server: `routes` maps a path to its `Reply`; `hits` counts requests
    per path and `bodies` full answers (200) per path."""

    def __init__(self) -> None:
        self.routes: dict[str, Reply] = {}
        self.hits: dict[str, int] = {}
        self.bodies: dict[str, int] = {}
        self.stopping = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802
                path = self.path.split("#")[0]
                server.hits[path] = server.hits.get(path, 0) + 1
                reply = server.routes.get(path)
                try:
                    if reply is None:
                        self._send(404, b"<html><body>Not found</body></html>", {"Content-Type": "text/html"})
                    elif reply.stream is not None:
                        reply.stream(self)
                    elif reply.etag and self.headers.get("If-None-Match") == reply.etag:
                        self.send_response(304)
                        self.end_headers()
                    else:
                        if reply.status == 200:
                            server.bodies[path] = server.bodies.get(path, 0) + 1
                        headers = dict(reply.headers)
                        if reply.etag:
                            headers["ETag"] = reply.etag
                        self._send(reply.status, reply.body, headers)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a page too large): as it should

            def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if "Content-Length" not in headers:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.owner_event = self.stopping  # what a stalled handler waits for
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def page(self, path: str, text: str, **kwargs) -> str:
        """Serve an HTML page at `path`; its address."""
        self.routes[path] = Reply(body=text.encode("utf-8"), **kwargs)
        return self.url(path)

    def stop(self) -> None:
        self.stopping.set()  # stalled handlers end
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)


@contextlib.contextmanager
def serving() -> Iterator[PageServer]:
    server = PageServer()
    server.thread.start()
    try:
        yield server
    finally:
        server.stop()


def stall(handler: BaseHTTPRequestHandler) -> None:
    """A server that accepts the connection and never answers (until the test ends)."""
    handler.server.owner_event.wait(60)


def huge(handler: BaseHTTPRequestHandler, megabytes: int = 30) -> None:
    """A 30 MB page, streamed without a length: the reader must stop at its limit."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.end_headers()
    handler.wfile.write(b"<html><body><p>")
    chunk = b"All work and no play makes a long page. " * 1024
    for _ in range(megabytes * 1024 * 1024 // len(chunk)):
        handler.wfile.write(chunk)


def gzipped(text: str, charset: str = "utf-8") -> Reply:
    return Reply(
        body=gzip.compress(text.encode(charset)),
        headers={"Content-Type": f"text/html; charset={charset}", "Content-Encoding": "gzip"},
    )


def trickle_headers(handler: BaseHTTPRequestHandler) -> None:
    """A server that answers a byte of its headers every few tenths of a second, so no one
    wait is long and the whole never ends (until the test does)."""
    handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
    _drip(handler)


def trickle_body(handler: BaseHTTPRequestHandler) -> None:
    """Headers at once, then the body a byte at a time, slowly, never ending."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.end_headers()
    _drip(handler)


def _drip(handler: BaseHTTPRequestHandler) -> None:
    """A byte every 0.3 s until the test ends or the client goes."""
    while not handler.server.owner_event.wait(0.3):
        try:
            handler.wfile.write(b"x")
            handler.wfile.flush()
        except OSError:
            return
