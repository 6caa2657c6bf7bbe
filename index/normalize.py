"""Search normalisation: the form of text that is indexed and matched, never shown.

Traditional Chinese becomes Simplified (OpenCC), full-width forms become half-width (NFKC),
Latin letters become lower case. Shown text always stays the original.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import opencc

_HYPHEN = re.compile(r"(?<=[a-z])-(?=[a-z])")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@functools.cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@functools.cache
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def to_simplified(text: str) -> str:
    """Traditional to Simplified characters (Simplified text passes unchanged)."""
    return str(_t2s().convert(text)) if _CJK.search(text) else text


def to_traditional(text: str) -> str:
    return str(_s2t().convert(text)) if _CJK.search(text) else text


def normalize(text: str) -> str:
    """The search form of `text`: NFKC (full-width to half-width), Simplified, lower case,
    hyphenated English words split."""
    form = to_simplified(unicodedata.normalize("NFKC", text)).lower()
    return _HYPHEN.sub(" ", form)


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


_LETTER = re.compile(r"[^\W\d_]")


def cjk_ratio(text: str) -> float:
    """Share of CJK characters among the letters of `text` (counted by regex: this runs on every
    document at ingest)."""
    letters = len(_LETTER.findall(text))
    if not letters:
        return 0.0
    return len(_CJK.findall(text)) / letters
