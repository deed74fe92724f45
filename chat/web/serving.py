"""Running the web server: options checked, the article loaded once, uvicorn started.

The article is loaded (and cached) before the server binds, so a bad article is one line
and exit 2, never a half-started server; with --workers N, each worker then reads the
same article from that cache (`chat.web.server.from_environment`).
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from knowledge.read.address import is_web_address

if TYPE_CHECKING:
    from knowledge import KnowledgeBase

MAX_WORKERS = 64


class ServeError(ValueError):
    """A serve option that cannot work: said in one line, exit 2 (a ValueError, as the CLI expects)."""


def check_options(host: str, port: int, workers: int) -> None:
    if not 1 <= port <= 65535:
        raise ServeError(f"--port {port} is not a port; give a number from 1 to 65535")
    if not 1 <= workers <= MAX_WORKERS:
        raise ServeError(f"--workers {workers} is out of range; give 1 to {MAX_WORKERS}")
    try:
        probe = socket.create_server((host, port))
    except socket.gaierror:
        raise ServeError(f"--host {host!r} is not an address of this computer") from None
    except OSError as error:
        raise ServeError(f"cannot listen on {host}:{port} ({error.strerror or error}); is another server using it? try --port {port + 1}") from None
    probe.close()


def serve(args: argparse.Namespace, load: Callable[[], KnowledgeBase]) -> int:
    try:
        import uvicorn

        from .server import ARTICLE_VARIABLE, create_app
    except ImportError as error:  # installed without its dependencies
        raise ServeError(f"serving needs FastAPI and uvicorn ({error.name} is missing); pip install career-chat") from None
    check_options(args.host, args.port, args.workers)
    kb = load()  # a bad article stops here; a good one is now in the cache for the workers
    where = f"http://{'[' + args.host + ']' if ':' in args.host else args.host}:{args.port}/"
    sys.stderr.write(f"career-chat: serving {kb.title!r} at {where} (API docs at {where}docs); Ctrl-C stops\n")
    # Idle connections are kept 30 s, not uvicorn's 5: a client reusing one the server has
    # just closed gets a failed request (the load test saw 4 in 5,000 at 5 s).
    settings = {"host": args.host, "port": args.port, "log_level": "warning", "server_header": False, "timeout_keep_alive": 30}
    if args.workers == 1:
        uvicorn.run(create_app(kb), **settings)
        return 0
    article = getattr(args, "article", None)
    if article is not None:
        os.environ[ARTICLE_VARIABLE] = for_workers(article)
    if getattr(args, "lexical", False):
        os.environ["CAREER_CHAT_SEMANTIC"] = "off"
    del kb  # each worker loads its own from the cache
    uvicorn.run("chat.web.server:from_environment", factory=True, workers=args.workers, **settings)
    return 0


def for_workers(article: str) -> str:
    """The article as the workers' environment names it: a web address as it is (made
    absolute, it would be a path), a path made absolute (they may start elsewhere)."""
    return article if is_web_address(article) else os.path.abspath(article)
