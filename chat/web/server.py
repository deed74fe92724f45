"""`career-chat serve`: the chat as a web page and a JSON API (FastAPI, run by uvicorn).

Only this module imports FastAPI, and only `career-chat serve` imports this module, so
`ask` and the chat app never pay for the web stack. The app holds one knowledge base,
read-only, and the capped conversation store; nothing else, and nothing is written to
disk by a request, so worker processes can be added freely (`docs/serve.md`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from importlib import resources
from typing import TYPE_CHECKING, NoReturn

from fastapi import FastAPI, HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from knowledge.inputs import QuestionError, one_line

from ..arguments import home_path
from .api import (
    EXAMPLE_BODY,
    AskReply,
    AskRequest,
    Health,
    Problem,
    SectionView,
    Topics,
    article_view,
    reply,
    section_view,
    summary,
    texts_version,
    wrong_field,
)
from .conversations import ConversationStore
from .guards import (
    MAX_BODY_BYTES,
    BodyLimit,
    HeadAsGet,
    InternalErrors,
    LoopbackNames,
    SecurityHeaders,
    WholeFiles,
)

if TYPE_CHECKING:
    from knowledge import KnowledgeBase

# Read by worker processes started with `uvicorn --factory chat.web.server:from_environment`
# (or `career-chat serve --workers N`): which article to load. Unset: the bundled one.
ARTICLE_VARIABLE = "CAREER_CHAT_ARTICLE"
# Read by them too: the --host the server listens on, a name it answers to beside localhost.
HOST_VARIABLE = "CAREER_CHAT_HOST"

DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>career-chat API</title>
<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css"></head>
<body><div id="swagger-ui"><p>The API viewer loads from the internet; the schema itself is at
<a href="/openapi.json">/openapi.json</a>.</p></div>
<script src="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script></body></html>
"""


def web_folder() -> str:
    return str(resources.files("chat.web") / "static")


def create_app(kb: KnowledgeBase, store: ConversationStore | None = None, host: str = "") -> FastAPI:
    """The web app over a loaded knowledge base (and a store to keep conversations in);
    `host`, the --host it listens on, is a name it answers to beside localhost."""
    store = store if store is not None else ConversationStore(kb)
    app = FastAPI(
        title="career-chat",
        summary="Answers to career questions, quoted from an article, with citations.",
        version=_version(),
        docs_url=None,  # our own page below: FastAPI's has an inline script our CSP forbids
        redoc_url=None,
        redirect_slashes=False,  # "/api/topics/" is no page (a 404 that says what is), not a bare 307
    )
    app.router.route_class = JsonBodyRoute
    app.state.kb, app.state.store = kb, store
    _add_errors(app)
    problems = {code: {"model": Problem} for code in (400, 404, 413, 415, 422)}
    web = web_folder()

    @app.post("/api/ask", response_model=AskReply, responses=problems, tags=["api"])
    def ask(request: AskRequest) -> AskReply:
        """Answer a question from the article: the same JSON as `career-chat ask --json`,
        with a `conversation_id` to send back for a follow-up ("tell me more", "and the pay?")."""
        try:
            conversation_id, answer = store.ask(request.question, request.conversation_id)
            lost = request.conversation_id is not None and conversation_id != request.conversation_id
        except QuestionError as error:  # e.g. a question of control characters only
            raise HTTPException(422, f"question: {one_line(str(error))}") from None
        return reply(answer, conversation_id, lost)

    version = texts_version(kb)  # once: the articles do not change while served

    @app.get("/api/topics", response_model=Topics, tags=["api"])
    def topics() -> Topics:
        """The articles, their sections in order, example questions, and the version of
        their text."""
        return Topics(
            title=kb.title,
            articles=[article_view(a) for a in kb.articles],
            sections=[summary(s) for s in kb.sections],
            examples=kb.examples(),
            version=version,
        )

    @app.get("/api/sections/{section_id:path}", response_model=SectionView, responses=problems, tags=["api"])
    def section(section_id: str) -> SectionView:
        """One passage: its title and its sentences, each with its line in the article file."""
        try:
            return section_view(kb.section(section_id))
        except KeyError:
            raise HTTPException(404, "no section has that id; GET /api/topics lists them") from None

    @app.get("/healthz", response_model=Health, tags=["service"])
    def health() -> Health:
        """Whether the server is up, and what it has loaded."""
        return Health(articles=len(kb.articles), sections=len(kb.sections), semantic=kb.semantic, conversations=len(store))

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(os.path.join(web, "index.html"), media_type="text/html; charset=utf-8")

    @app.get("/favicon.ico", include_in_schema=False)
    def icon() -> FileResponse:
        """The page's icon where browsers look for it unasked (on /docs too): no 404 in the console."""
        return FileResponse(os.path.join(web, "favicon.svg"), media_type="image/svg+xml")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(DOCS_PAGE)

    app.mount("/static", StaticFiles(directory=web), name="static")
    app.add_middleware(HeadAsGet)
    app.add_middleware(WholeFiles)
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    app.add_middleware(LoopbackNames, name=host)  # before the body is read
    app.add_middleware(InternalErrors)
    app.add_middleware(SecurityHeaders)  # outermost: a 413 or a 500 carries the headers too
    return app


