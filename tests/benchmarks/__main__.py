"""Run every bench_*.py module's main() in turn (`make bench`), or those named on the command line."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    names = sorted(p.stem for p in Path(__file__).parent.glob("bench_*.py"))
    chosen = [n for n in names if not argv or n in argv or n.removeprefix("bench_") in argv]
    status = 0
    for name in chosen:
        print(f"== {name}", flush=True)
        status |= importlib.import_module(f"tests.benchmarks.{name}").main([]) or 0
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
