"""What a figure counts: the phrase its clause names (index.figure_measures for Chinese,
index.figure_measures_en for English), else the measure of the figure it refers back to (这一指标,
160,000 of them) or of the figure before it in its sentence, else what the clause before opens with."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from index import figure_measures as fm
from index import figure_measures_en as fme
from index.figure_text import Span, clause_spans, containing
from index.figures import Figure

if TYPE_CHECKING:
    from index.figure_records import FigureRecord

_CURRENCY = ("元", "usd")
_BASE_WORDS = re.compile(r"^(?:较|比(?![例重率])|与|同比|环比)|(?:同期|上年|去年|前年|前一年)$")
# Units that count things (825宗申请: applications), as against amounts, shares and durations.
_MEASURE_WORDS = frozenset("件笔项家个人名所次位宗户")

# A measure that refers back to one named before: this indicator, them, of which.
_REFERRING = re.compile(r"them|those|these|which|it", re.I)
_GENERIC = re.compile(r"指标|数字|数据|数值|figure|indicator|number", re.I)
# A total of what the figures before it in its sentence count (新建保护中心8家、维权中心7家，总数达到112家).
_TOTAL = re.compile(r"(?:两者|二者|三者)?(?:总数|总量|总和|合计|总计)")
_DEMONSTRATIVE = re.compile(r"(?:这一?|该|此|上述|\bthis|\bthat|\bthe same)\s*(?:项|个)?\s*$", re.I)


def measure_of(form: str, english: bool, fig: Figure, clause: Span, sentence: Span) -> Span | None:
    """The phrase in its clause that says what the figure at `fig` counts."""
    if english:
        before = fme.measure_before_en(form, clause.start, fig.start)
        after = fme.measure_after_en(form, fig.end, clause.end)
        if before is None and after is None and re.search(r"\bto\s*$", form[clause.start : fig.start]):
            # 'fell by 4% to 91,000': the level reached is of what changed
            return fme.measure_of_clause_en(form, Span(clause.start, fig.start))
        if before is None and after is None and clause.start > sentence.start:
            # '9,300 trademarks, 15% more than in 2018': a share alone in its clause is of what
            # the clause before counts
            previous = containing(clause_spans(form, sentence), clause.start - 2)
            if previous is not None:
                return fme.measure_of_clause_en(form, previous)
        if fig.unit in (*_CURRENCY, "%", "倍"):
            return before or after
        return after or before
    return _measure_of_zh(form, fig, clause)


_CHANGE_ONLY = re.compile(r"年?[小略微大稍]?(?:幅)?(?:减|增|降|升|减少|增加|下降|上升|增长|下滑)(?:了)?")
# What an amount is put into: 拿出300万元设立风险补偿基金, 安排500万元用于专利资助.
_PURPOSE = re.compile(r"\s*(?:专项)?(?:设立|设置|建立|成立|组建|用于)了?")
# The side of a change a figure is (由过去的20个月压缩到三个月, 由2019年的8亿元增加到…).
_CHANGE_FROM = re.compile(r"(?:由|从)")


def _measure_of_zh(form: str, fig: Figure, clause: Span) -> Span | None:
    after = fm.measure_after_zh(form, fig.end, clause.end, counted=fig.unit in _MEASURE_WORDS)
    purpose = _PURPOSE.match(form, fig.end, clause.end) if fig.unit in _CURRENCY else None
    if after is None and purpose is not None:
        after = fm.measure_after_zh(form, purpose.end(), clause.end)
    if after is not None and not fm.ends_with_noun_zh(form, clause.start, fig.start):
        return after
    changed = _changing(form, fig, clause)
    if changed is not None:
        return changed
    before = fm.measure_before_zh(form, clause.start, fig.start)
    share = form.rfind("占", clause.start, fig.start)
    if before is not None and 0 <= share < before.start:
        # 仅占全国同类企业的2.5%: what follows 占 is the whole; the share is of what comes before it
        before = fm.measure_before_zh(form, clause.start, share)
    if before is not None and _BASE_WORDS.search(form[before.start : before.end]):
        before = None  # 较前年下降3.2%, 較去年同期增加5%: the base of a comparison is no measure
    if before is not None and _CHANGE_ONLY.fullmatch(form[before.start : before.end]):
        before = None  # 比2024年略减1%, 小减0.4%: a change names nothing counted
    return before or after


def _changing(form: str, fig: Figure, clause: Span) -> Span | None:
    """What changes where a figure is a side of a change (审查周期由过去的9个月缩短到4个月): the phrase
    before 由/从, when only times, figures and verbs stand between it and the figure."""
    froms = list(_CHANGE_FROM.finditer(form, clause.start, fig.start))
    if not froms:
        return None
    cut = froms[-1].start()
    if any(fm.names_something(t) for t in fm.tokens_of(form, froms[-1].end(), fig.start)):
        return None
    return fm.measure_before_zh(form, clause.start, cut)


def referred(
    form: str,
    measure: Span | None,
    earlier: Sequence[FigureRecord],
    sentence: Span,
    clause: Span,
    unit: str = "",
) -> str | None:
    """What a figure counts when its words refer back (这一指标为7.5件, 160,000 of them: the figure
    named before; 总数: the figures before it in its sentence, in its unit) or name nothing in its
    clause (去年达到2万件，年增3%: the figure before it in its sentence)."""
    if measure is not None:
        words = form[measure.start : measure.end].strip()
        if _TOTAL.fullmatch(words):
            parts = [r.measure for r in earlier if r.sentence_start == sentence.start and r.unit == unit]
            return "和".join(dict.fromkeys(p for p in parts if p)) or None
        refers = _REFERRING.fullmatch(words) is not None or (
            _GENERIC.fullmatch(words) is not None
            and _DEMONSTRATIVE.search(form, 0, measure.start) is not None
        )
        return earlier[-1].measure if refers and earlier else None
    before = earlier[-1] if earlier else None
    if before is not None and before.sentence_start == sentence.start and before.end <= clause.start:
        return before.measure
    return None


_COMPARED_WITH = re.compile(r"(?:相比|相较|比较)(?:而言)?\s*$")


def measure_of_clauses_before(form: str, clause: Span, sentence: Span) -> Span | None:
    """A figure alone in its clause, with no figure before it in its sentence, counts what the
    clause before opens with (申请件数自2020年起逐年上升，去年达到2万件), else what it ends with.
    The base of a comparison (与2020年的2180亿元相比，融资金额增长42%) counts what the clause
    after it opens with."""
    clauses = clause_spans(form, sentence)
    if _COMPARED_WITH.search(form, clause.start, clause.end):
        following = next((c for c in clauses if c.start >= clause.end), None)
        return fm.subject_zh(form, following.start, following.end) if following else None
    earlier = [c for c in clauses if c.end <= clause.start]
    for previous in reversed(earlier[-2:]):
        found = fm.subject_zh(form, previous.start, previous.end) or fm.measure_before_zh(
            form, previous.start, previous.end
        )
        if found is not None:
            return found
    return None


def what_lasts(form: str, english: bool, duration: Span, clause: Span, sentence: Span) -> Span | None:
    """What a duration is the time of: what its clause says after it (连续5年增长), else before it
    (financing growing by 20% for four consecutive years), else what the clause after it says
    (用三年时间，把办案周期缩短到60天; over the past five years, patent pledges have totalled…)."""
    clauses = clause_spans(form, sentence)
    following = next((c for c in clauses if c.start >= clause.end), None)
    if english:
        head = Span(clause.start, duration.start)
        own = (
            fme.measure_after_en(form, duration.end, clause.end)
            or fme.measure_before_en(form, head.start, head.end)
            or fme.measure_of_clause_en(form, head)  # growing by 20% for four years: what the 20% counts
        )
        return own or (fme.measure_of_clause_en(form, following) if following else None)
    for start, end in ((duration.end, clause.end), (following.start, following.end) if following else (0, 0)):
        lead = re.match(r"[\s的,，]*(?:[把将使对让])?", form[start:end])
        start += lead.end() if lead else 0
        if end - start >= 2:
            return Span(start, min(end, start + _LASTING_CHARS))
    return fm.subject_zh(form, clause.start, duration.start)


_LASTING_CHARS = 24
