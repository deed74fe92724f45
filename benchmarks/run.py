"""Speed and scale figures for career-chat. Run: `python benchmarks/run.py` (a few minutes).

Every figure is a median over repeated runs; comparisons are ratios measured in the same
run, alternating the two sides, because absolute times on a shared machine are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from knowledge import KnowledgeBase  # noqa: E402
from knowledge.evaluation import read_questions  # noqa: E402

QUESTIONS = [q.question for name in ("dev.jsonl", "dev-more.jsonl") for q in read_questions(ROOT / "tests" / "data" / name)]
PYTHON = sys.executable
CLI = str(Path(PYTHON).parent / "career-chat")


def median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 3)


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def ask_latency(kb: KnowledgeBase, rounds: int) -> dict:
    for q in QUESTIONS:  # warm the analyzer's caches, as a running session would be
        kb.ask(q)
    samples = []
    for _ in range(rounds):
        for q in QUESTIONS:
            start = time.perf_counter()
            kb.ask(q)
            samples.append(time.perf_counter() - start)
    return {"p50_ms": round(percentile(samples, 0.5) * 1000, 3), "p99_ms": round(percentile(samples, 0.99) * 1000, 3), "n": len(samples)}


def load_time(path: Path | None, runs: int, env_cache: str | None = None) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        KnowledgeBase.load(path)
        samples.append(time.perf_counter() - start)
    return median_ms(samples)


def timed(command: list[str], env: dict | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
    return time.perf_counter() - start


def cold_cli(runs: int) -> dict:
    """`career-chat ask` against importing its dependencies alone, alternating."""
    baseline = [PYTHON, "-c", "import nltk, rank_bm25, pydantic, frontmatter"]
    ask = [CLI, "ask", "what does a prompt engineer earn?"]
    timed(baseline), timed(ask)  # warm the file cache
    ratios, asks, bases = [], [], []
    for _ in range(runs):
        b = timed(baseline)
        a = timed(ask)
        bases.append(b)
        asks.append(a)
        ratios.append(a / b)
    return {"ask_ms": median_ms(asks), "imports_ms": median_ms(bases), "ratio": round(statistics.median(ratios), 2)}


_TUI_PROBE = """
import asyncio, sys, time
start = time.perf_counter()
from knowledge import KnowledgeBase
from chat.app import CareerChat
from chat.widgets import QuestionInput
async def main():
    app = CareerChat(KnowledgeBase.load())
    async with app.run_test(size=(80, 24)) as pilot:
        box = app.query_one(QuestionInput)
        while not (box.has_focus and box.is_mounted):
            await pilot.pause(0.001)
        print(time.perf_counter() - start)
asyncio.run(main())
"""


def tui_ready(runs: int) -> float:
    """From process start to the question box taking input (Pilot, headless)."""
    samples = []
    for _ in range(runs):
        out = subprocess.run([PYTHON, "-c", _TUI_PROBE], capture_output=True, text=True, cwd=ROOT, check=True)
        samples.append(float(out.stdout.strip().splitlines()[-1]))
    return median_ms(samples)


def generate_corpus(folder: Path, count: int, seed: int = 7) -> None:
    """Articles made from the bundled one: sections recombined, words shuffled in each sentence."""
    kb = KnowledgeBase.load()
    rng = random.Random(seed)
    sections = kb.sections
    for n in range(count):
        lines = ["---", f"title: Generated career article {n}", "---", ""]
        for m, section in enumerate(rng.sample(sections, k=min(12, len(sections)))):
            title = section.title.split()
            rng.shuffle(title)
            lines += [f"## {' '.join(title)} {n}-{m}", ""]
            for sentence in section.sentences:
                words = sentence.text.rstrip(".?!").split()
                rng.shuffle(words)
                lines.append(" ".join(words).capitalize() + ".")
            lines.append("")
        (folder / f"article-{n:04d}.md").write_text("\n".join(lines), encoding="utf-8")


_SCALE_PROBE = """
import json, resource, sys, time
from pathlib import Path
start = time.perf_counter()
from knowledge import KnowledgeBase
kb = KnowledgeBase.load(Path(sys.argv[1]))
loaded = time.perf_counter() - start
print(json.dumps({"load_s": loaded, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "passages": len(kb.sections)}))
"""


def scale(count: int) -> dict:
    from rank_bm25 import BM25Okapi

    folder = Path(tempfile.mkdtemp(prefix="career-chat-bench-"))
    cache = Path(tempfile.mkdtemp(prefix="career-chat-cache-"))
    try:
        generate_corpus(folder, count)
        env = {**os.environ, "CAREER_CHAT_CACHE": str(cache)}
        runs = []
        for label in ("cold", "warm", "warm"):
            out = subprocess.run([PYTHON, "-c", _SCALE_PROBE, str(folder)], capture_output=True, text=True, cwd=ROOT, env=env, check=True)
            runs.append((label, json.loads(out.stdout)))
        env_nocache = {**os.environ, "CAREER_CHAT_CACHE": "off"}
        out = subprocess.run([PYTHON, "-c", _SCALE_PROBE, str(folder)], capture_output=True, text=True, cwd=ROOT, env=env_nocache, check=True)
        uncached = json.loads(out.stdout)

        os.environ["CAREER_CHAT_CACHE"] = str(cache)
        kb = KnowledgeBase.load(folder)
        ours = ask_latency(kb, rounds=3)
        corpus = [s.text.lower().split() for s in kb.sections]
        baseline = BM25Okapi(corpus)
        plain_samples, our_samples = [], []
        for q in QUESTIONS:  # alternate the two, question by question
            start = time.perf_counter()
            baseline.get_scores(q.lower().split())
            plain_samples.append(time.perf_counter() - start)
            start = time.perf_counter()
            kb.ask(q)
            our_samples.append(time.perf_counter() - start)
        return {
            "articles": count,
            "passages": runs[0][1]["passages"],
            "load_cold_s": round(runs[0][1]["load_s"], 2),
            "load_warm_s": round(statistics.median(r[1]["load_s"] for r in runs[1:]), 2),
            "load_without_cache_s": round(uncached["load_s"], 2),
            "peak_mb_cold": round(runs[0][1]["peak_mb"]),
            "peak_mb_warm": round(runs[-1][1]["peak_mb"]),
            "ask_p50_ms": ours["p50_ms"],
            "ask_p99_ms": ours["p99_ms"],
            "plain_bm25okapi_p50_ms": round(percentile(plain_samples, 0.5) * 1000, 3),
            "ask_to_plain_bm25_ratio": round(statistics.median(o / p for o, p in zip(our_samples, plain_samples)), 2),
        }
    finally:
        os.environ.pop("CAREER_CHAT_CACHE", None)
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=1000, help="size of the generated corpus for the scale figures")
    parser.add_argument("--quick", action="store_true", help="fewer repeats, 100 articles: a smoke run")
    args = parser.parse_args()
    repeats = 3 if args.quick else 15
    count = 100 if args.quick else args.articles
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"
    print(f"machine: {machine}")
    kb = KnowledgeBase.load()
    figures = {
        "ask_bundled": ask_latency(kb, rounds=repeats * 2),
        "load_bundled_ms": load_time(None, repeats),
        "cold_cli": cold_cli(repeats),
        "tui_ready_ms": tui_ready(max(3, repeats // 3)),
        "scale": scale(count),
    }
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
