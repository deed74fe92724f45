"""Speed and scale figures for career-chat. Run: `python benchmarks/run.py` (about ten minutes).

bm25s and tantivy are reference rows, installed for the benchmark only
(`pip install bm25s tantivy`); without them the table says so.

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


def load_time(path: Path | None, runs: int) -> float:
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


# Every runtime dependency but nltk (a cache miss only) and textual (the app only).
IMPORTS = "import numpy, pydantic, rank_bm25, frontmatter, rapidfuzz, platformdirs, Stemmer, onnxruntime, tokenizers"


def cold_cli(runs: int) -> dict:
    """`career-chat ask` (article cached) against importing its dependencies alone,
    alternating, with meaning on and with --lexical; and once with nothing cached."""
    baseline = [PYTHON, "-c", IMPORTS]
    meaning = [CLI, "ask", "what does a prompt engineer earn?"]
    lexical = [CLI, "--lexical", "ask", "what does a prompt engineer earn?"]
    timed(baseline), timed(meaning), timed(lexical)  # warm the file and article caches
    rows = {"imports": [], "meaning": [], "lexical": []}
    for _ in range(runs):
        rows["imports"].append(timed(baseline))
        rows["meaning"].append(timed(meaning))
        rows["lexical"].append(timed(lexical))
    empty = tempfile.mkdtemp(prefix="career-chat-cold-")
    try:
        uncached = timed(meaning, env={**os.environ, "CAREER_CHAT_CACHE": empty})
    finally:
        shutil.rmtree(empty, ignore_errors=True)
    ratio = {k: round(statistics.median(a / b for a, b in zip(v, rows["imports"])), 2) for k, v in rows.items() if k != "imports"}
    return {
        "imports_ms": median_ms(rows["imports"]),
        "ask_meaning_ms": median_ms(rows["meaning"]),
        "ask_lexical_ms": median_ms(rows["lexical"]),
        "ratio_meaning": ratio["meaning"],
        "ratio_lexical": ratio["lexical"],
        "ask_nothing_cached_ms": round(uncached * 1000),
    }


_TUI_PROBE = """
import asyncio, sys, time
start = time.perf_counter()
from textual.app import App
from textual.widgets import Input
if sys.argv[1] == "career-chat":
    from chat.app import CareerChat
    def load():  # as `career-chat` does: the engine is imported in the app's worker
        from knowledge import KnowledgeBase
        return KnowledgeBase.load()
    app = CareerChat(load=load)
else:
    class OneInput(App):
        def compose(self):
            yield Input()
    app = OneInput()
async def main():
    async with app.run_test(size=(80, 24)) as pilot:
        box = app.query_one(Input)
        while not (box.has_focus or app.focused is box):
            box.focus()
            await pilot.pause(0.001)
        print(time.perf_counter() - start)
asyncio.run(main())
"""


def tui_ready(runs: int) -> dict:
    """From process start to the question box taking input (Pilot, headless), against a
    Textual app of one Input measured the same way, alternating."""
    samples: dict[str, list[float]] = {"career-chat": [], "one-input": []}
    for _ in range(runs):
        for which in samples:
            out = subprocess.run([PYTHON, "-c", _TUI_PROBE, which], capture_output=True, text=True, cwd=ROOT, check=True)
            samples[which].append(float(out.stdout.strip().splitlines()[-1]))
    ratio = statistics.median(a / b for a, b in zip(samples["career-chat"], samples["one-input"]))
    return {"app_ms": median_ms(samples["career-chat"]), "one_input_ms": median_ms(samples["one-input"]), "ratio": round(ratio, 2)}


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


# Shared by the probes below: each process's own peak memory, and ask() timed per question.
_PEAK = """
import resource

def peak_mb():
    # VmHWM is this process's own peak: ru_maxrss carries the parent's over a fork and exec.
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""

_TIMED_ASKS = """
samples = []
for _ in range(3):
    for q in questions:
        t = time.perf_counter()
        ask(q)
        samples.append(time.perf_counter() - t)
samples.sort()
"""

_SCALE_PROBE = _PEAK + """
import json, sys, time
from pathlib import Path

from chat.libraries import keep_out_unused_libraries

keep_out_unused_libraries()  # as the command does
start = time.perf_counter()
from knowledge import KnowledgeBase
from knowledge.evaluation import read_questions
kb = KnowledgeBase.load(Path(sys.argv[1]), semantic=sys.argv[2] == "meaning", wait=False)
loaded = time.perf_counter() - start
kb.ask("what does it pay?")
first = time.perf_counter() - start  # the first answer: words, with what meaning is in
kb.wait()
complete = time.perf_counter() - start
questions = [q.question for name in ("dev.jsonl", "dev-more.jsonl") for q in read_questions(Path("tests/data") / name)]
for q in questions:
    kb.ask(q)
ask = kb.ask
""" + _TIMED_ASKS + """print(json.dumps({"load_s": loaded, "first_s": first, "complete_s": complete, "peak_mb": peak_mb(),
                  "passages": len(kb.sections), "p50_ms": samples[len(samples) // 2] * 1000,
                  "p99_ms": samples[int(len(samples) * 0.99)] * 1000}))
"""

