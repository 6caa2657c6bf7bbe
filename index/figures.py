"""Figures in Chinese and English text: numbers with their scale and unit, as comparable values.

`14.95亿元`, `1.495 billion yuan` and `1,495,000,000 yuan` are one amount; `7.61萬件` is 76,100.
Used to match figures across languages in search, to gloss Chinese figures for English readers,
and to check that every figure of a generated answer stands in a cited passage.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

from index.normalize import to_simplified

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_SCALE = {"万": 1e4, "亿": 1e8, "万亿": 1e12, "千万": 1e7, "百万": 1e6}
_EN_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}

_UNITS_ZH = "元|件|笔|项|家|个月|个工作日|工作日|个|人|名|所|次|位|万人|平方米|亿元|倍|宗|户|年|天|日|月"
_NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?|\d+(?:\.\d+)?"
_CN_NUMERAL = r"[零〇一二两三四五六七八九十百千]+"

_FIGURE = re.compile(
    # 1萬9,634件: ten thousands, then the rest written out
    rf"(?P<wan>\d+)万(?P<rest>\d,\d{{3}}|\d{{4}})(?P<wunit>{_UNITS_ZH})?"
    rf"|(?P<usd>\$\s*)?(?P<num>{_NUMBER})(?:\s*(?P<pct>%|％|个百分点|percent\b))?"
    rf"(?P<approx_>余|多)?(?:\s*(?P<cnscale>万亿|千万|百万|万|亿))?"
    rf"(?:\s+(?P<enscale>thousand|million|billion|trillion)\b)?"
    rf"(?P<approx>余|多)?"
    rf"(?:\s*(?P<unit>{_UNITS_ZH}|yuan\b|rmb\b|usd\b|(?:us\s*|u\.s\.\s*)?dollars?\b|cases?\b|units?\b|pieces?\b))?"
    rf"|(?P<cn>{_CN_NUMERAL})(?P<cncscale>万亿|千万|百万|万|亿)?(?P<cnunit>{_UNITS_ZH})",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Figure:
    text: str
    start: int
    end: int
    value: float
    unit: str | None  # normalised: "元", "%", "件", ... or None
    approximate: bool = False

    @property
    def key(self) -> str:
        """A comparable form: the value to 4 significant digits and its unit family."""
        unit = "%" if self.unit == "%" else ("元" if self.unit == "元" else "")
        return f"{_round(self.value)}{unit}"


def _round(value: float, digits: int = 4) -> str:
    if value == 0:
        return "0"
    exponent = math.floor(math.log10(abs(value)))
    rounded = round(value, digits - 1 - exponent)
    return f"{rounded:.10g}"


# English numbers written as words, by value (one is 1), as the figure readers know them.
ENGLISH_NUMBER_WORDS = (
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
)


def english_numeral_value(word: str) -> int | None:
    """three -> 3 (any case); None for a word not in ENGLISH_NUMBER_WORDS."""
    word = word.lower()
    return ENGLISH_NUMBER_WORDS.index(word) + 1 if word in ENGLISH_NUMBER_WORDS else None


def chinese_numeral_value(text: str) -> float | None:
    """一千零六十八 -> 1068; 三 -> 3; None where the text is not a numeral."""
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_SMALL:
            section += (1 if digit is None else digit) * _CN_SMALL[ch]
            digit = None
        else:
            return None
    section += digit or 0
    total += section
    return float(total)


_UNIT_ALIASES = {
    "yuan": "元",
    "rmb": "元",
    "亿元": "元",
    "percent": "%",
    "％": "%",
    "个百分点": "%",
    "case": "件",
    "cases": "件",
    "piece": "件",
    "pieces": "件",
    "个工作日": "工作日",
}


def find_figures(text: str) -> list[Figure]:
    """Figures in `text` with offsets into it (Traditional text is read as Simplified)."""
    return list(_find_figures(text))


@functools.lru_cache(maxsize=32768)
def _find_figures(text: str) -> tuple[Figure, ...]:
    simple = to_simplified(text)  # one character per character, so offsets hold
    figures: list[Figure] = []
    for m in _FIGURE.finditer(simple):
        if m.group("wan"):
            value, scale, approx = int(m["wan"]) * 1e4 + int(m["rest"].replace(",", "")), 1.0, False
            unit = m.group("wunit")
        elif m.group("num"):
            raw = m.group("num")
            if "," in raw and not re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", raw):
                continue
            value = float(raw.replace(",", ""))
            scale = _CN_SCALE.get(m.group("cnscale") or "", 1.0)
            scale *= _EN_SCALE.get((m.group("enscale") or "").lower(), 1.0)
            unit = m.group("unit")
            if unit == "亿元":
                scale *= 1e8
            if m.group("pct"):
                unit = "%"
            elif m.group("usd"):
                unit = "usd"
            approx = bool(m.group("approx") or m.group("approx_"))
        else:
            numeral = chinese_numeral_value(m.group("cn"))
            if numeral is None:
                continue
            value, unit = numeral, m.group("cnunit")
            scale = _CN_SCALE.get(m.group("cncscale") or "", 1.0)
            approx = False
        unit_norm = _UNIT_ALIASES.get((unit or "").lower(), unit.lower() if unit else None)
        if unit_norm and (unit_norm == "usd" or unit_norm.endswith(("dollar", "dollars"))):
            unit_norm = "usd"
        figures.append(
            Figure(text[m.start() : m.end()].strip(), m.start(), m.end(), value * scale, unit_norm, approx)
        )
    return tuple(figures)


def english_amount(value: float) -> str:
    """1.495e9 -> '1.495 billion'; 76100 -> '76,100'."""
    for word, scale in (("trillion", 1e12), ("billion", 1e9), ("million", 1e6)):
        if abs(value) >= scale:
            return f"{_round(value / scale, 6)} {word}"
    if value == int(value):
        return f"{int(value):,}"
    return _round(value, 6)


def gloss(figure: Figure) -> str | None:
    """An English reading of a Chinese-scaled figure ('14.95亿元 = 1.495 billion yuan')."""
    scaled = re.search(r"[万亿千百十一二两三四五六七八九]", to_simplified(figure.text))
    if not scaled and not figure.approximate:
        return None
    unit = {"元": " yuan", "%": "%"}.get(figure.unit or "", "")
    prefix = "over " if figure.approximate else ""
    return f"{figure.text} = {prefix}{english_amount(figure.value)}{unit}"


def same_amount(a: Figure, b: Figure, tolerance: float = 0.005) -> bool:
    if (a.unit == "%") != (b.unit == "%"):
        return False
    if a.value == b.value:
        return True
    return abs(a.value - b.value) <= tolerance * max(abs(a.value), abs(b.value))
