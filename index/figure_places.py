"""Places named in a figure's text: the glossary's places and jieba's place names with an
administrative ending, and a city followed by one of its districts (大连高新区)."""

from __future__ import annotations

import re

from index.figure_text import ADMIN_ENDING, Span, tag_of, tokens
from index.glossary import default_glossary


def places_zh(form: str, start: int, end: int) -> list[Span]:
    """Place names in form[start:end]: the glossary's places and jieba's ns words (not inside an
    organisation's name, 大连大学)."""
    found = [
        _with_district(form, Span(start + m.start, start + m.end), end)
        for m in default_glossary().mentions(form[start:end].lower())
        if m.concept.kind == "place"
    ]
    for tok in tokens(form, start, end):
        # jieba tags many common words ns (海洋, 普及): only a name with an administrative ending counts
        if (
            tok.tag == "ns"
            and len(tok.word) >= 3
            and ADMIN_ENDING.search(tok.word)
            and not any(s.start <= tok.start < s.end for s in found)
        ):
            found.append(Span(tok.start, tok.end))
    return sorted(found, key=lambda s: s.start)


# A district named after its city (大连高新区, 大连市旅顺口区): two to four characters and 区 or 县.
_DISTRICT = re.compile(r"[\u4e00-\u9fff]{2,4}?(?:新区|区|县)")


def _with_district(form: str, place: Span, end: int) -> Span:
    """A city's name followed by one of its districts is the district, unless the two open an
    organisation's name (大连市甘井子区峰岚…研究院): a verb, particle or stop follows a place."""
    m = _DISTRICT.match(form, place.end, end)
    if m is None:
        return place
    after = tokens(form, m.end(), min(len(form), m.end() + 6))
    if after and tag_of(after[0])[:1] not in ("v", "p", "c", "d", "u", "x", "f"):
        return place
    return Span(place.start, m.end())


def places_en(form: str, start: int, end: int) -> list[Span]:
    lower = form[start:end].lower()
    return [
        Span(start + m.start, start + m.end)
        for m in default_glossary().mentions(lower)
        if m.concept.kind == "place"
    ]
