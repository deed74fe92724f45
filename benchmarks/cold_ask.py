"""A cold `career-chat ask` against importing its dependencies alone, in installed environments.

Run: `python benchmarks/cold_ask.py [--rounds N] ENV [ENV ...]`, each ENV a virtual
environment where career-chat is installed with `pip install .` (not editable) and its
bytecode compiled (`python -m compileall -q ENV/lib`). Each round runs the baseline import
and then every environment's `career-chat ask` (in turn first and last), so that a change is measured
against the code before it in the same run: give the environment of the old code and the
one of the new. Prints each one's median time and its median ratio to the baseline (the
baseline is the first environment's Python).

The machine is shared and noisy: trust ratios over many rounds, never one run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import time
from pathlib import Path

# Every runtime dependency an ask with meaning uses (not nltk: a cache miss only; not
# textual: the app only), imported as a plain program would.
IMPORTS = "import numpy, pydantic, rank_bm25, frontmatter, rapidfuzz, platformdirs, Stemmer, onnxruntime, tokenizers"
QUESTION = "what does a prompt engineer earn?"


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("envs", nargs="+", type=Path, help="virtual environments with career-chat installed")
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--lexical", action="store_true", help="ask by words alone")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    baseline = [str(args.envs[0] / "bin" / "python"), "-c", IMPORTS]
    asks = [[str(e / "bin" / "career-chat"), *(["--lexical"] if args.lexical else []), "ask", QUESTION] for e in args.envs]
    for command in (baseline, *asks):  # warm the file and article caches
        timed(command, env)
    base: list[float] = []
    times: list[list[float]] = [[] for _ in asks]
    for round_ in range(args.rounds):
        base.append(timed(baseline, env))
        order = list(zip(times, asks))
        for samples, command in order[:: -1 if round_ % 2 else 1]:  # neither always runs first
            samples.append(timed(command, env))
    print(f"baseline import: {statistics.median(base) * 1000:.0f} ms")
    for path, samples in zip(args.envs, times):
        ratio = statistics.median(t / b for t, b in zip(samples, base))
        print(f"{path}: ask {statistics.median(samples) * 1000:.0f} ms, ratio {ratio:.2f}")
    if len(times) > 1:
        for path, samples in zip(args.envs[1:], times[1:]):
            ratio = statistics.median(t / o for t, o in zip(samples, times[0]))
            print(f"{path} / {args.envs[0]}: {ratio:.3f}")


if __name__ == "__main__":
    main()
