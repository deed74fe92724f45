"""`career-chat serve`'s JSON API, through FastAPI's TestClient: each endpoint, each error
status, follow-ups by conversation id, and the conversation store's cap and expiry."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from chat.web.api import MAX_MESSAGE_CHARS
from chat.web.conversations import ConversationStore
from chat.web.guards import MAX_BODY_BYTES
from chat.web.server import create_app
from knowledge import KnowledgeBase
from knowledge.inputs import MAX_QUESTION_CHARS

from .conftest import DATA

HOSTILE_TITLE = "Pay <script>window.__pwned=1</script>"


@pytest.fixture(scope="module")
def client(kb: KnowledgeBase):
    with TestClient(create_app(kb)) as client:
        yield client


def test_ask_returns_the_answer_json_of_ask_json_with_a_conversation_id(client, kb):
    reply = client.post("/api/ask", json={"question": "How much do prompt engineers make?"})
    assert reply.status_code == 200
    body = reply.json()
    conversation_id = body.pop("conversation_id")
    assert len(conversation_id) >= 16 and body.pop("conversation_lost") is False
    expected = json.loads(kb.ask("How much do prompt engineers make?").model_dump_json())
    for citation in expected["citations"]:
        citation["source"] = Path(citation["source"]).name  # never the server's path
    assert body == expected
    assert body["coverage"] == "covered" and "$175,000 to $375,000" in body["text"]


def test_a_follow_up_by_conversation_id_continues_the_passage(client):
    first = client.post("/api/ask", json={"question": "How much do prompt engineers make?"}).json()
    more = client.post("/api/ask", json={"question": "tell me more", "conversation_id": first["conversation_id"]}).json()
    assert more["conversation_id"] == first["conversation_id"]
    assert more["citations"] and more["citations"][0]["section_id"] == first["citations"][0]["section_id"]
    assert not {c["quote"] for c in more["citations"]} & {c["quote"] for c in first["citations"]}
    # The same words with no conversation are a new conversation, read on their own.
    alone = client.post("/api/ask", json={"question": "tell me more"}).json()
    assert alone["conversation_id"] != first["conversation_id"]
    assert alone["citations"] != more["citations"]


def test_a_follow_up_whose_conversation_is_not_kept_says_so(client):
    first = client.post("/api/ask", json={"question": "what does it pay?"}).json()
    assert first["conversation_lost"] is False
    kept = client.post("/api/ask", json={"question": "tell me more", "conversation_id": first["conversation_id"]}).json()
    assert kept["conversation_lost"] is False and kept["conversation_id"] == first["conversation_id"]
    lost = client.post("/api/ask", json={"question": "tell me more", "conversation_id": "held-by-another-worker"}).json()
    assert lost["conversation_lost"] is True and lost["conversation_id"] != "held-by-another-worker"


def test_topics_lists_sections_and_examples(client, kb):
    topics = client.get("/api/topics").json()
    assert topics["title"] == kb.title
    assert [s["id"] for s in topics["sections"]] == [s.id for s in kb.sections]
    assert topics["examples"] and all(isinstance(q, str) for q in topics["examples"])
    assert topics["articles"][0]["file"] == "making-of-ai-interactions.md"


def test_a_section_gives_its_sentences_and_lines(client, kb):
    section = kb.sections[3]
    body = client.get(f"/api/sections/{section.id}").json()
    assert body["id"] == section.id and body["title"] == section.title
    assert body["sentences"] == [{"text": s.text, "line": s.line} for s in section.sentences]


def test_health(client, kb):
    body = client.get("/healthz").json()
    kept = body.pop("conversations")
    assert body == {"status": "ok", "articles": 1, "sections": len(kb.sections), "semantic": kb.semantic}
    client.post("/api/ask", json={"question": "what does it pay?"})
    assert client.get("/healthz").json()["conversations"] == kept + 1


def test_openapi_schema_and_docs_page(client):
    schema = client.get("/openapi.json").json()
    assert {"/api/ask", "/api/topics", "/api/sections/{section_id}", "/healthz"} <= set(schema["paths"])
    assert "conversation_id" in schema["components"]["schemas"]["AskReply"]["properties"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/openapi.json" in docs.text and "<script>" not in docs.text


@pytest.mark.parametrize(
    "body, says",
    [
        ({"question": "   \t "}, "question: the question is empty"),
        ({"question": "\x00\x1b\u202e"}, "question: the question is empty"),  # nothing left once control characters go
        ({"question": "\x1b[31m"}, "question: the question is empty"),  # a terminal colour alone: nothing to read
        ({"question": "\u200b\u200b\ufeff"}, "question: the question is empty"),  # zero-width characters show nothing
        ({"question": "\u0301\u0301"}, "question: the question is empty"),  # combining marks with nothing to mark
        ({"question": "pay \ud800"}, "question: holds a lone surrogate"),
        ({"question": "x" * (MAX_MESSAGE_CHARS + 1)}, "at most"),
        ({}, "question: missing; send an object such as {"),
        ({"question": 42}, "question: should be the question as text, of at most 30,000 characters, not a number"),
        ({"question": None}, "question: should be the question as text, of at most 30,000 characters, not null"),
        ({"question": "pay?", "conversation_id": "../../etc"}, "conversation_id: should be the conversation_id of an earlier reply"),
        ({"question": "pay?", "conversation_id": "x" * 65}, "(1 to 64 letters, digits, - or _) or null"),
        ({"question": "pay?", "conversation_id": 7}, "or null, not a number"),
        (["pay"], 'the body should be one JSON object, such as {"question": '),
        ("what does it pay?", "the body should be one JSON object"),
        (None, "the body should be one JSON object"),
    ],
)
def test_a_blank_oversized_or_malformed_question_is_422(client, body, says):
    reply = client.post("/api/ask", content=json.dumps(body), headers={"content-type": "application/json"})
    assert reply.status_code == 422
    detail = reply.json()["detail"]
    assert isinstance(detail, str) and says in detail and "\n" not in detail
    assert "x" * 60 not in detail and "../" not in detail  # what was sent is not echoed back


@pytest.mark.parametrize(
    "body, says",
    [
        # --jsonl's name for it, and a client's spellings: each went unread, so the follow-up
        # was answered on its own with conversation_lost false, as if it had been read.
        ({"question": "and the money?", "conversation": "c1"}, "'conversation' is not a field; did you mean 'conversation_id'?"),
        ({"question": "and the money?", "conversationId": "c1"}, "'conversationId' is not a field; did you mean 'conversation_id'?"),
        ({"questoin": "what does it pay?"}, "'questoin' is not a field; did you mean 'question'?"),
    ],
)
def test_a_field_name_a_letter_or_two_off_is_422_naming_the_one_meant(client, body, says):
    reply = client.post("/api/ask", json=body)
    assert reply.status_code == 422 and reply.json()["detail"] == says


def test_a_field_of_the_clients_own_is_left_alone(client):
    reply = client.post("/api/ask", json={"question": "what does it pay?", "client": "my-app"})
    assert reply.status_code == 200 and reply.json()["coverage"] == "covered"


def test_an_empty_body_is_400_saying_what_to_send(client):
    reply = client.post("/api/ask", content=b"", headers={"content-type": "application/json"})
    assert reply.status_code == 400
    assert reply.json()["detail"] == 'the body is empty; send an object such as {"question": "what does it pay?"}'


def test_a_long_paste_is_taken_and_its_last_question_answered(client):
    """As the CLI and the app do: the web page's users paste whole job ads and emails."""
    message = "I have been reading about careers in AI for weeks now. " * 50 + "So, what does it pay?"
    assert len(message) > MAX_QUESTION_CHARS
    reply = client.post("/api/ask", json={"question": message})
    assert reply.status_code == 200
    answer = reply.json()
    assert answer["question"] == "So, what does it pay?" and answer["coverage"] == "covered"


