"""Run every benchmark module (bench_*.py) in this folder, or those named: `python -m tests.benchmarks [ingest ...]`."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    wanted = {a.removeprefix("bench_") for a in argv}
    modules = sorted(p.stem for p in Path(__file__).parent.glob("bench_*.py"))
    failed = 0
    for name in modules:
        if wanted and name.removeprefix("bench_") not in wanted:
            continue
        print(f"== {name}", flush=True)
        module = importlib.import_module(f"tests.benchmarks.{name}")
        try:
            failed += bool(module.main([]))
        except Exception as exc:  # one broken benchmark does not hide the others' numbers
            print(f"{name} failed: {type(exc).__name__}: {exc}", flush=True)
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
