"""Word lists kept as data files (one entry a line, `#` starts a comment line), loaded once."""

from __future__ import annotations

import functools
import re
from importlib import resources


def _entries(name: str, package: str) -> list[str]:
    text = resources.files(package).joinpath(f"data/{name}.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


@functools.cache
def word_list(name: str, package: str = "index") -> frozenset[str]:
    """The entries of `<package>/data/<name>.txt`."""
    return frozenset(_entries(name, package))


@functools.cache
def alternatives(name: str, package: str = "index") -> str:
    """The regular expressions of `<package>/data/<name>.txt` (one a line) as one alternation, in
    file order; each is checked on its own, so that a bad line is named."""
    patterns = _entries(name, package)
    for number, pattern in enumerate(patterns, 1):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(
                f"{package}/data/{name}.txt, entry {number}: bad pattern {pattern!r}: {exc}"
            ) from None
    return "|".join(patterns)


__all__ = ["alternatives", "word_list"]
