"""Change over time: the measure's figures for the place across periods, oldest first, and the
change computed and marked computed. The figures come from the figures table (series.py) where its
rows name the measure; else from the retrieved sentences; where neither holds two periods and no
stated change, the single-fact answer stands."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from assistant.kinds import progress
from assistant.kinds.figuring import amount_text, comparable, shown_figure
from assistant.kinds.kit import Kit
from assistant.kinds.parts import YEAR, Match, Sentence, family, figure_for, is_heading, period, terms
from assistant.kinds.series import Point, series, unrestated
from assistant.models import Answer
from assistant.question import BROAD_PLACES
from index.analysis import search_form
from index.figures import Figure, find_figures, same_amount
from index.glossary import default_glossary
from index.normalize import to_simplified

T = TypeVar("T")
MEASURE_SHARE = 0.4  # how much of the measure a clause must hold for its figure to be the measure's
_CHANGE_WORDS = re.compile(
    r"变化|有何|有什么|怎样|如何|增长|增加|减少|提高|下降|多少|从|到|比|上一?年|这两年|近几年|报道|"
    r"\b(?:how|did|does|has|have|is|was|change[sd]?|grow|grew|develop(?:ed)?|from|to|between|by|set|"
    r"the|what|reports?|article|target)\b",
    re.I,
)
_MONEY = re.compile(r"金额|资金|贷款|多少钱|amount|loans?\b|yuan|funds?\b", re.I)
_COUNT = re.compile(r"笔数|数量|件数|个数|(?:多少|几)[件家个所项笔]|number of|how many", re.I)
# A question that names a report or the setting of a target: the year it names may be the report's.
REPORT = re.compile(r"报道|报告|文章|定下|制定|提出|规划|報道|報告|規劃|\b(?:reports?|articles?|set)\b", re.I)
_STATED = re.compile(r"增长|增加|增至|提高|下降|减少|同比|倍|times|increase|grew|growth|up by|rose", re.I)


def compose(kit: Kit) -> Answer | None:
    if progress.asks_progress(kit.searched):
        # how it went on: what each report says, else the figures where they make a series, else
        # the single-fact answer
        found = progress.compose(kit) or _figures(kit)
        return found if found is not None and found.answerable else None
    found = _figures(kit)
    if (found is None or not found.answerable) and not progress.asks_number(kit.searched):
        # 有什么变化 with no series of figures: what each report says, where two reports say it
        found = progress.compose(kit) or found
    if found is None and _unmet_periods(kit):
        return kit.refuse()  # 第二十四届 and 第二十五届: one of the two has no passage at all
    return found


_EDITION = re.compile(r"第[一二三四五六七八九十百\d]+(?:届|屆|次|个|個)")


def _unmet_periods(kit: Kit) -> bool:
    """Whether a year or edition the question names (2023年, 第二十四届) stands in none of the
    sentences retrieved for it: a change between two needs both."""
    form = to_simplified(kit.searched)
    asked = set(YEAR.findall(form)) | set(_EDITION.findall(form))
    texts = [to_simplified(c.text) for c in kit.ranked[:30]]
    return any(not any(p in t for t in texts) for p in asked)


def _figures(kit: Kit) -> Answer | None:
    """The change computed from the measure's figures, or as the article states it."""
    form = to_simplified(kit.searched)
    asked_years = set(YEAR.findall(form))
    measure = terms(YEAR.sub(" ", _CHANGE_WORDS.sub(" ", form)))
    kind = asked_family(form)
    place, bare = _place(form)
    asked_measure = YEAR.sub(" ", _CHANGE_WORDS.sub(" ", bare))
    found = _from_table(kit, asked_measure, place, kind, asked_years)
    if found is not None:
        return found
    pool = kit.pool(20)
    matched = [m for s in pool if (m := figure_for(measure, s, kind=kind))]
    points = [m for m in matched if m.share >= MEASURE_SHARE]
    body = [m for m in points if not is_heading(m.sentence)]
    points = body or points  # a heading restates what the lines under it say
    if not points:
        return None
    top = max(_fit(m, measure) for m in points)
    points = [m for m in points if _fit(m, measure) >= top - 0.25]  # the measure asked, not one beside it
    unit_of = max(points, key=lambda m: m.share).figure
    points = [p for p in points if comparable([unit_of, p.figure])]
    dated = sorted(points, key=lambda m: (period(m.sentence, pool), m.sentence.published))
    distinct: list[Match] = []
    for m in sorted(dated, key=lambda m: -_fit(m, measure)):
        if any(same_amount(m.figure, d.figure) or _one_period(m, d) for d in distinct):
            continue  # the same figure again, or another figure of one article for one period
        distinct.append(m)
    distinct.sort(key=lambda m: (period(m.sentence, pool), m.sentence.published))
    named = {y for m in points for y in YEAR.findall(m.sentence.text)} | {
        period(m.sentence, pool) for m in points
    }
    if asked_years and not asked_years <= named:
        return kit.refuse()  # a period asked about has no figure
    stated = [m for m in points if _STATED.search(m.sentence.text)]
    if len(distinct) < 2:
        # A change the article states, in the sentence that names the measure best.
        said = [m for m in stated if m in points and _fit(m, measure) >= top - 0.05]
        if not said:
            return None
        return kit.render([], [m.sentence for m in said[:2]], long=True)
    first, last = distinct[0], distinct[-1]
    lead = _change_line(
        first.figure, period(first.sentence, pool), last.figure, period(last.sentence, pool), kit.english
    )
    shown = distinct[:4] + [m for m in stated if m not in distinct][:1]
    return kit.render([lead], [m.sentence for m in shown], long=True)


