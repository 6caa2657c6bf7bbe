"""Time expressions that date a figure without a year beside it, normalised against the article's
date and the years named before them: parts of a year (上半年, 前三季度, 1-10月, 截至6月底, in the
first half, by the end of June) are of the year in force (a year just before them, else the
article's, less one where that part had not ended when the article came out); 当年, 同年, "the
same year" refer back to the last year named; multi-year spans (近三年, 「十三五」时期, over the past
five years) name no single year; and a year that is a comparison's base (比上年, 较去年同期,
与2020年…相比, more than in 2017) dates no figure outside its base phrase."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.figures import english_numeral_value

_MONTHS_EN = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九", 0)} | {"两": 2, "十": 10}

# Parts of a year with the month they end in (a group names it where it varies).
_PART_ZH = re.compile(
    r"(?P<h1>上半年)|(?P<h2>下半年)|(?P<q>第?(?P<qn>[一二三四1-4])季度)|(?P<qs>前(?P<qsn>[二三两23])(?:个|個)?季度)"
    r"|(?P<first>前(?P<fn>[一二三四五六七八九十]{1,2}|\d{1,2})(?:个|個)?月)"
    r"|(?P<mr>(?<!\d)\d{1,2}\s*[-—–至到~]\s*(?P<mrn>\d{1,2})\s*月(?!\s*\d{1,2}\s*日))"
    r"|(?P<me>(?<![\d年])(?P<men>\d{1,2})\s*月(?:底|末))"
    r"|(?P<year>全年|年底|年末|(?<![\d一二两三四五六七八九十])年[内內]|今年以来|今年以來)"
)
_PART_EN = re.compile(
    r"\b(?:the\s+)?(?P<h1>first\s+half|H1)\b|\b(?:the\s+)?(?P<h2>second\s+half)\b"
    r"|\b(?:the\s+)?first\s+(?P<qsn>three|nine)\s+(?:quarters|months)\b"
    r"|\b(?:the\s+)?first\s+(?P<fn>two|three|four|five|six|seven|eight|ten|eleven)\s+months\b"
    r"|\b(?:the\s+)?(?P<qn>first|second|third|fourth)\s+quarter\b"
    r"|\bend\s+of\s+(?P<men>" + "|".join(_MONTHS_EN) + r")\b",
    re.I,
)
# Words that refer back to the year last named.
_SAME_YEAR = re.compile(r"当年|當年|同年|the\s+same\s+year|that\s+year", re.I)
# Spans of several years: no single year is the figure's.
_SPAN = re.compile(
    r"近[一二两三四五六七八九十\d]{1,2}年|[一二两三四五六七八九十\d]{1,2}年来|[一二两三四五六七八九十\d]{1,2}年來"
    r"|近年来|近年來|多年来|多年來|(?:历年|歷年)(?!最|新高|之最|纪录|紀錄)|用[一二两三四五\d]年(?:时间|時間)"
    r"|[「“\"]?十[一二三四五]五[」”\"]?\s*(?:时期|期间|時期|期間)"
    r"|\b(?:over|in|during)\s+the\s+(?:past|last)\s+(?:\w+\s+)?years\b|\bin\s+recent\s+years\b",
    re.I,
)
# What opens a comparison's base just before a year (比上年, 较去年同期, 与2020年…相比, than in 2017).
_BASE_BEFORE = re.compile(
    r"(?:比|较|較|与|與|同|相比|相较|相較|than(?:\s+in)?|compared\s+(?:with|to)(?:\s+in)?|over)"
    r"(?:\s+the\s+same\s+period(?:\s+of|\s+in)?)?\s*$",
    re.I,
)
# What follows a share that compares it with another time: no measure.
COMPARED_EN = re.compile(
    r"\s*(?:year[- ]on[- ]year|year[- ]over[- ]year|(?:more|less|fewer|higher|lower)\s+than|compared|from a year)",
    re.I,
)
# … and what follows a count that is its time, not what it counts ('4,300 last year').
NOT_MEASURE_EN = re.compile(COMPARED_EN.pattern + r"|\s*(?:last|this|next)\s+(?:year|month|quarter)\b", re.I)
_BASE_CLOSE = re.compile(r"相比|相较|相較|比较|比較")


@dataclass(frozen=True)
class Part:
    start: int
    end: int
    month: int  # the month the part ends in


def _number(word: str) -> int:
    if word.isdigit():
        return int(word)
    if (spelled := english_numeral_value(word)) is not None:
        return spelled
    if word.startswith("十"):
        return 10 + _CN_DIGITS.get(word[1:], 0) if len(word) > 1 else 10
    if word.endswith("十"):
        return _CN_DIGITS.get(word[0], 1) * 10
    return _CN_DIGITS.get(word, 0)


def _month(m: re.Match[str], published_month: int | None) -> int:
    group = {k: v for k, v in m.groupdict().items() if v}
    if "h1" in group:
        return 6
    if "h2" in group:
        return 12
    if "qsn" in group:
        return 3 * _number(group["qsn"]) if group["qsn"].lower() != "nine" else 9
    if "qn" in group:
        quarter = {"first": 1, "second": 2, "third": 3, "fourth": 4}.get(group["qn"].lower())
        return 3 * (quarter or _number(group["qn"]))
    if "fn" in group:
        return _number(group["fn"])
    if "mrn" in group:
        return int(group["mrn"])
    if "men" in group:
        name = group["men"].lower()
        return _MONTHS_EN.index(name) + 1 if name in _MONTHS_EN else int(name)
    if group.get("year", "").startswith("今年"):
        return published_month or 1
    return 12


def year_parts(form: str, start: int, end: int, published_month: int | None) -> list[Part]:
    """Parts of a year named in form[start:end], with the month each ends in."""
    found = []
    for pattern in (_PART_ZH, _PART_EN):
        for m in pattern.finditer(form, start, end):
            month = _month(m, published_month)
            if 1 <= month <= 12:
                found.append(Part(m.start(), m.end(), month))
    return found


def part_year(part: Part, published_year: int, published_month: int | None) -> int:
    """The year of a part named with no year: the article's, or the one before where the part
    had not ended when the article came out (上半年 in a January article is last year's)."""
    if published_month is not None and part.month > published_month:
        return published_year - 1
    return published_year


def same_year_words(form: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _SAME_YEAR.finditer(form, start, end)]


def spans_of_years(form: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _SPAN.finditer(form, start, end)]


def is_base(form: str, start: int, end: int, figure_start: int) -> bool:
    """The year at form[start:end] is a comparison's base (比上年, than in 2017) and the figure at
    `figure_start` is not inside that base phrase (与2020年的2180亿元相比 holds 2180亿元)."""
    opener = _BASE_BEFORE.search(form, max(0, start - 30), start)
    if opener is None:
        return False
    closing = _BASE_CLOSE.search(form, end, min(len(form), end + 30))
    if re.match(r"与|與|同", opener.group()) and closing is None:
        return False  # 与2021年出台的办法: no comparison
    inside = closing is not None and start < figure_start < closing.start()
    return not (inside and re.search(r"[，,；;。！？\n]", form[end:figure_start]) is None)
