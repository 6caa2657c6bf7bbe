"""Token counting with tiktoken's cl100k_base, offline.

llama-index-core ships the encoding file; pointing TIKTOKEN_CACHE_DIR at it keeps tiktoken from
downloading it on first use (which fails on a machine without internet).
"""

from __future__ import annotations

import functools
import importlib.util
import os
from pathlib import Path

import tiktoken


def _shipped_cache_dir() -> str | None:
    spec = importlib.util.find_spec("llama_index.core")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "_static" / "tiktoken_cache"
    return str(folder) if folder.is_dir() else None


@functools.cache
def encoding() -> tiktoken.Encoding:
    if "TIKTOKEN_CACHE_DIR" not in os.environ and (shipped := _shipped_cache_dir()):
        os.environ["TIKTOKEN_CACHE_DIR"] = shipped
    return tiktoken.get_encoding("cl100k_base")


def count_tokens(text: str) -> int:
    return len(encoding().encode(text, disallowed_special=()))
