"""Word lists kept as data files (one entry a line, `#` starts a comment line), loaded once."""

from __future__ import annotations

import functools
from importlib import resources


@functools.cache
def word_list(name: str, package: str = "index") -> frozenset[str]:
    """The entries of `<package>/data/<name>.txt`."""
    text = resources.files(package).joinpath(f"data/{name}.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    )


__all__ = ["word_list"]
