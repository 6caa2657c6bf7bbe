"""Durations: a number of years that says how long something lasted or is to take (连续5年,
近三年, 三年来, 用三年时间, 五年内, for four consecutive years, over the past five years). Each is a
record of kind 'duration' (unit 年, the number of years), not a value of what it qualifies; a
streak (连续5年, five years in a row) ends in the year of its sentence, a span (近三年, 五年内)
names no single year. A plan's name (三年行动方案, a three-year plan) is no duration."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.figures import ENGLISH_NUMBER_WORDS, Figure, chinese_numeral_value, english_numeral_value

_ZH = re.compile(
    r"(?P<lead>连续|持续|近|用|未来|历时|长达)?\s*"
    r"(?<![\d第.])(?P<n>\d{1,2}|[一二两三四五六七八九十]{1,3})\s*(?:个)?年"
    r"(?P<tail>来|以来|之内|内|时间|间|多来)?"
    r"(?!度|级|份|前|底|初|末|行动|计划|规划|方案|工作|攻坚)"
)
_NUMBER_EN = r"\d{1,2}|" + "|".join(ENGLISH_NUMBER_WORDS)
_EN = re.compile(
    rf"\b(?P<lead>for|within|over|in|during)\s+(?:the\s+(?:past|last|next|coming)\s+)?"
    rf"(?P<n>{_NUMBER_EN})\s+(?P<cons>consecutive\s+|straight\s+)?years?\b(?!-)"
    rf"|\b(?P<n2>{_NUMBER_EN})\s+(?:consecutive|straight)\s+years?\b|\b(?P<n3>{_NUMBER_EN})\s+years?\s+in\s+a\s+row\b",
    re.I,
)
_STREAK_ZH = ("连续", "持续")


@dataclass(frozen=True)
class Duration:
    figure: Figure  # the number of years, unit 年, at the number's offsets
    streak: bool  # 连续5年: ends in its sentence's year; else a span naming no year of its own
    start: int  # where the whole expression starts and ends (连续5年以来, over the past five years)
    end: int


def durations(text: str, form: str, english: bool) -> list[Duration]:
    """The durations of an article, read on its search form (`text` gives the figure's words)."""
    return _english(text, form) if english else _chinese(text, form)


def _chinese(text: str, form: str) -> list[Duration]:
    out = []
    for m in _ZH.finditer(form):
        if not (m["lead"] or m["tail"]):
            continue  # 推行4年, 2年期: no word says it is a time that lasts
        value = float(m["n"]) if m["n"].isdigit() else chinese_numeral_value(m["n"])
        if not value:
            continue
        start, end = m.start("n"), m.end("n") + form[m.end("n") : m.end()].index("年") + 1
        figure = Figure(text[start:end], start, end, value, "年")
        out.append(Duration(figure, m["lead"] in _STREAK_ZH, m.start(), m.end()))
    return out


def _english(text: str, form: str) -> list[Duration]:
    out = []
    for m in _EN.finditer(form):
        group = "n" if m["n"] else ("n2" if m["n2"] else "n3")
        word = m[group].lower()
        value = float(word) if word.isdigit() else float(english_numeral_value(word) or 0)
        streak = bool(m["cons"]) or group in ("n2", "n3")
        figure = Figure(text[m.start(group) : m.end()], m.start(group), m.end(), value, "年")
        out.append(Duration(figure, streak, m.start(), m.end()))
    return out