@pytest.mark.parametrize("character", ["x", "ж", "語", "\U0001f600", "\u2028"])
def test_a_message_of_the_longest_length_is_taken_in_any_script(client, character):
    """Raw UTF-8, as a browser sends it, or every character escaped: under the body limit."""
    message = character * (MAX_MESSAGE_CHARS - 25) + " what does it pay?"
    for body in (json.dumps({"question": message}, ensure_ascii=False).encode(), json.dumps({"question": message}).encode()):
        reply = client.post("/api/ask", content=body, headers={"content-type": "application/json"})
        assert reply.status_code == 200, (len(body), reply.text[:200])


def test_the_page_says_a_long_message_was_read_by_its_end_at_the_engines_limit():
    script = (Path(__file__).resolve().parent.parent / "chat" / "web" / "static" / "app.js").read_text(encoding="utf-8")
    assert f"const MAX_QUESTION_CHARS = {MAX_QUESTION_CHARS};" in script
    page = (Path(__file__).resolve().parent.parent / "chat" / "web" / "static" / "index.html").read_text(encoding="utf-8")
    assert f'maxlength="{MAX_MESSAGE_CHARS}"' in page


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b'{"question":',  # cut short
        b'{"question": "what does it \xff pay?"}',  # not UTF-8
        b"[" * 20_000,  # nested deeper than a parser goes, yet under the size limit
    ],
    ids=["not json", "cut short", "not utf-8", "nested deep"],
)
def test_a_body_that_is_not_valid_json_is_400_in_one_line(client, body):
    reply = client.post("/api/ask", content=body, headers={"content-type": "application/json"})
    assert reply.status_code == 400
    detail = reply.json()["detail"]
    assert "not valid JSON" in detail and "\n" not in detail


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_a_body_not_sent_as_json_is_415_saying_how_to_send_it(client, content_type):
    headers = {"content-type": content_type} if content_type else {}
    reply = client.post("/api/ask", content=b'{"question": "what does it pay?"}', headers=headers)
    assert reply.status_code == 415
    detail = reply.json()["detail"]
    assert "JSON" in detail and "application/json" in detail and "\n" not in detail


