"""The first question after the server starts: `ip-assistant chat --no-ingest` in a fresh process over
the bundled articles (bench_load's local server), the first question and a second one over
POST /api/ask, timed from the moment the server answers its health check.

    python -m tests.benchmarks.bench_first_question [--runs 3]

Prints each run and the medians.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from tests.benchmarks.bench_load import local_server

# Neither is one of the warm-up questions (assistant/warmup.py).
QUESTIONS = ("大连知识产权质押融资贷款额是多少?", "What has Dalian done to protect intellectual property?")


def one_run() -> list[float]:
    """Seconds of each question, the first asked as soon as the server answers."""
    import httpx

    with local_server() as url:
        seconds = []
        for question in QUESTIONS:
            started = time.perf_counter()
            reply = httpx.post(f"{url}/api/ask", json={"question": question}, timeout=300)
            reply.raise_for_status()
            seconds.append(time.perf_counter() - started)
    return seconds


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    runs = []
    for i in range(args.runs):
        first, second = one_run()
        runs.append((first, second))
        print(f"run {i + 1}: first question {first:.2f} s, second {second:.2f} s", flush=True)
    first, second = (statistics.median(r[k] for r in runs) for k in range(2))
    print(f"median of {args.runs}: first question {first:.2f} s, second {second:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
