"""Cold start and answer profile of an existing data folder (a store bench_growth kept with
--data-dir): opening time of an Assistant (with --cold, after deleting the keyword cache, so every
chunk is analysed), peak memory, and per-stage latency of warm answers under cProfile.

    python -m tests.benchmarks.profile_answer DATA_DIR [--cold] [--questions 40]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import resource
import shutil
import statistics
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    from assistant.pipeline import Assistant
    from assistant.settings import Settings
    from tests.benchmarks.bench_growth import bench_data, load_squad, percentile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--cold", action="store_true", help="delete the keyword cache first")
    parser.add_argument("--questions", type=int, default=40)
    args = parser.parse_args(argv)
    if args.cold:
        shutil.rmtree(args.data_dir / "keyword", ignore_errors=True)
    started = time.perf_counter()
    assistant = Assistant(Settings(data_dir=args.data_dir))
    print(f"open {time.perf_counter() - started:.1f} s, {len(assistant.searcher.keyword):,} chunks")
    _, questions = load_squad(bench_data())
    asked = random.Random(11).sample(questions, args.questions)
    for question, _ in asked[:5]:
        assistant.answer(question)
    profile = cProfile.Profile()
    profile.enable()
    timings = [assistant.answer(question).timings for question, _ in asked]
    profile.disable()
    for stage in ("retrieve_ms", "compose_ms", "total_ms"):
        values = [t[stage] for t in timings]
        print(f"{stage}: p50 {statistics.median(values):.1f}, p95 {percentile(values, 0.95):.1f}")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    pstats.Stats(profile).sort_stats("tottime").print_stats(15)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