def test_a_json_content_type_with_parameters_or_a_json_suffix_is_json(client):
    for content_type in ("application/json; charset=utf-8", "application/problem+json", "Application/JSON"):
        reply = client.post("/api/ask", content=b'{"question": "what does it pay?"}', headers={"content-type": content_type})
        assert reply.status_code == 200, (content_type, reply.text)


def test_an_unknown_section_is_404(client):
    for path in ("/api/sections/no-such-section", "/api/sections/a/b/c", "/api/nothing-here"):
        reply = client.get(path)
        assert reply.status_code == 404 and isinstance(reply.json()["detail"], str)


def test_an_unknown_path_is_404_naming_what_there_is(client):
    for path in ("/nonexistent", "/api/nothing-here", "/static/no-such-file.js", "/<script>"):
        reply = client.get(path)
        assert reply.status_code == 404 and reply.headers["content-type"] == "application/json", path
        detail = reply.json()["detail"]
        assert detail.startswith("no such page;") and "GET /api/topics lists the sections" in detail, path
        assert "/ is the chat page" in detail and "script" not in detail, path


def test_a_method_a_path_does_not_take_is_405_saying_which_it_does(client):
    for method in ("GET", "OPTIONS", "PUT", "DELETE"):
        reply = client.request(method, "/api/ask")
        assert reply.status_code == 405 and reply.headers["allow"] == "POST", method
        assert reply.json()["detail"] == 'use POST with a JSON body such as {"question": "what does it pay?"}', method
    for method in ("POST", "DELETE"):
        reply = client.request(method, "/api/topics")
        assert reply.status_code == 405 and reply.headers["allow"] == "GET, HEAD", method
        assert reply.json()["detail"] == "use GET or HEAD here; POST /api/ask asks a question", method


