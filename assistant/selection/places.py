"""The cities a question names, for the judge: a figure of another city answers nothing.

The glossary knows the places the domain's articles usually name; a user asks about any city. The
general dictionary (CC-CEDICT) says which of its headwords are cities, counties and districts (their
first sense: "Tangshan prefecture-level city in Hebei"), with their English names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from assistant.dictionary import default_dictionary
from index.analysis import search_form

# English names shorter than this are also common words or syllables (an, he, yi): not read as places.
_ENGLISH_MIN = 4

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_LATIN_WORD = re.compile(r"[a-z]+")


def asked_places(form: str) -> list[tuple[str, str]]:
    """The cities, counties and districts a question (search form) names, by the general
    dictionary, in Chinese or English: (Chinese, English) each."""
    places = default_dictionary().places
    found: dict[str, str] = {}
    for run in _CJK_RUN.findall(form):
        for size in (4, 3, 2):
            for i in range(len(run) - size + 1):
                if (english := places.get(run[i : i + size])) is not None:
                    found.setdefault(run[i : i + size], english)
    if _LATIN_WORD.search(form):
        by_english = default_dictionary().places_by_english
        for word in _LATIN_WORD.findall(form):
            if len(word) >= _ENGLISH_MIN and word in by_english:
                found.setdefault(by_english[word], word)
    return sorted(found.items())


def named_text(forms: Sequence[str], meta: Mapping[str, Any]) -> str:
    """What names the places around a sentence: its region's sentences (search form), its
    document's title and place."""
    return " ".join([*forms, search_form(f"{meta.get('title', '')} {meta.get('region', '')}")])


def unnamed(places: Sequence[tuple[str, str]], text: str) -> float:
    """1.0 where one of the places is named in `text` in neither language, else 0.0."""
    return float(any(zh not in text and en not in text for zh, en in places))
