"""Questions of the bundled sets made unanswerable by changing what they ask, as training examples.

A user asks for a figure of a year or a place no article covers far more often than the open-domain
sets do, and the closest passage then holds the same measure of another year or place: the wrong
answer looks right. Each answerable question of a bundled set is asked once more with its year
changed to one no article names (a year put in where it names none), and once with the place it
names changed to a city no article names. No article can answer either, whatever it says, so the
label needs no reading: every answer given is wrong. Years and cities are chosen by a hash of the
question, among those absent from the articles.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence

from index.analysis import search_form
from index.glossary import default_glossary

# Bump when swapping changes, so cached examples of the swapped questions are rebuilt.
SWAPPING_VERSION = 1
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_YEARS = range(2010, 2031)  # near the years such articles speak of
# Prefecture-level cities of China in search form (Simplified, lower case), with English names.
CITIES: tuple[tuple[str, str], ...] = (
    ("兰州", "lanzhou"),
    ("太原", "taiyuan"),
    ("银川", "yinchuan"),
    ("西宁", "xining"),
    ("海口", "haikou"),
    ("无锡", "wuxi"),
    ("常州", "changzhou"),
    ("珠海", "zhuhai"),
    ("绍兴", "shaoxing"),
    ("泉州", "quanzhou"),
    ("柳州", "liuzhou"),
    ("包头", "baotou"),
    ("唐山", "tangshan"),
    ("洛阳", "luoyang"),
    ("襄阳", "xiangyang"),
    ("遵义", "zunyi"),
)


def _pick(key: str, options: Sequence[str]) -> str:
    return options[_number(key) % len(options)]


def _number(key: str) -> int:
    return int(hashlib.sha1(key.encode()).hexdigest()[:8], 16)


def absent_years(texts: Iterable[str]) -> list[str]:
    """Years no text names."""
    named = {m.group() for t in texts for m in _YEAR.finditer(t)}
    return [str(y) for y in _YEARS if str(y) not in named]


def absent_cities(texts: Sequence[str]) -> list[tuple[str, str]]:
    """Cities (Chinese, English) no text names in either language."""
    return [(zh, en) for zh, en in CITIES if not any(zh in t or en in t for t in texts)]


def year_swapped(question: str, key: str, years: Sequence[str]) -> str | None:
    """The question (search form) asking of a year no article names: its years replaced, or one put
    in before the question's end where it names none."""
    if not years:
        return None
    form = search_form(question)
    year = _pick(key, years)
    if _YEAR.search(form):
        return _YEAR.sub(year, form)
    if form.isascii():
        return re.sub(r"\s*\?*\s*$", f" in {year}?", form, count=1)
    return f"{year}年{form}"


def place_swapped(question: str, key: str, cities: Sequence[tuple[str, str]]) -> str | None:
    """The question (search form) with the cities and districts it names changed to a city no
    article names; None when it names none."""
    form = search_form(question)
    places = [  # cities and districts (a place within another), not a country, province or region
        m
        for m in default_glossary().mentions(form)
        if m.concept.kind == "place" and m.concept.within is not None and not m.concept.family
    ]
    if not places or not cities:
        return None
    zh, en = cities[_number(key) % len(cities)]
    out, at = [], 0
    for m in sorted(places, key=lambda m: (m.start, m.start - m.end)):
        if m.start < at:
            continue  # inside a longer mention already replaced
        said = form[m.start : m.end]
        out += [form[at : m.start], en if said.isascii() else zh]
        at = m.end
    return "".join([*out, form[at:]])