def _one_period(a: Match, b: Match) -> bool:
    """Two figures of one article are for different periods only where both sentences name
    different years (2024年 … 7.61万件 is not a later 高价值 figure of the same article)."""
    if a.sentence.doc_id != b.sentence.doc_id:
        return False
    years_a, years_b = YEAR.findall(a.sentence.text), YEAR.findall(b.sentence.text)
    return not (years_a and years_b and years_a[0] != years_b[0])


def asked_family(question: str) -> str | None:
    """The family of figure a question asks for where its words say: a count, or money."""
    if _COUNT.search(question):
        return "count"
    return "money" if _MONEY.search(question) else None


def _fit(match: Match, measure: frozenset[str]) -> float:
    """How well the clause holding the figure names the measure: what it holds of the question,
    less what it adds (每万人口高价值… for a question about 每万人口…)."""
    start = max(
        0,
        match.sentence.text.rfind("，", 0, match.figure.start),
        match.sentence.text.rfind(",", 0, match.figure.start),
    )
    clause = terms(match.sentence.text[start : match.figure.end])
    precision = len(clause & measure) / len(clause) if clause else 0.0
    return match.share + 0.3 * precision


def _change_line(a: Figure, a_period: str, b: Figure, b_period: str, english: bool) -> str:
    diff = b.value - a.value
    steps = f"{shown_figure(a, english)} ({a_period}) → {shown_figure(b, english)} ({b_period})"
    amount = amount_text(abs(diff), [a, b], english)
    if english:
        moved = f"+{amount}" if diff >= 0 else f"-{amount}"
    else:
        moved = f"增加{amount}" if diff >= 0 else f"减少{amount}"
    ratio = ""
    if a.value and a.unit != "%":
        times = b.value / a.value
        share = (times - 1) * 100
        t, pct = f"{round(times, 2):g}", f"{round(share, 1):+g}%"
        ratio = f", {t} times, {pct}" if english else f"，为{t}倍（{pct}）"
    if english:
        return f"{steps}: {moved}{ratio} (computed)"
    return f"{steps}：{moved}{ratio}（计算）"


