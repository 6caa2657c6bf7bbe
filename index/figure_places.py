"""Places named in a figure's text: the glossary's places and jieba's place names with an
administrative ending, and a city followed by one of its districts (大连高新区)."""

from __future__ import annotations

import re

from index.figure_text import ADMIN_ENDING, Span, clause_spans, place_key, tag_of, tokens
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


# What may come before a sentence's subject: a time, 在/据/截至, or nothing.
_SUBJECT_LEAD = re.compile(
    r"\s*(?:(?:在|据|截至|截止|到|in|by|as of)?\s*(?:(?:19|20)\d{2}\s*年?(?:底|末|初)?|去年|今年|目前)?\s*[,，]?\s*)",
    re.I,
)

# Words by which an article names its own place (our country, this city, this territory).
_OWN_PLACE = re.compile(r"我国|本国|我市|本市|我省|本省|本港|本地|our (?:country|city)", re.I)


def place_of(
    text: str, form: str, region: str, english: bool, at: int, clause: Span, sentence: Span
) -> tuple[str, str]:
    """The place its clause opens with (its subject: 2024年长沙…, 在金普新区设立…), else the place
    its sentence opens with, else the article's region. A place named elsewhere (东北首家, 入选全国)
    sets a scope, not whose figure it is."""
    finder = places_en if english else places_zh
    first = clause_spans(form, sentence)[0]
    for scope in (clause, first):
        stop = min(scope.end, at)
        named = [p for p in finder(form, scope.start, stop) if p.end <= stop]
        if named and _SUBJECT_LEAD.fullmatch(form[scope.start : named[0].start]):
            if region and _OWN_PLACE.fullmatch(form[named[0].start : named[0].end]):
                break  # 我國 in a Taiwanese article is Taiwan: the article's own place
            return text[named[0].start : named[0].end], place_key(form[named[0].start : named[0].end])
    return region, place_key(region) if region else ""
