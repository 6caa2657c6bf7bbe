"""Benchmarks, run by `make bench` (`python -m tests.benchmarks`): every bench_*.py module's main()."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def bench_data(name: str) -> Path | None:
    """A file of the shared benchmark data: ../shared/bench-data beside the repository (for a git
    worktree, beside one of its parent folders), or IP_ASSISTANT_BENCH_DATA."""
    import os

    if folder := os.environ.get("IP_ASSISTANT_BENCH_DATA"):
        path = Path(folder) / name
        return path if path.is_file() else None
    for parent in ROOT.parents:
        path = parent / "shared" / "bench-data" / name
        if path.is_file():
            return path
    return None