def test_a_body_over_the_limit_is_413_declared_or_streamed(client):
    big = json.dumps({"question": "x" * MAX_BODY_BYTES}).encode()
    declared = client.post("/api/ask", content=big, headers={"content-type": "application/json"})
    assert declared.status_code == 413 and "KB" in declared.json()["detail"]

    def chunks():  # no Content-Length: sent chunked, counted as it arrives
        for _ in range(10):
            yield b"x" * (MAX_BODY_BYTES // 4)

    streamed = client.post("/api/ask", content=chunks(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413
    assert streamed.headers["x-content-type-options"] == "nosniff"


def test_head_is_answered_wherever_get_is_with_its_headers_and_no_body(client, kb):
    paths = ["/", "/healthz", "/api/topics", f"/api/sections/{kb.sections[0].id}", "/docs", "/openapi.json", "/static/app.js"]
    for path in paths:
        head, get = client.head(path), client.get(path)
        assert (head.status_code, get.status_code) == (200, 200), path
        assert head.content == b"", path
        for name in ("content-type", "content-length", "content-security-policy", "x-content-type-options"):
            assert head.headers.get(name) == get.headers.get(name), (path, name)


def test_head_is_refused_where_get_is_and_404_where_nothing_is(client):
    missing = client.head("/api/sections/no-such-section")
    assert missing.status_code == 404 and missing.content == b""
    post_only = client.head("/api/ask")  # HEAD never runs a question
    assert post_only.status_code == 405 and post_only.headers["allow"] == "POST" and post_only.content == b""


def test_a_method_refused_where_get_is_served_allows_head_too(client):
    for path in ("/healthz", "/api/topics"):
        refused = client.post(path, json={})
        assert refused.status_code == 405 and refused.headers["allow"] == "GET, HEAD", path


FOREIGN_HOSTS = ["attacker.example", "attacker.example:8000", "localhost.attacker.example", "127.0.0.1.nip.io", "<b>x</b>"]


def _refused_as_foreign(reply) -> None:
    """A request naming another computer: 400, one line of JSON that never repeats the name."""
    assert reply.status_code == 400, reply.text[:200]
    assert reply.headers["content-type"] == "application/json"
    detail = reply.json()["detail"]
    assert "\n" not in detail and "answers only to localhost, 127.0.0.1" in detail
    assert "attacker" not in detail and "<b>" not in detail and "nip.io" not in detail
    assert reply.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("host", FOREIGN_HOSTS)
def test_a_request_to_loopback_under_another_name_is_refused_as_dns_rebinding_would_send_it(kb, host):
    """A page on attacker.example, its name pointed at 127.0.0.1, sends its own name as
    Host: it gets neither the article nor an answer."""
    with TestClient(create_app(kb), base_url="http://127.0.0.1:8000") as local:
        for reply in (
            local.get("/api/topics", headers={"host": host}),
            local.get(f"/api/sections/{kb.sections[0].id}", headers={"host": host}),
            local.post("/api/ask", json={"question": "what does it pay?"}, headers={"host": host}),
            local.get("/", headers={"host": host}),
        ):
            _refused_as_foreign(reply)


def test_a_request_to_loopback_naming_this_computer_or_the_served_host_is_answered(kb):
    with TestClient(create_app(kb, host="career-box"), base_url="http://127.0.0.1:8000") as local:
        for host in ("localhost", "localhost:8000", "LocalHost:1", "127.0.0.1", "127.0.0.1:8000", "[::1]:8000", "career-box:8000"):
            assert local.get("/api/topics", headers={"host": host}).status_code == 200, host
        _refused_as_foreign(local.get("/api/topics", headers={"host": "other-box"}))
    with TestClient(create_app(kb), base_url="http://[::1]:8000") as local:
        assert local.get("/api/topics", headers={"host": "[::1]:8000"}).status_code == 200
        refused = local.get("/api/topics", headers={"host": "attacker.example"})
        _refused_as_foreign(refused)
        assert "open http://[::1]:8000/" in refused.json()["detail"]


def test_a_request_from_the_network_may_name_the_server_as_it_likes(kb):
    """Bound to 0.0.0.0 or a LAN address, the server was exposed on purpose: a request that
    came over the network is answered whatever name it gives."""
    with TestClient(create_app(kb), base_url="http://192.0.2.10:8000") as lan:
        assert lan.get("/api/topics", headers={"host": "career-box.lan:8000"}).status_code == 200


def test_the_uvicorn_factory_refuses_another_name_too(monkeypatch):
    from chat.web.server import from_environment

    monkeypatch.setenv("CAREER_CHAT_ARTICLE", str(DATA / "nurse.md"))
    monkeypatch.setenv("CAREER_CHAT_SEMANTIC", "off")
    monkeypatch.setenv("CAREER_CHAT_HOST", "career-box")
    with TestClient(from_environment(), base_url="http://127.0.0.1:8000") as local:
        _refused_as_foreign(local.get("/api/topics", headers={"host": "attacker.example"}))
        assert local.get("/api/topics", headers={"host": "career-box:8000"}).status_code == 200


@pytest.mark.parametrize("workers", ["1", "2"])
def test_serve_refuses_a_request_naming_another_computer(workers):
    """Over a real socket, with one worker or the factory's: the local address is loopback."""
    import http.client

    port = _free_port()
    server = _serving("--workers", workers, "--port", str(port))
    try:
        _ask_over_http(port, server, "what does it pay?")
        statuses = {}
        for host in ("attacker.example", f"localhost:{port}"):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", "/api/topics", headers={"Host": host})
            reply = connection.getresponse()
            statuses[host] = (reply.status, json.loads(reply.read()))
            connection.close()
    finally:
        _ended(server)
    status, body = statuses["attacker.example"]
    assert status == 400 and "answers only to localhost" in body["detail"] and "attacker" not in body["detail"]
    assert statuses[f"localhost:{port}"][0] == 200


def test_every_response_carries_the_security_headers(client):
    for reply in (client.get("/"), client.get("/api/topics"), client.get("/static/app.js"), client.get("/nope")):
        policy = reply.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "default-src 'none'" in policy
        assert reply.headers["x-content-type-options"] == "nosniff"
        assert reply.headers["referrer-policy"] == "no-referrer"
    assert client.get("/api/topics").headers["cache-control"] == "no-store"


def test_the_page_and_its_script_insert_text_only():
    """The page ships no inline script, and its script never parses text as HTML."""
    web = Path(__file__).resolve().parent.parent / "chat" / "web" / "static"
    page = (web / "index.html").read_text()
    assert "<script>" not in page and "onclick" not in page and 'src="/static/app.js"' in page
    script = (web / "app.js").read_text()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in script


def test_the_page_has_an_icon_so_the_browser_logs_no_404(client):
    """Browsers fetch /favicon.ico unasked (the page, /docs): a 404 there is an error in the console."""
    page = client.get("/").text
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    for path in ("/favicon.ico", "/static/favicon.svg"):
        icon = client.get(path)
        assert icon.status_code == 200, path
        assert icon.headers["content-type"] == "image/svg+xml" and icon.content.startswith(b"<svg"), path
        assert b"<script" not in icon.content and "default-src 'none'" in icon.headers["content-security-policy"], path


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_store_keeps_at_most_its_cap_dropping_the_least_recently_used(kb):
    store = ConversationStore(kb, limit=3, clock=Clock())
    ids = [store.ask("what does it pay?")[0] for _ in range(3)]
    store.ask("tell me more", ids[0])  # used again: now the most recent
    ids += [store.ask("what does it pay?")[0] for _ in range(2)]
    assert len(store) == 3
    assert ids[0] in store and ids[1] not in store and ids[2] not in store
    # A dropped id starts a new conversation rather than failing.
    new_id, answer = store.ask("tell me more", ids[1])
    assert new_id != ids[1] and new_id in store and len(store) == 3


def test_the_store_forgets_a_conversation_unused_for_its_ttl(kb):
    clock = Clock()
    store = ConversationStore(kb, ttl=60, clock=clock)
    old, _ = store.ask("what does it pay?")
    clock.now += 30
    fresh, _ = store.ask("what does it pay?")
    clock.now += 31
    assert old not in store and fresh in store and len(store) == 1


def test_the_store_keeps_a_conversations_last_turns_only(kb):
    store = ConversationStore(kb, turns=2, clock=Clock())
    conversation_id, _ = store.ask("what does it pay?")
    for _ in range(4):
        store.ask("tell me more", conversation_id)
    assert len(store._kept[conversation_id].conversation.turns) == 2


def test_a_conversation_keeps_a_long_paste_as_the_question_read_from_it(kb):
    """A turn holds the question as read (at most MAX_QUESTION_CHARS), never the paste:
    with messages of 30,000 characters the store's cap would hold gigabytes."""
    store = ConversationStore(kb, clock=Clock())
    message = "I have been reading about careers in AI for weeks now. " * 500 + "So, what does it pay?"
    conversation_id, answer = store.ask(message)
    store.ask(message, conversation_id)
    turns = store._kept[conversation_id].conversation.turns
    assert answer.question == "So, what does it pay?"
    assert all(len(t.question) <= MAX_QUESTION_CHARS and len(t.basis) <= 2 * MAX_QUESTION_CHARS for t in turns)


def test_the_api_store_cap_holds_across_requests(kb):
    store = ConversationStore(kb, limit=2)
    with TestClient(create_app(kb, store)) as client:
        first = client.post("/api/ask", json={"question": "what does it pay?"}).json()["conversation_id"]
        for _ in range(3):
            client.post("/api/ask", json={"question": "what does it pay?"})
        assert len(store) == 2 and first not in store
        again = client.post("/api/ask", json={"question": "tell me more", "conversation_id": first}).json()
        assert again["conversation_id"] != first


def test_a_hostile_article_comes_back_as_plain_json_strings(tmp_path):
    path = tmp_path / "hostile.md"
    path.write_text(
        f'---\ntitle: "{HOSTILE_TITLE}"\nurl: "javascript:alert(1)"\n---\n\n# Pay\n\n'
        "The pay is &lt;script&gt;alert(1)&lt;/script&gt; good. Pilots earn more each year.\n",
        encoding="utf-8",
    )
    kb = KnowledgeBase.load(path, semantic=False)
    with TestClient(create_app(kb)) as client:
        topics = client.get("/api/topics")
        assert topics.headers["content-type"] == "application/json"
        assert topics.json()["title"] == HOSTILE_TITLE
        assert topics.json()["articles"][0]["url"] is None  # a javascript: address is never a link
        section = client.get(f"/api/sections/{kb.sections[-1].id}").json()
        assert "<script>alert(1)</script>" in section["sentences"][0]["text"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "chat", *args], capture_output=True, text=True, timeout=120)


def _ask_over_http(port: int, server: subprocess.Popen, question: str) -> dict:
    """The API's answer once the server at `port` is up (it may take a while to start)."""
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as reply:
                assert json.load(reply)["status"] == "ok"
                break
        except OSError:
            assert server.poll() is None, server.stderr.read()
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)
    body = json.dumps({"question": question}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/ask", data=body, headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as reply:
        return json.load(reply)


def _stopped(server: subprocess.Popen) -> str:
    """Ask the server to stop as a service manager does (SIGTERM); its stderr."""
    server.terminate()
    try:
        return server.communicate(timeout=30)[1]
    except subprocess.TimeoutExpired:
        server.kill()
        server.communicate()
        raise


def test_serve_answers_over_http_and_stops_cleanly():
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "chat", "--lexical", "serve", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert _ask_over_http(port, server, "what does it pay?")["coverage"] == "covered"
    finally:
        err = _stopped(server)
    assert server.returncode == 143  # uvicorn shut down, then ended as SIGTERM says (the CLI's 143)
    assert f"127.0.0.1:{port}" in err and "Traceback" not in err
    assert err.splitlines()[-1] == "career-chat: stopped by SIGTERM"


def test_serve_on_every_address_prints_an_address_it_answers_at():
    # It printed http://0.0.0.0:PORT/, whose Host the server refuses over loopback.
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "chat", "--lexical", "serve", "--host", "0.0.0.0", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        line = server.stderr.readline()
        where = re.search(r" at (http://\S+/) ", line).group(1)
        assert where == f"http://127.0.0.1:{port}/", line
        assert _ask_over_http(port, server, "what does it pay?")["coverage"] == "covered"
    finally:
        _stopped(server)


def test_serve_with_workers_answers_from_the_named_article_and_ends_them_all(tmp_path):
    """Each worker starts afresh and reads the article the command named (not the bundled
    one) from the cache the command filled; stopping the command ends every worker."""
    port = _free_port()
    environment = {**os.environ, "CAREER_CHAT_CACHE": str(tmp_path / "cache")}
    server = subprocess.Popen(
        [sys.executable, "-m", "chat", "--lexical", "--article", str(DATA / "nurse.md"), "serve", "--workers", "2", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment, start_new_session=True,
    )
    try:
        answers = [_ask_over_http(port, server, "how much do nurses earn?") for _ in range(4)]
        assert all(a["citations"] and a["citations"][0]["article"] == "nurse" for a in answers), answers[0]
    finally:
        err = _stopped(server)
        left = _session_members(server.pid)
        for pid in left:
            os.kill(pid, signal.SIGKILL)
    assert left == [] and "Traceback" not in err, err
    assert server.returncode == 143 and err.splitlines()[-1] == "career-chat: stopped by SIGTERM", err


def test_serve_with_workers_and_no_article_serves_the_bundled_one_whatever_the_environment_names(tmp_path):
    """The workers serve what the command loaded: a CAREER_CHAT_ARTICLE left in the
    environment (uvicorn's factory reads it) is not taken over the command's own choice."""
    port = _free_port()
    environment = {**os.environ, "CAREER_CHAT_CACHE": str(tmp_path / "cache"), "CAREER_CHAT_ARTICLE": str(DATA / "nurse.md")}
    server = subprocess.Popen(
        [sys.executable, "-m", "chat", "--lexical", "serve", "--workers", "2", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment, start_new_session=True,
    )
    try:
        answers = [_ask_over_http(port, server, "what does it pay?") for _ in range(4)]
    finally:
        err = _ended(server)
    assert all(a["citations"] and a["citations"][0]["article"] != "nurse" for a in answers), err


def test_workers_that_cannot_load_the_article_end_serve_each_saying_why_in_one_line(tmp_path):
    """An article gone between the command's load and its workers' (or any failure to
    start): the workers say why, the command stops with its exit code. uvicorn restarted
    them for ever, each printing a traceback, and nothing was served."""
    port = _free_port()
    script = (
        "import sys, uvicorn\n"
        "from chat.web.serving import listening\n"
        "from chat.web.workers import run_workers\n"
        "config = uvicorn.Config('chat.web.server:from_environment', factory=True, workers=4, "
        f"host='127.0.0.1', port={port}, log_level='warning')\n"
        f"sys.exit(run_workers(config, listening('127.0.0.1', {port})))\n"
    )
    environment = {**os.environ, "CAREER_CHAT_ARTICLE": str(tmp_path / "gone.md"), "CAREER_CHAT_SEMANTIC": "off"}
    server = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment, start_new_session=True,
    )
    err = _ended(server, within=120)
    assert server.returncode == 2, err
    lines = err.splitlines()
    assert lines and all(line.startswith("career-chat: error: ") and "gone.md" in line for line in lines), err
    assert len(lines) <= 4, err  # one a worker, none started again


@pytest.mark.parametrize(
    "article, says",
    [
        ("gone.md", "gone.md: no such file or folder"),
        ("pay.md/inside.md", "cannot be opened"),  # a path through a file: not readable
        ("empty", "the folder holds no .md articles"),
        ("noise.md", "is a binary file, not a markdown article"),
    ],
)
def test_a_users_own_uvicorn_that_cannot_load_the_article_says_why_in_one_line(tmp_path, article, says):
    """`uvicorn --factory chat.web.server:from_environment` with a CAREER_CHAT_ARTICLE it
    cannot load printed a traceback: it says why in one line, naming the variable, and
    exits 2."""
    (tmp_path / "pay.md").write_text("# Pay\n\nIt pays well.\n", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    (tmp_path / "noise.md").write_bytes(bytes(range(256)) * 8)
    environment = {
        **os.environ,
        "CAREER_CHAT_ARTICLE": str(tmp_path / article),
        "CAREER_CHAT_SEMANTIC": "off",
        "CAREER_CHAT_CACHE": str(tmp_path / "cache"),
    }
    command = [sys.executable, "-m", "uvicorn", "--factory", "chat.web.server:from_environment", "--host", "127.0.0.1"]
    server = subprocess.Popen(
        [*command, "--port", str(_free_port())],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment, start_new_session=True,
    )
    err = _ended(server, within=120)
    assert server.returncode == 2, err
    assert "Traceback" not in err, err
    [line] = [line for line in err.splitlines() if line.startswith("career-chat: ")]
    assert line.startswith("career-chat: error: CAREER_CHAT_ARTICLE: ") and says in line, err


def _serving(*options: str) -> subprocess.Popen:
    """`career-chat --lexical serve OPTIONS` in a session of its own, so that every process
    it starts can be found (`_session_members`) and a signal can reach them all, as Ctrl-C does."""
    return subprocess.Popen(
        [sys.executable, "-m", "chat", "--lexical", "serve", *options],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )


def _ended(server: subprocess.Popen, within: float = 0) -> str:
    """Kill whatever is left of a test's server and its session, once it has ended by itself
    or `within` seconds have gone; the server's stderr."""
    try:
        server.wait(timeout=within)
    except subprocess.TimeoutExpired:
        pass
    for pid in _session_members(server.pid):
        os.kill(pid, signal.SIGKILL)
    if server.poll() is None:
        server.kill()
    return server.communicate(timeout=30)[1]


@pytest.mark.parametrize(
    "workers, signum, to_all",
    [
        ("1", signal.SIGHUP, True),
        ("2", signal.SIGINT, True),  # Ctrl-C: the terminal signals every process of the command
        ("2", signal.SIGTERM, False),  # kill, or a service manager
        ("2", signal.SIGHUP, True),  # the terminal closed (uvicorn restarts its workers on a SIGHUP of its own)
    ],
)
def test_serve_ends_on_a_signal_as_the_cli_does_whatever_its_workers(workers, signum, to_all):
    """With --workers N as with one: the workers end, the command says why in its last
    line and exits 128 + the signal's number (the README's 130 / 143 / 129)."""
    port = _free_port()
    server = _serving("--workers", workers, "--port", str(port))
    try:
        assert _ask_over_http(port, server, "what does it pay?")["coverage"] == "covered"
        if to_all:
            os.killpg(server.pid, signum)
        else:
            server.send_signal(signum)
        server.wait(timeout=60)
        left = _session_members(server.pid)
    finally:
        err = _ended(server)
    assert left == []
    assert server.returncode == 128 + signum
    assert err.splitlines()[-1] == ("career-chat: interrupted" if signum == signal.SIGINT else f"career-chat: stopped by {signum.name}"), err
    assert "Traceback" not in err and "Exception" not in err, err


def test_serve_workers_end_when_the_command_is_killed_outright():
    """`kill -9` gives the command no chance to end its workers: they notice and end
    themselves, rather than answer on the port with no command to stop them."""
    port = _free_port()
    server = _serving("--workers", "2", "--port", str(port))
    try:
        _ask_over_http(port, server, "what does it pay?")
        server.kill()
        server.wait(timeout=30)
        deadline = time.monotonic() + 60  # generous: a worker may still be loading the article
        while _session_members(server.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        left = _session_members(server.pid)
    finally:
        err = _ended(server)
    assert left == [], err


@pytest.mark.parametrize("value", ["", "0", "-1", "+5", " 5", "5 ", "5x", "0x10", "٥", "1" * 11])
def test_a_serve_pid_from_the_environment_is_a_plain_number_or_nothing(value):
    from chat.web.workers import serve_pid

    assert serve_pid(value) is None
    assert serve_pid("4242") == 4242


def _session_members(sid: int) -> list[int]:
    """Live processes of the session `sid` (the server started it): its workers, if any remain."""
    members = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text() if entry.name.isdigit() else ""
        except OSError:  # ended meanwhile
            continue
        fields = stat[stat.rindex(")") + 2 :].split() if stat else []
        if fields and int(fields[3]) == sid and fields[0] != "Z":
            members.append(int(entry.name))
    return members


def test_serve_with_a_missing_article_or_a_busy_port_says_so_in_one_line(tmp_path):
    missing = _run("--article", str(tmp_path / "nope.md"), "serve", "--port", str(_free_port()))
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1 and "nope.md" in missing.stderr
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        taken = _run("serve", "--port", str(port))
    assert taken.returncode == 2 and "try --port" in taken.stderr and "Traceback" not in taken.stderr
    bad = _run("serve", "--port", "70000")
    assert bad.returncode == 2 and "not a port" in bad.stderr


def test_serve_refuses_an_empty_host_rather_than_serve_every_address():
    """`--host "$HOST"` with HOST unset served on every address (0.0.0.0 and ::) and said
    "http://:8000/"."""
    empty = _run("serve", "--host", "", "--port", str(_free_port()))
    assert empty.returncode == 2 and empty.stderr == (
        "career-chat: error: --host is empty; give an address of this computer (127.0.0.1 serves this computer only)\n"
    )


def test_a_port_taken_while_the_article_loads_is_said_before_serving(capsys):
    """Another program took the port after serve checked it, while a slow article loaded:
    "serving" was said, then uvicorn's own error and exit 3."""
    import argparse

    from chat.web.serving import ServeError, serve
    from knowledge import KnowledgeBase

    port = _free_port()
    taken = []

    def load():  # the port is taken meanwhile
        taken.append(socket.create_server(("127.0.0.1", port)))
        return KnowledgeBase.load(semantic=False)

    args = argparse.Namespace(host="127.0.0.1", port=port, workers=1)
    try:
        with pytest.raises(ServeError, match=rf"cannot listen on 127.0.0.1:{port}: another program is using the port"):
            serve(args, load)
    finally:
        for sock in taken:
            sock.close()
    assert taken and "serving" not in capsys.readouterr().err


def test_a_busy_port_suggests_one_that_is_free_or_none():
    from chat.web.serving import cannot_listen

    busy = OSError(errno.EADDRINUSE, "in use")
    with contextlib.ExitStack() as held:
        # A busy port whose next port is busy too: the one suggested is free when said.
        for _ in range(20):
            first = held.enter_context(socket.create_server(("127.0.0.1", 0)))
            port = first.getsockname()[1]
            try:
                held.enter_context(socket.create_server(("127.0.0.1", port + 1)))
            except OSError:
                continue
            break
        else:
            pytest.skip("no two neighbouring ports could be held")
        said = cannot_listen("127.0.0.1", port, socket.AF_INET, busy)
        suggested = int(re.search(r"try --port (\d+)", said).group(1))
        assert suggested > port + 1
        socket.create_server(("127.0.0.1", suggested)).close()
    # The last port has none after it: no port past 65535 is suggested.
    assert "give another --port" in cannot_listen("127.0.0.1", 65535, socket.AF_INET, busy)


def test_serve_on_a_host_that_is_not_this_computers_blames_the_host_not_the_port():
    port = str(_free_port())
    unknown = _run("serve", "--host", "not.a.host.invalid", "--port", port)
    assert unknown.returncode == 2 and unknown.stderr.count("\n") == 1, unknown.stderr
    assert "--host 'not.a.host.invalid' is not an address of this computer" in unknown.stderr
    assert "try --port" not in unknown.stderr


@pytest.mark.parametrize("host", ["not.a.host.invalid", "192.0.2.1", "999.1.1.1"])  # 192.0.2.1: a documentation address
def test_a_host_that_is_not_this_computers_is_said_as_such(host):
    from chat.web.serving import ServeError, check_options

    with pytest.raises(ServeError, match="is not an address of this computer") as said:
        check_options(host, _free_port(), 1)
    assert "try --port" not in str(said.value)


def test_an_ipv6_address_of_this_computer_is_accepted():
    from chat.web.serving import check_options

    try:
        socket.create_server(("::1", 0), family=socket.AF_INET6).close()
    except OSError:
        pytest.skip("no IPv6 loopback here")
    check_options("::1", _free_port(), 1)
    # Written as a web address writes it, too: the brackets are not the address's.
    from chat.cli import build_parser

    check_options(build_parser().parse_args(["serve", "--host", "[::1]"]).host, _free_port(), 1)


def test_ask_does_not_import_the_web_stack():
    code = (
        "import sys, chat.cli; chat.cli.main(['--lexical', 'ask', '--json', 'what does it pay']);"
        "print(sorted(m for m in ('fastapi', 'starlette', 'uvicorn') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_workers_are_given_a_web_address_as_it_is_and_a_path_made_absolute(tmp_path, monkeypatch):
    from chat.web.serving import for_workers

    assert for_workers("https://example.org/careers/nurse") == "https://example.org/careers/nurse"
    monkeypatch.chdir(tmp_path)
    assert for_workers("nurse.md") == str(tmp_path / "nurse.md")


class _Broken:
    """A knowledge base whose passages cannot be read: a bug met mid-request."""

    def __init__(self, kb):
        self._kb = kb

    def __getattr__(self, name):
        return getattr(self._kb, name)

    def section(self, section_id):
        raise RuntimeError("the passage store broke")


def test_a_bug_is_a_json_500_with_the_security_headers_and_one_line_not_a_traceback(kb, capfd):
    """Starlette's handler answered outside every middleware (a 500 without the page's CSP,
    nosniff or no-store) and raised the error again, which uvicorn printed as a traceback."""
    with TestClient(create_app(_Broken(kb), store=ConversationStore(kb))) as broken:
        reply = broken.get("/api/sections/compensation")
    assert reply.status_code == 500 and reply.json() == {"detail": "internal error; please report it"}
    assert reply.headers["x-content-type-options"] == "nosniff" and reply.headers["cache-control"] == "no-store"
    assert "content-security-policy" in reply.headers
    err = capfd.readouterr().err
    assert err == "career-chat: internal error: RuntimeError: the passage store broke; please report it\n"


@pytest.mark.parametrize("sent", ["bytes=abc", "bytes=10-5", "items=0-5", "bytes=99999999-"])
def test_a_files_range_header_is_ignored_and_the_file_sent_whole(client, sent):
    """A malformed Range got a text/plain 400, an unsatisfiable one an empty 416."""
    for path in ("/", "/static/app.js"):
        whole = client.get(path)
        reply = client.get(path, headers={"Range": sent})
        assert reply.status_code == 200 and reply.content == whole.content
        assert "accept-ranges" not in reply.headers  # nor offered


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_a_body_with_nan_or_infinity_is_not_json(client, constant):
    reply = client.post("/api/ask", content=f'{{"question": "pay?", "x": {constant}}}', headers={"content-type": "application/json"})
    assert reply.status_code == 400 and reply.json()["detail"].startswith("the body is not valid JSON")


@pytest.mark.parametrize("path", ["/api/topics/", "/healthz/", "/static"])
def test_a_path_with_a_slash_too_many_or_too_few_is_a_json_404(client, path):
    """They were bare 307 redirects (and /static to /static/, itself a 404)."""
    reply = client.get(path, follow_redirects=False)
    assert reply.status_code == 404 and reply.json()["detail"].startswith("no such page")
    assert client.post("/api/ask/", json={"question": "pay?"}, follow_redirects=False).status_code == 404


def test_health_is_not_stored_by_caches(client):
    assert client.get("/healthz").headers["cache-control"] == "no-store"