def _place(form: str) -> tuple[str | None, str]:
    """The one place the question names (its glossary id) and the question without it."""
    text = search_form(form)
    glossary = default_glossary()
    named = [
        m for m in glossary.mentions(text) if m.concept.kind == "place" and m.concept.id not in BROAD_PLACES
    ]
    ids = {m.concept.id for m in named}
    for m in sorted(named, key=lambda m: m.start, reverse=True):
        text = text[: m.start] + " " + text[m.end :]
    return (ids.pop() if len(ids) == 1 else None), text


def _from_table(
    kit: Kit, measure: str, place: str | None, kind: str | None, asked: set[str]
) -> Answer | None:
    """The change from the figures table: two or more periods, or one period and a stated change."""

    rows = kit.figures()

    def heading(row: Mapping[str, Any]) -> bool:
        found = kit.sentence_of(row)
        return found is not None and is_heading(found)

    usable = unrestated(rows, heading)
    copies: list[Point] = []
    points, stated = series(rows, terms(measure), place, kind, measure, usable, copies)
    if len(points) == 1 and _two_reports(kit.searched):
        found = _unchanged(kit, points[0], copies)
        if found is not None:
            return found
    if not points or (len(points) < 2 and not stated):
        # the measure named in one clause, the periods and the reckoning in others (高价值知识产权
        # 组合,2022年定的2025年累计目标是多少,后来报道实际培育了多少): the clause's words alone
        for clause in _clauses(measure):
            found_points, found_stated = series(rows, terms(clause), place, kind, clause, usable)
            if len(found_points) >= 2 or (found_points and found_stated):
                points, stated = found_points, found_stated
                break
    located = {id(p): kit.sentence_of(p.row) for p in [*points, *stated]}
    sentences = {k: s for k, s in located.items() if s is not None}
    if len(sentences) < len(located):
        return None  # a row of a document the index no longer holds
    if not points or (len(points) < 2 and not stated):
        return None
    english = kit.english
    earlier = _earlier(points[-1], stated, sentences) if len(points) == 1 else None
    named = {p.period for p in points} | {y for s in sentences.values() for y in YEAR.findall(s.text)}
    if REPORT.search(kit.searched):  # 2022年的报道, the target set in 2022: a report's own year
        named |= {p.published[:4] for p in points}
    if earlier is not None:
        named.add(earlier[1])
    if asked and not asked <= named:
        return None  # a period asked has no row: the retrieved sentences may name it, else they refuse
    first, last = points[0], points[-1]
    lead = []
    if len(points) >= 2:  # else the change as the article states it (同比增长33.2%, 10 times)
        lead.append(
            _change_line(first.figure, _label(first, english), last.figure, _label(last, english), english)
        )
    elif earlier is not None:  # the level before, from the level and its stated growth
        lead.append(_derived_line(last, *earlier, english))
    if earlier is not None:  # the stated change's sentence may give the level too (1.495 billion)
        points = _unsaid(points, sentences[id(earlier[2])].text)
    cited = [sentences[id(p)] for p in _evidence(points, stated, derived=earlier is not None)]
    return kit.render(lead, cited, long=True)


_MONTHS = re.compile(
    r"(?:\d{1,2}|[一二三四五六七八九十]{1,2})月|\b(?:january|february|march|april|may|june|july|august|september|october|november|december)\b",
    re.I,
)
_TWO_REPORTS = re.compile(r"两篇|兩篇|\btwo (?:reports|articles)\b", re.I)


def _two_reports(question: str) -> bool:
    """The question asks between two reports (2022年4月的报道到8月的报道, the April and the August report)."""
    form = to_simplified(question)
    return bool(REPORT.search(form)) and (len(_MONTHS.findall(form)) >= 2 or bool(_TWO_REPORTS.search(form)))


