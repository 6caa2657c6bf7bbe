"""Memory of opening an existing data folder (a store bench_growth kept with --data-dir) and
answering over it: resident memory and peak after each phase of the keyword index (reading and
analysing chunks, BM25 matrix, saving), then after warm questions. With --serve, the same for a
real `ip-assistant chat --no-ingest` process asked over its HTTP API. With --cold, the keyword
cache is deleted first (a replica with no cache). Work on a copy: --cold deletes the cache.

    python -m tests.benchmarks.profile_memory DATA_DIR [--cold] [--serve] [--questions 40]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tests.benchmarks.bench_growth import bench_data, load_squad, peak_mb, percentile, rss_mb

STARTED = time.perf_counter()


def mark(label: str, rss: float, peak: float) -> None:
    print(
        f"{label:34s} RSS {rss:6.0f} MB  peak {peak:6.0f} MB  {time.perf_counter() - STARTED:6.1f} s  "
        f"load {os.getloadavg()[0]:.1f}",
        flush=True,
    )


def here(label: str) -> None:
    mark(label, rss_mb(), peak_mb())


def _wrap(module: Any, name: str) -> None:
    """Mark the start and end of module.name (if the module has one)."""
    inner: Callable[..., Any] | None = getattr(module, name, None)
    if inner is None:
        return

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        here(f"{name} begins")
        try:
            return inner(*args, **kwargs)
        finally:
            here(f"{name} ends")

    setattr(module, name, wrapped)


def in_process(data_dir: Path, questions: list[str]) -> None:
    from assistant.pipeline import Assistant
    from assistant.settings import Settings
    from index import keyword
    from index.store import Store

    here("imports")
    chunks = Store.all_chunks

    def counted(self: Store) -> Iterator[Any]:
        for n, chunk in enumerate(chunks(self), 1):
            if n % 25000 == 0:
                here(f"{n:,} chunks read and analysed")
            yield chunk

    Store.all_chunks = counted  # type: ignore[method-assign]
    for name in ("build_from_store", "bm25_matrix", "save"):
        _wrap(keyword, name)
    assistant = Assistant(Settings(data_dir=data_dir))
    here("assistant open")
    timed(lambda q: assistant.answer(q), questions, here)


def timed(ask: Callable[[str], Any], questions: list[str], report: Callable[[str], None]) -> None:
    for question in questions[:5]:
        ask(question)
    report("5 warm-up questions")
    latencies = []
    for question in questions:
        t = time.perf_counter()
        ask(question)
        latencies.append((time.perf_counter() - t) * 1000)
    report(f"{len(questions)} questions")
    print(f"answer p50 {percentile(latencies, 0.5):.1f} ms, p95 {percentile(latencies, 0.95):.1f} ms")


def served(data_dir: Path, questions: list[str], port: int) -> None:
    cli = Path(sys.executable).with_name("ip-assistant")  # the installed command, as people run it
    command = [str(cli), "--data-dir", str(data_dir), "chat", "--no-ingest"]
    proc = subprocess.Popen([*command, "--port", str(port)])
    url = f"http://127.0.0.1:{port}"

    def report(label: str) -> None:
        status = dict(
            line.split(":", 1) for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines()
        )
        kb = {k: int(status[k].split()[0]) / 1024 for k in ("VmRSS", "VmHWM", "RssAnon", "RssFile")}
        mark(label, kb["VmRSS"], kb["VmHWM"])
        print(f"{'':34s} (anonymous {kb['RssAnon']:.0f} MB, file-backed {kb['RssFile']:.0f} MB)")

    def ask(question: str) -> None:
        body = json.dumps({"question": question}).encode()
        request = urllib.request.Request(url + "/api/ask", body, {"content-type": "application/json"})
        urllib.request.urlopen(request, timeout=600).read()

    try:
        while True:
            try:
                urllib.request.urlopen(url + "/api/health", timeout=600).read()
                break
            except OSError:
                if proc.poll() is not None:
                    raise SystemExit("the server stopped") from None
                time.sleep(1)
        report("server answering")
        timed(ask, questions, report)
    finally:
        proc.terminate()
        proc.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--cold", action="store_true", help="delete the keyword cache first")
    parser.add_argument("--serve", action="store_true", help="measure an `ip-assistant chat` process")
    parser.add_argument("--port", type=int, default=18760)
    parser.add_argument("--questions", type=int, default=40)
    args = parser.parse_args(argv)
    if args.cold:
        shutil.rmtree(args.data_dir / "keyword", ignore_errors=True)
    _, pairs = load_squad(bench_data())
    questions = [q for q, _ in random.Random(11).sample(pairs, args.questions)]
    if args.serve:
        served(args.data_dir, questions, args.port)
    else:
        in_process(args.data_dir, questions)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
