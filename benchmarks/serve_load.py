"""Load test for `career-chat serve`: many clients asking at once against a local server.

Run: `python benchmarks/serve_load.py` (a few minutes). It starts `career-chat serve` on a
free 127.0.0.1 port with the bundled article, warms it up, then has CLIENTS clients ask
QUESTIONS questions between them as fast as answers come back. Each client asks a
question, then a follow-up in the same conversation ("tell me more", "why?") half the
time, and starts a new conversation every two questions, so the server sees more
conversations than its store keeps (the cap is what keeps memory flat). Reports failed
requests, p50/p99 latency, throughput, and the server's resident memory before, during
and after; stops the server in every case.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from knowledge.evaluation import read_questions  # noqa: E402

FOLLOW_UPS = ["tell me more", "why?", "and the pay?", "go on", "what about it?"]


def question_pool() -> list[str]:
    names = ("dev.jsonl", "dev-more.jsonl", "real.jsonl")
    asked = [q.question for name in names for q in read_questions(ROOT / "tests" / "data" / name)]
    everyday = [line.strip() for line in (ROOT / "tests" / "data" / "everyday.txt").read_text().splitlines()]
    return asked + [line for line in everyday if line and not line.startswith("#")][:40]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError("no VmRSS")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_up(url: str, server: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped: {server.stderr.read()}")
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("the server did not start")


async def run_clients(url: str, total: int, clients: int, pool: list[str], seed: int, on_progress) -> dict:
    rng = random.Random(seed)
    plan = [rng.choice(pool) for _ in range(total)]
    latencies: list[float] = []
    failures: list[str] = []
    statuses: dict[int, int] = {}
    next_index = 0
    conversations = set()

    async def client(number: int, http: httpx.AsyncClient) -> None:
        nonlocal next_index
        conversation = None
        asked_here = 0
        while next_index < total:
            index = next_index
            next_index += 1
            if asked_here % 2 == 0:
                conversation, question = None, plan[index]  # a new conversation every two questions
            else:
                question = FOLLOW_UPS[index % len(FOLLOW_UPS)] if index % 2 else plan[index]
            asked_here += 1
            start = time.perf_counter()
            try:
                reply = await http.post(url + "/api/ask", json={"question": question, "conversation_id": conversation})
                latencies.append(time.perf_counter() - start)
                statuses[reply.status_code] = statuses.get(reply.status_code, 0) + 1
                if reply.status_code != 200:
                    failures.append(f"{reply.status_code}: {reply.text[:200]}")
                    continue
                conversation = reply.json()["conversation_id"]
                conversations.add(conversation)
            except httpx.HTTPError as error:
                failures.append(f"{type(error).__name__}: {error}")
            on_progress(len(latencies) + len(failures))

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    started = time.perf_counter()
    async with httpx.AsyncClient(timeout=120, limits=limits) as http:
        await asyncio.gather(*(client(n, http) for n in range(clients)))
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "requests": total,
        "failed": len(failures),
        "failures": failures[:5],
        "statuses": statuses,
        "conversations_started": len(conversations),
        "seconds": round(elapsed, 1),
        "throughput_per_s": round(total / elapsed, 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p90_ms": round(ordered[int(0.90 * (len(ordered) - 1))] * 1000, 1),
        "p99_ms": round(ordered[int(0.99 * (len(ordered) - 1))] * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--questions", type=int, default=5000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "chat", "serve", "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        wait_up(url, server)
        memory = {"started_mb": rss_mb(server.pid)}
        pool = question_pool()
        asyncio.run(run_clients(url, args.warmup, min(args.clients, 10), pool, 1, lambda done: None))
        memory["after_warmup_mb"] = rss_mb(server.pid)
        samples: list[tuple[int, float]] = []
        step = max(args.questions // 10, 1)

        def progress(done: int) -> None:
            if done % step == 0:
                samples.append((done, rss_mb(server.pid)))

        figures = asyncio.run(run_clients(url, args.questions, args.clients, pool, 2, progress))
        memory["after_run_mb"] = rss_mb(server.pid)
        memory["during_run_mb"] = samples
        health = httpx.get(url + "/healthz", timeout=10).json()
        result = {
            "clients": args.clients,
            **figures,
            "memory": memory,
            "semantic": health["semantic"],
            "conversations_kept": health["conversations"],
            "cpu_count": os.cpu_count(),
            "load_average": os.getloadavg()[0],
        }
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:>22}: {value}")
    return 1 if result["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