def _unchanged(kit: Kit, point: Point, copies: Sequence[Point]) -> Answer | None:
    """One figure that two reports give alike (19件 in April and in August; 2.03万 and 20309): both,
    oldest report first, and no change."""
    if not copies:
        return None
    shown = sorted([point, copies[0]], key=lambda p: p.published)
    sentences = [kit.sentence_of(p.row) for p in shown]
    if any(s is None for s in sentences) or shown[0].published[:7] == shown[1].published[:7]:
        return None
    english = kit.english
    steps = " → ".join(
        f"{shown_figure(p.figure, english)} ({p.published[:7]}{' report' if english else '报道'})"
        for p in shown
    )
    lead = f"{steps}: unchanged (computed)" if english else f"{steps}：没有变化（计算）"
    return kit.render([lead], [s for s in sentences if s is not None], long=True)


_CLAUSE = re.compile(r"[,，;；、]")


def _clauses(measure: str) -> list[str]:
    """The clauses of a question's measure words that name something (two search terms or more),
    longest first: where the whole question matches no series, the measure is in one of them."""
    parts = [p.strip() for p in _CLAUSE.split(measure)]
    named = [p for p in parts if len(terms(p)) >= 2]
    return sorted(named, key=len, reverse=True) if len(named) >= 2 else []


def _unsaid(points: list[Point], text: str) -> list[Point]:
    """The points whose figure `text` does not state (in any scale or language): quoting the level
    again from another report adds nothing and makes the answer long."""
    said = find_figures(text)
    return [p for p in points if not any(same_amount(p.figure, f) for f in said)]


def _evidence(points: Sequence[T], stated: Sequence[T], derived: bool) -> list[T]:
    """What a change cites, in order: the levels (up to four) and a stated change; a level
    computed from a stated change cites that change first, as the answer rests on it."""
    return [*stated[:1], *points[:4]] if derived else [*points[:4], *stated[:1]]


_YEAR_ON_YEAR = re.compile(r"同比|比上年|上年|year[- ]on[- ]year|over the previous year", re.I)


def _earlier(
    level: Point, stated: list[Point], sentences: Mapping[int, Sentence]
) -> tuple[float, str, Point] | None:
    """The level before `level`, computed from a change stated for its period: a growth rate
    (同比增长33.2%: the year before, level / 1.332) or a multiple of an earlier year's (10 times
    the amount in 2018: level / 10). (value, its period, the stated change), or None."""
    for change in stated:
        if change.period != level.period or not change.figure.value:
            continue
        text = sentences[id(change)].text
        years = sorted(y for y in YEAR.findall(text) if level.period.isdigit() and y < level.period)
        if change.figure.unit == "%" and (years or _YEAR_ON_YEAR.search(text)):
            before = level.figure.value / (1 + change.figure.value / 100)
            return before, years[0] if years else str(int(level.period) - 1), change
        if change.figure.unit == "倍" and years:
            return level.figure.value / change.figure.value, years[0], change
    return None


def _derived_line(level: Point, before: float, period: str, change: Point, english: bool) -> str:
    """The level before and the difference, marked as computed from the stated change."""
    exact = level.figure.value == int(level.figure.value) and family(level.figure) == "count"
    value = float(round(before)) if exact else before
    was = amount_text(value, [level.figure], english)
    diff = amount_text(level.figure.value - value, [level.figure], english)
    now = shown_figure(level.figure, english)
    if english:
        return f"about {was} ({period}) → {now} ({level.period}): about +{diff} (computed from {change.figure.text})"
    return f"{period}年约{was} → {level.period}年{now}：增加约{diff}（由{change.figure.text}计算）"


def _label(point: Point, english: bool) -> str:
    """A point's period as the answer shows it: a target says so, with the year it was set."""
    if not point.target:
        return point.period
    set_in = point.published[:4]
    if english:
        return f"{point.period} target" + (f", set {set_in}" if set_in and set_in != point.period else "")
    return f"{point.period}年目标" + (f"，{set_in}年定" if set_in and set_in != point.period else "")
