"""Running the web server: options checked, the article loaded once, uvicorn started.

The article is loaded (and cached) before the server binds, so a bad article is one line
and exit 2, never a half-started server; with --workers N, each worker then reads the
same article from that cache (`chat.web.server.from_environment`).
"""

from __future__ import annotations

import argparse
import errno
import os
import socket
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from knowledge.read.address import is_web_address

from ..failures import EXIT_INTERNAL

if TYPE_CHECKING:
    from knowledge import KnowledgeBase

MAX_WORKERS = 64


class ServeError(ValueError):
    """A serve option that cannot work: said in one line, exit 2 (a ValueError, as the CLI expects)."""


def check_options(host: str, port: int, workers: int) -> None:
    if not host.strip():  # an unset variable ("--host $HOST") would serve every address
        raise ServeError("--host is empty; give an address of this computer (127.0.0.1 serves this computer only)")
    if not 1 <= port <= 65535:
        raise ServeError(f"--port {port} is not a port; give a number from 1 to 65535")
    if not 1 <= workers <= MAX_WORKERS:
        raise ServeError(f"--workers {workers} is out of range; give 1 to {MAX_WORKERS}")
    listening(host, port).close()  # a probe, bound as the server's own socket will be


def cannot_listen(host: str, port: int, family: int, error: OSError) -> str:
    """Why listening failed, blaming the option at fault. `create_server` re-raises a failed
    name lookup as a plain OSError (its errno an EAI_ code, which may equal an unrelated
    errno), so an unknown name is found by looking it up again, not by the error's type."""
    if error.errno == errno.EADDRINUSE:
        free = free_port_after(host, port, family)
        hint = f"try --port {free}" if free is not None else "give another --port"
        return f"cannot listen on {host}:{port}: another program is using the port; {hint}"
    if error.errno == errno.EADDRNOTAVAIL or not resolves(host, family):
        return f"--host {host!r} is not an address of this computer; give one of its addresses (127.0.0.1 serves this computer only)"
    reason = os.strerror(error.errno) if error.errno and error.errno > 0 else str(error)
    return f"cannot listen on {host}:{port} ({reason})"


# Ports after a busy one tried for a free one to suggest.
PORTS_TRIED = 20


def free_port_after(host: str, port: int, family: int) -> int | None:
    """The first of the next PORTS_TRIED ports this computer can listen on, or None: the
    one suggested is free when said (not merely the next number, or one past 65535)."""
    for candidate in range(port + 1, min(port + PORTS_TRIED, 65535) + 1):
        try:
            _bound(host, candidate, family).close()
        except OSError:
            continue
        return candidate
    return None


# The queue of connections not yet accepted, as uvicorn's default.
BACKLOG = 2048


def listening(host: str, port: int) -> socket.socket:
    """The server's socket, bound and listening as uvicorn binds one, before "serving" is
    said: a port taken since `check_options` (while a slow article loaded, or by a second
    `serve`) is one line and exit 2, not "serving" and then uvicorn's own error."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        sock = _bound(host, port, family)
    except OSError as error:
        raise ServeError(cannot_listen(host, port, family, error)) from None
    sock.set_inheritable(True)  # the workers serve on it
    return sock


def _bound(host: str, port: int, family: int) -> socket.socket:
    """A socket listening on `host`:`port`, as uvicorn makes one ("::" takes IPv4 too);
    closed again when it cannot be."""
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(BACKLOG)
    except BaseException:
        sock.close()
        raise
    return sock


def resolves(host: str, family: int) -> bool:
    """Whether a host name or address gives an address of `family` (an empty host is every address)."""
    if not host:
        return True
    try:
        socket.getaddrinfo(host, None, family, socket.SOCK_STREAM)
    except (OSError, UnicodeError):  # socket.gaierror is an OSError; a label too long for IDNA
        return False
    return True


def serve(args: argparse.Namespace, load: Callable[[], KnowledgeBase]) -> int:
    try:
        import uvicorn

        from .guards import page_address
        from .server import ARTICLE_VARIABLE, HOST_VARIABLE, create_app
    except ImportError as error:  # installed without its dependencies
        raise ServeError(f"serving needs FastAPI and uvicorn ({error.name} is missing); pip install career-chat") from None
    check_options(args.host, args.port, args.workers)
    kb = load()  # a bad article stops here; a good one is now in the cache for the workers
    # Bound to every address, it is opened at this computer's own (a browser's Host of
    # "0.0.0.0" names no computer, and the server refuses it over loopback).
    shown = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(args.host, args.host)
    where = page_address(shown, args.port)
    sock = listening(args.host, args.port)
    try:  # closed however serving ends
        sys.stderr.write(f"career-chat: serving {kb.title!r} at {where} (API docs at {where}docs); Ctrl-C stops\n")
        # Idle connections are kept 30 s, not uvicorn's 5: a client reusing one the server has
        # just closed gets a failed request (the load test saw 4 in 5,000 at 5 s).
        settings = {"host": args.host, "port": args.port, "log_level": "warning", "server_header": False, "timeout_keep_alive": 30}
        if args.workers == 1:
            server = uvicorn.Server(uvicorn.Config(create_app(kb, host=args.host), **settings))
            server.run(sockets=[sock])  # a signal that stops it is raised again after (`chat.stopping`)
            return 0 if server.started else EXIT_INTERNAL
        os.environ[HOST_VARIABLE] = args.host
        article = getattr(args, "article", None)
        if article is not None:
            os.environ[ARTICLE_VARIABLE] = for_workers(article)
        else:  # the bundled one, as loaded above, whatever the environment named
            os.environ.pop(ARTICLE_VARIABLE, None)
        if getattr(args, "lexical", False):
            os.environ["CAREER_CHAT_SEMANTIC"] = "off"
        del kb  # each worker loads its own from the cache
        from .workers import run_workers

        return run_workers(uvicorn.Config("chat.web.server:from_environment", factory=True, workers=args.workers, **settings), sock)
    finally:
        sock.close()


def for_workers(article: str) -> str:
    """The article as the workers' environment names it: a web address as it is (made
    absolute, it would be a path), a path made absolute (they may start elsewhere)."""
    return article if is_web_address(article) else os.path.abspath(article)