_REFERENCE_PROBE = _PEAK + """
import json, sys, time

texts = json.loads(open(sys.argv[1], encoding="utf-8").read())
questions = json.loads(open(sys.argv[3], encoding="utf-8").read())
start = time.perf_counter()
if sys.argv[2] == "bm25s":
    import bm25s, Stemmer
    stemmer = Stemmer.Stemmer("english")
    index = bm25s.BM25()
    index.index(bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, show_progress=False), show_progress=False)
    def ask(q):
        index.retrieve(bm25s.tokenize([q], stopwords="en", stemmer=stemmer, show_progress=False), k=10, show_progress=False)
else:
    import re, tantivy
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("body", stored=False, tokenizer_name="en_stem")
    index = tantivy.Index(builder.build())
    writer = index.writer()
    for text in texts:
        writer.add_document(tantivy.Document(body=text))
    writer.commit()
    index.reload()
    searcher = index.searcher()
    def ask(q):
        words = " ".join(re.findall(r"[A-Za-z0-9]+", q)) or "x"
        searcher.search(index.parse_query(words, ["body"]), 10)
built = time.perf_counter() - start
""" + _TIMED_ASKS + """print(json.dumps({"index_s": built, "p50_ms": samples[len(samples) // 2] * 1000,
                  "p99_ms": samples[int(len(samples) * 0.99)] * 1000,
                  "peak_mb": peak_mb()}))
"""


def probe(script: str, *args: str, env: dict | None = None) -> dict:
    out = subprocess.run([PYTHON, "-c", script, *args], capture_output=True, text=True, cwd=ROOT, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


WARM_RUNS = 5


def scale(count: int, modes: tuple[str, ...] = ("lexical", "meaning"), references: bool = True, warm_runs: int = 5) -> dict:
    """A generated folder: first answer and meaning complete (first load), load from the
    cache, ask, memory; each mode in fresh processes. bm25s and tantivy index the same
    passages as reference rows, where installed."""
    folder = Path(tempfile.mkdtemp(prefix="career-chat-bench-"))
    try:
        generate_corpus(folder, count)
        figures: dict = {"articles": count, "load_average": os.getloadavg()}
        for mode in modes:
            cache = Path(tempfile.mkdtemp(prefix="career-chat-cache-"))
            env = {**os.environ, "CAREER_CHAT_CACHE": str(cache)}
            try:
                cold = probe(_SCALE_PROBE, str(folder), mode, env=env)
                # Five loads from the cache: on this machine one load can take a fifth more
                # or less than the next, and a median of two is their mean.
                warm = [probe(_SCALE_PROBE, str(folder), mode, env=env) for _ in range(warm_runs)]
            finally:
                shutil.rmtree(cache, ignore_errors=True)
            figures["passages"] = cold["passages"]
            figures[mode] = {
                "first_answer_s": round(cold["first_s"], 2),
                "complete_s": round(cold["complete_s"], 2),
                "load_warm_s": round(statistics.median(w["load_s"] for w in warm), 2),
                "peak_mb_cold": round(cold["peak_mb"]),
                "peak_mb_warm": round(max(w["peak_mb"] for w in warm)),
                "ask_p50_ms": round(statistics.median(w["p50_ms"] for w in warm), 2),
                "ask_p99_ms": round(statistics.median(w["p99_ms"] for w in warm), 2),
            }
        figures["load_average_after"] = os.getloadavg()
        if not references:
            return figures
        passages = folder / "passages.json"
        questions = folder / "questions.json"
        passages.write_text(json.dumps([s.text for s in KnowledgeBase.load(folder, semantic=False).sections]))
        questions.write_text(json.dumps(QUESTIONS))
        for reference in ("bm25s", "tantivy"):
            try:
                __import__(reference)
            except ImportError:
                figures[reference] = f"not installed (pip install {reference})"
                continue
            row = probe(_REFERENCE_PROBE, str(passages), reference, str(questions))
            figures[reference] = {k: round(v, 2) for k, v in row.items()}
        return figures
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    # Programs run as installed ones do: pip writes their bytecode at install, so a start
    # reads .pyc files. Where PYTHONDONTWRITEBYTECODE is set (it is on this project's
    # machines), an editable checkout would compile its own modules on every start while
    # the libraries it is compared with load theirs precompiled.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=1000, help="size of the generated corpus for the scale figures")
    parser.add_argument("--quick", action="store_true", help="fewer repeats, 100 articles: a smoke run")
    parser.add_argument("--json", metavar="FILE", help="also write the figures to FILE")
    parser.add_argument("--scale-only", action="store_true", help="only the generated folder's rows")
    parser.add_argument("--lexical-only", action="store_true", help="with --scale-only: words only (a 10,000-article row)")
    parser.add_argument("--warm", type=int, default=WARM_RUNS, help="loads from the cache to take the median of")
    args = parser.parse_args()
    if args.scale_only:
        modes = ("lexical",) if args.lexical_only else ("lexical", "meaning")
        figures = {"scale": scale(args.articles, modes, references=False, warm_runs=args.warm)}
        print(json.dumps(figures, indent=2))
        if args.json:
            Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
        return
    repeats = 3 if args.quick else 15
    count = 100 if args.quick else args.articles
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"
    print(f"machine: {machine}")
    figures = {
        "ask_bundled_meaning": ask_latency(KnowledgeBase.load(semantic=True), rounds=repeats * 2),
        "ask_bundled_lexical": ask_latency(KnowledgeBase.load(semantic=False), rounds=repeats * 2),
        "load_bundled_ms": load_time(None, repeats),
        "cold_cli": cold_cli(repeats),
        "app_ready": tui_ready(max(3, repeats // 3)),
        "scale": scale(count),
    }
    print(json.dumps(figures, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps({"machine": machine, **figures}, indent=2) + "\n")


if __name__ == "__main__":
    main()