class JsonBodyRoute(APIRoute):
    """A route that takes a body takes it as JSON, and says so in one line when it is not:
    415 for a body sent as another type (FastAPI read it as bytes, then answered 422 "Input
    should be a valid dictionary"), 400 for one that is empty or does not parse (FastAPI's were 422
    "12: JSON decode error" and 400 "There was an error parsing the body")."""

    def get_route_handler(self) -> Callable[[Request], Awaitable[Response]]:
        handle = super().get_route_handler()
        if self.body_field is None:
            return handle

        async def handle_json(request: Request) -> Response:
            await check_json_body(request)
            return await handle(request)

        return handle_json


async def check_json_body(request: Request) -> None:
    """Refuse a body that is not JSON before FastAPI reads it, parsed once by Starlette's
    `request.json()`, which FastAPI then takes as parsed."""
    if not is_json_type(request.headers.get("content-type", "")):
        raise HTTPException(415, "send the body as JSON, with the header content-type: application/json")
    if not await request.body():  # FastAPI would answer 422 "Field required", naming no field
        raise HTTPException(400, f"the body is empty; send an object such as {EXAMPLE_BODY}")
    try:
        # Read twice: first refusing NaN and Infinity, which are no JSON though Python's
        # reader takes them; then as Starlette reads it, kept by the request for FastAPI.
        json.loads(await request.body(), parse_constant=_not_json)
        await request.json()
    except (ValueError, RecursionError):  # cut short, not UTF-8, or nested too deeply
        raise HTTPException(400, f"the body is not valid JSON; send an object such as {EXAMPLE_BODY}") from None


def _not_json(constant: str) -> NoReturn:
    """`json.loads`'s reader of NaN and Infinity: refused."""
    raise ValueError(f"{constant} is not JSON")


def is_json_type(content_type: str) -> bool:
    """Whether a Content-Type names JSON: application/json or application/...+json, any case,
    with or without parameters such as charset."""
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind == "application/json" or (kind.startswith("application/") and kind.endswith("+json"))


def _add_errors(app: FastAPI) -> None:
    """Every error as `{"detail": "one line"}` with its status; a question sent in is never
    echoed back (a bug: `guards.InternalErrors`)."""

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = error.errors()
        return JSONResponse({"detail": one_line(wrong_field(errors[0] if errors else {}))}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"detail": http_detail(error)}, status_code=error.status_code, headers=error.headers)


# What a path that is none of the server's is told: what there is.
NO_SUCH_PAGE = "no such page; / is the chat page, GET /api/topics lists the sections, POST /api/ask asks a question, /docs has the rest"


def http_detail(error: StarletteHTTPException) -> str:
    """An error's one line: Starlette's routing raises 404 and 405 with their bare names
    ("Not Found", "Method Not Allowed"), which say nothing of what to do instead."""
    if error.detail != HTTPStatus(error.status_code).phrase:
        return str(error.detail)
    if error.status_code == 404:
        return NO_SUCH_PAGE
    if error.status_code == 405:
        return wrong_method((error.headers or {}).get("Allow", ""))
    return str(error.detail)


def wrong_method(allowed: str) -> str:
    """What a 405 says, from the methods its path allows (never the method sent)."""
    methods = [m.strip() for m in allowed.split(",") if m.strip()]
    if methods == ["POST"]:
        return f"use POST with a JSON body such as {EXAMPLE_BODY}"
    if "GET" in methods and "HEAD" not in methods:  # guards.HeadAsGet answers it wherever GET is
        methods.append("HEAD")
    return f"use {' or '.join(methods) or 'another method'} here; POST /api/ask asks a question"


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("career-chat")
    except metadata.PackageNotFoundError:
        return "unknown"


def from_environment() -> FastAPI:
    """The app for `uvicorn --factory chat.web.server:from_environment`: each worker loads the
    article named by CAREER_CHAT_ARTICLE (unset or empty: the bundled one) from the shared cache.
    A worker `career-chat serve` started is the command's own process: it keeps out what
    the command keeps out, ends when the command is gone, however it ended, and one that
    cannot load the article says why in one line and exits (`workers.cannot_start`). A
    worker of a user's own uvicorn is left as uvicorn runs it, but one that cannot load the
    article says so in one line too, naming CAREER_CHAT_ARTICLE, and exits 2 (a bug: 70),
    never with a traceback."""
    from knowledge import KnowledgeBase

    from ..libraries import keep_out_unused_libraries
    from .workers import cannot_start, end_with, from_setting, serve_parent

    article = os.environ.get(ARTICLE_VARIABLE, "")
    # Set empty or blank is unset, as every setting; a unit file expands no ~ (`~/notes.md`).
    article = home_path(article) if article.strip() else None
    host = os.environ.get(HOST_VARIABLE, "")
    parent = serve_parent()
    if parent is not None:
        keep_out_unused_libraries()
        end_with(parent)
    try:
        kb = KnowledgeBase.load(article)
    except Exception as error:  # said in one line; `serve` then stops every worker
        if parent is None and article is not None:  # the variable is what the user set
            error = from_setting(ARTICLE_VARIABLE, error)
        raise SystemExit(cannot_start(error)) from None
    return create_app(kb, host=host)
