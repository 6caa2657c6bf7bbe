"""Places named in a figure's text: the glossary's places and jieba's place names with an
administrative ending, and a city followed by one of its districts (大连高新区)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from index.figure_text import ADMIN_ENDING, Span, clause_spans, place_key, tag_of, tokens
from index.glossary import default_glossary
from index.normalize import to_simplified


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


_WHOLE = re.compile(r"全(?:市|省|区|县)")


def leading_place(form: str, region: str, measure: Span) -> tuple[Span, int] | None:
    """A place a measure opens with where a scope word or a district follows it (南通全市专利授权量,
    武汉东湖高新区发明专利授权量): the place, with its district, and where what is counted starts.
    A place followed by a noun alone may be part of a name (中国专利奖) and is left in."""
    start, end = measure.start, measure.end
    names = [p for p in places_zh(form, start, end) if p.start == start]
    own = to_simplified(region).strip()
    if names:
        stop = names[0].end
    elif len(own) >= 2 and form.startswith(own, start):
        stop = start + len(own) + (form[start + len(own) : start + len(own) + 1] == "市")
    else:
        return None
    whole = _WHOLE.match(form, stop, end)
    if whole is not None and whole.end() <= end - 2:
        return Span(start, stop), whole.end()
    district = _DISTRICT.match(form, stop, end)
    if district is not None and district.end() <= end - 2:
        return Span(start, district.end()), district.end()
    return None


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
    """The place its clause opens with (its subject: 2024年长沙…, 在金普新区设立…), else the place an
    earlier clause of its sentence opens with (nearest first), else the article's region. A subject
    that refers to a place named before (the province, its, 该区, 高新区 for 成都高新区) is that place.
    A place named elsewhere (东北首家, 入选全国) sets a scope, not whose figure it is."""
    finder = places_en if english else places_zh
    clauses = clause_spans(form, sentence)
    earlier = [c for c in clauses if c.end <= clause.start]
    for scope in [clause, *reversed(earlier)]:
        stop = min(scope.end, at)
        named = [p for p in finder(form, scope.start, stop) if p.end <= stop]
        lead = _SUBJECT_LEAD_EN if english else _SUBJECT_LEAD
        if named and lead.fullmatch(form[scope.start : named[0].start]):
            if region and _OWN_PLACE.fullmatch(form[named[0].start : named[0].end]):
                break  # 我國 in a Taiwanese article is Taiwan: the article's own place
            place = (
                _antecedent(form, english, named[0].start, form[named[0].start : named[0].end]) or named[0]
            )
            return text[place.start : place.end], place_key(form[place.start : place.end])
        referring = _REFERRING_EN.match(form, scope.start, stop) if english else None
        referring = referring or (None if english else _REFERRING_ZH.match(form, scope.start, stop))
        if referring is not None:
            resolved = _antecedent(form, english, referring.start("ref"), referring.group("ref"))
            if resolved is not None:
                return text[resolved.start : resolved.end], place_key(form[resolved.start : resolved.end])
    return region, place_key(region) if region else ""


_SUBJECT_LEAD_EN = re.compile(
    r"\s*(?:(?:in|by|as of|over|during|across|at|throughout)\s+)?(?:the\s+)?"
    r"(?:(?:first|second)\s+half|end|same)?\s*(?:of\s+)?(?:the\s+)?(?:(?:19|20)\d{2}|year|period)?\s*,?\s*",
    re.I,
)
_TIME_LEAD = (
    r"(?:(?:据|截至|截止|到)?\s*(?:(?:19|20)\d{2}\s*年?(?:底|末|初)?|去年|今年|目前|当年)?\s*[,，]?\s*)"
)
# A subject that refers to a place named before: the province, its, 该区, 全省, or a district's
# short name (高新区).
_REFERRING_EN = re.compile(
    _SUBJECT_LEAD_EN.pattern + r"(?P<ref>(?:the|this)\s+(?:province|city|district|zone|county)|its)\b", re.I
)
_REFERRING_ZH = re.compile(
    _TIME_LEAD + r"(?P<ref>该(?:省|市|区|县)|全(?:省|区|县)|区内|[\u4e00-\u9fff]{2,4}?(?:新区|区|县))"
)
_LEVELS = {"province": "省", "city": "市", "district": "区", "zone": "区", "county": "县"}


def _level(name: str) -> str | None:
    """省, 市, 区 or 县: the level a place's name (or a glossary form of it) ends with."""
    form = to_simplified(name).strip().lower()
    forms = [form]
    for mention in default_glossary().mentions(form):
        if mention.concept.kind == "place" and mention.end - mention.start >= len(form) - 1:
            forms += list(mention.concept.zh)
    for f in forms:
        m = re.search(r"(新区|省|市|区|县)$", f)
        if m:
            return "区" if m.group() == "新区" else m.group()
    return None


def _antecedent(form: str, english: bool, at: int, words: str) -> Span | None:
    """The place named last before `at` that `words` refer to: one of the level they name (the
    province, 该区, 全省), the subject's own (its: any), or a longer name it shortens (高新区 for
    成都高新区)."""
    lowered = words.lower()
    level = next((v for k, v in _LEVELS.items() if k in lowered), None) if english else None
    if not english:
        level = next((c for c in "省市区县" if lowered.startswith(("该" + c, "全" + c))), None)
        level = level or ("区" if lowered == "区内" else None)
    shortened = not english and level is None
    finder = places_en if english else places_zh
    for place in reversed(_article_places(form, english, finder)):
        if place.end > at:
            continue
        name = form[place.start : place.end]
        if shortened:
            if name != words and name.endswith(words):
                return place
        elif (level is None and lowered == "its") or (level is not None and _level(name) == level):
            return place
    return None


@functools.lru_cache(maxsize=8)
def _article_places(
    form: str, english: bool, finder: Callable[[str, int, int], list[Span]]
) -> tuple[Span, ...]:
    return tuple(finder(form, 0, len(form)))
