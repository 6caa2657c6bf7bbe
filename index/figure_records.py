"""Figures of an article as records: what is counted, where, for when, how much, of what kind.

`extract_figures(text, ...)` reads every figure `index.figures.find_figures` finds, drops what is
not a statistic (years, dates, ordinals, codes such as ISO 56005, numbers spelt in characters:
五大计划), and places each in context (index.figure_text): the measure is the noun phrase next
to the number, the place the nearest place named before it (else the article's region), the
period the nearest year in its clause, else its sentence, else the sentence before, else the
article's date.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from index import figure_counted as fc
from index import figure_places as fp
from index import figure_text as ft
from index.analysis import FUNCTION_CHARS, stem
from index.figure_coreference import headings_as_their_body, repeats_as_first_said
from index.figure_durations import Duration, durations
from index.figure_measures_en import EN_FUNCTION
from index.figure_periods import Period, kind_of, period_of, year_mentions
from index.figure_tallies import award_tallies
from index.figures import (
    ENGLISH_NUMBER_WORDS,
    Figure,
    chinese_numeral_value,
    english_amount,
    english_numeral_value,
    find_figures,
)
from index.glossary import default_glossary
from index.normalize import to_simplified

EXTRACTOR_VERSION = 9  # bump when records change, so stored tables are rebuilt

_ORDINAL = re.compile(
    r"第\s*(?P<n>\d+|[零〇一二两三四五六七八九十百千]+)\s*(?P<unit>届|位|名|个|次|批|期|轮)"
    r"|(?<![\w.])(?P<en>\d+)(?:st|nd|rd|th)\b"
)
_TIMES = re.compile(r"\s*(?:times|倍)\b|\s*倍")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATEISH = re.compile(
    r"\d{1,4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?|\d{1,2}\s*月\s*\d{1,2}\s*日|\d{1,2}:\d{2}"
    r"|\d{4}\s*年\s*\d{1,2}\s*月|\d{1,2}\s*月(?:份|底|初|末)?"
    rf"|\b\d{{1,2}}\s+(?:{_MONTHS})\b|\b(?:{_MONTHS})\s+\d{{1,2}}\b"
)


@dataclass(frozen=True)
class FigureRecord:
    doc_id: str
    chunk: int | None  # the chunk holding the figure (first of overlapping ones)
    start: int  # the figure's characters in the document's text
    end: int
    sentence_start: int  # its sentence: the passage a row links to
    sentence_end: int
    text: str  # as written: 14.95亿元
    value: float  # in base units: 1495000000.0
    unit: str  # normalised: 元, 件, %, 倍, ... or ""
    measure: str  # the article's words: 质押金额
    measure_key: str  # the same across scripts and languages: glossary ids, else Simplified words
    place: str
    place_key: str
    period: str  # 2024, 2022-2035, or "" when unknown
    year: int | None
    kind: str  # achieved, target, cumulative, growth, rank
    approximate: bool = False  # 1000余笔

    @property
    def normalised(self) -> str:
        """The value in base units: '1,495,000,000 元', '20,300 件', '15.3%'."""
        if self.unit == "%":
            return f"{self.value:g}%"
        amount = f"{self.value:,.0f}" if self.value == int(self.value) else f"{self.value:,g}"
        return f"{amount} {self.unit}".strip()

    @property
    def english(self) -> str:
        """'1.495 billion yuan', '20,300', '15.3%'."""
        if self.unit == "%":
            return f"{self.value:g}%"
        unit = {"元": " yuan", "usd": " US dollars", "倍": " times"}.get(self.unit, "")
        return f"{english_amount(self.value)}{unit}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"normalised": self.normalised, "english": self.english}


@dataclass(frozen=True)
class _Context:
    form: str
    sentences: list[ft.Span]
    published_year: int | None
    region: str
    english: bool
    published_month: int | None = None


def extract_figures(
    text: str,
    doc_id: str,
    *,
    published: str = "",
    region: str = "",
    language: str = "",
    chunks: Sequence[tuple[int, int]] = (),
) -> list[FigureRecord]:
    """Every figure of `text` as a record; `chunks` are the document's chunk spans."""
    form = ft.form_of(text)
    year = re.match(r"((?:19|20)\d{2})(?:-(\d{1,2}))?", published or "")
    ctx = _Context(
        form,
        ft.sentence_spans(form),
        int(year.group(1)) if year else None,
        region,
        language == "en" or (not language and not re.search(r"[\u4e00-\u9fff]", form[:2000])),
        int(year.group(2)) if year and year.group(2) else None,
    )
    masked = _masked(form, ctx.published_year)
    ordinals = _ordinals(form)
    awards = award_tallies(text, form)
    lasting = {d.figure: d for d in durations(text, form, ctx.english)}
    records: list[FigureRecord] = []
    taken = [(o.start, o.end) for o, _ in ordinals] + [(a.start, a.end) for a in awards]
    taken += [(d.figure.start, d.end) for d in lasting.values()]
    found: list[tuple[Figure, str | None]] = [
        (f, "") for f in find_figures(form) if not any(a <= f.start < b for a, b in taken)
    ]
    tallies: list[tuple[Figure, str | None]] = [(a, "achieved") for a in awards]
    tallies += [(d, "duration") for d in lasting]
    tallies += [(t, "") for t in _tenths(text, form) if not any(a <= t.start < b for a, b in taken)]
    if ctx.english:
        tallies += [
            (w, "") for w in _counted_words(text, form) if not any(a <= w.start < b for a, b in taken)
        ]
    tallies += [(low, "") for f, _ in found if (low := _range_start(text, form, f)) is not None]
    for fig, kind in sorted(ordinals + found + tallies, key=lambda pair: pair[0].start):
        if not kind:
            fig = _with_times(form, fig)
            kind = _statistic(form, fig, masked)
        if kind is None:
            continue
        sentence = ft.containing(ctx.sentences, fig.start)
        if sentence is None:
            continue
        record = _record(
            text,
            ctx,
            fig,
            sentence,
            kind,
            doc_id,
            chunks,
            awards.get(fig),
            records,
            lasting.get(fig),
            tuple(lasting.values()),
        )
        if record is not None:
            records.append(record)
    return repeats_as_first_said(headings_as_their_body(ctx.form, ctx.published_year, records))


def _after_durations(clause: ft.Span, fig: Figure, found: Sequence[Duration]) -> ft.Span:
    """The part of a clause after the durations before the figure (未来五年内培训1万名人员: a
    duration is no part of what is counted)."""
    ends = [d.end for d in found if clause.start <= d.start and d.end <= fig.start]
    return ft.Span(max(ends), clause.end) if ends else clause


def _ordinals(form: str) -> list[tuple[Figure, str | None]]:
    """第32位 and 第3名 are ranks; 第十二届, 第22个 and the 12th are editions (kind 'other')."""
    out: list[tuple[Figure, str | None]] = []
    for m in _ORDINAL.finditer(form):
        digits = m["n"] or m["en"]
        value = float(digits) if digits.isdigit() else chinese_numeral_value(digits)
        if value is None or re.search(r"[\"“「『《]\s*$", form[max(0, m.start() - 2) : m.start()]):
            continue  # the "14th Five-Year Plan", “第十四个五年规划”: an ordinal opening a name
        unit = m["unit"] or ""
        rank = unit in ("位", "名") or bool(
            re.search(r"rank(?:ed|s)?\s*$", form[max(0, m.start() - 12) : m.start()])
        )
        kind = "rank" if rank else "other"
        out.append((Figure(m.group(), m.start(), m.end(), value, unit or None), kind))
    return out


# Words that state the amount right after them: 达, 为, 到了, 目标, 约, 占, 超过.
_STATED = re.compile(r"(?:达到?|为|增加至|增至|至|到了|到|目标|约|接近|近|占|超过|逾)\s*$")
_TENTHS = re.compile(r"(?P<n>[一二两三四五六七八九])成(?P<half>半)?")


_RANGE_START = re.compile(r"(?<![\d.,])(\d+(?:\.\d+)?)\s*(?:至|到|~|～)\s*$")


def _range_start(text: str, form: str, fig: Figure) -> Figure | None:
    """12至44个月: the range's first number has the unit and scale of its last."""
    m = _RANGE_START.search(form, max(0, fig.start - 12), fig.start)
    upper = re.match(r"[\d.,]+", form[fig.start : fig.end])
    if m is None or upper is None or fig.unit is None:
        return None
    scale = fig.value / float(upper.group().replace(",", "") or 1)
    return Figure(text[m.start(1) : m.end(1)], m.start(1), m.end(1), float(m.group(1)) * scale, fig.unit)


_NUMBER_WORDS = ENGLISH_NUMBER_WORDS[1:]  # counts written as words are read from two
# 'ten provinces had set up funds', 'eight more cities': a count written as a word, before what it
# counts (not a time: 'three years', nor after 'the': 'the three products' names known things).
_COUNTED_WORD = re.compile(
    rf"(?<!the )\b(?P<n>{'|'.join(_NUMBER_WORDS)})\b(?=\s+(?:more\s+|new\s+)?"
    r"(?!years|months|days|weeks|times|quarters)[a-z]+s\b(?!\s+of\b))",
    re.I,
)


def _counted_words(text: str, form: str) -> list[Figure]:
    return [
        Figure(
            text[m.start() : m.end()],
            m.start(),
            m.end(),
            float(english_numeral_value(m["n"]) or 0),
            None,
        )
        for m in _COUNTED_WORD.finditer(form)
    ]


def _tenths(text: str, form: str) -> list[Figure]:
    """约一成, 四成半: tenths (成) stated by a linking word, as percentages (10 %, 45 %)."""
    out = []
    for m in _TENTHS.finditer(form):
        if _STATED.search(form, max(0, m.start() - 4), m.start()):
            value = chinese_numeral_value(m["n"]) or 0.0
            out.append(
                Figure(
                    text[m.start() : m.end()], m.start(), m.end(), value * 10 + (5 if m["half"] else 0), "%"
                )
            )
    return out


def _masked(form: str, published_year: int | None) -> list[tuple[int, int]]:
    spans = [(m.start(), m.end()) for m in _DATEISH.finditer(form)]
    spans += [(y.start, y.end) for y in year_mentions(form, 0, len(form), published_year)]
    return spans


def _with_times(form: str, fig: Figure) -> Figure:
    """'10 times' and '10倍' are ratios: the unit 倍."""
    if fig.unit is None and (m := _TIMES.match(form, fig.end)):
        return Figure(form[fig.start : m.end()], fig.start, m.end(), fig.value, "倍", fig.approximate)
    return fig


def _statistic(form: str, fig: Figure, masked: list[tuple[int, int]]) -> str | None:
    """'rank' or '' for a figure that is a statistic; None for a year, date, ordinal or code."""
    if (
        not re.search(r"\d", fig.text)
        and fig.text.lower() not in _NUMBER_WORDS
        and not ((fig.unit == "元" and re.search(r"[万亿]", fig.text)) or _STATED.search(form, 0, fig.start))
    ):
        # 五个重点, 三大计划: counts spelt in characters are rhetoric, not statistics; an amount
        # of money is one (超千万元), and so is a count a linking word states (目标百人, 约一成)
        return None
    if any(a <= fig.start < b for a, b in masked):
        return None
    before, after = form[max(0, fig.start - 6) : fig.start], form[fig.end : fig.end + 3]
    if re.search(r"[A-Za-z+/#№-]$|(?<![A-Za-z])[A-Z]{2,}\s$|\b(?:per|every)\s+$", before) or re.match(
        r"[A-Za-z+]", after
    ):
        return None  # 12th, 5G, 1+N, ISO 56005, per 10,000 people (the base of a rate)
    if fig.unit in ("年", "天", "日", "月"):
        return None  # durations and dates
    if before.rstrip().endswith("第"):
        return "rank" if fig.unit in ("位", "名") or re.match(r"[位名]", after) else None
    if fig.unit is None and "." not in fig.text and not re.search(r"[A-Za-z]", before + after):
        return None  # 获1金2银, “1355”工作, 337调查: a bare whole number in Chinese text is no statistic
    return ""


def _record(
    text: str,
    ctx: _Context,
    fig: Figure,
    sentence: ft.Span,
    kind: str,
    doc_id: str,
    chunks: Sequence[tuple[int, int]],
    named: str | None = None,
    earlier: Sequence[FigureRecord] = (),
    lasting: Duration | None = None,
    durations_: Sequence[Duration] = (),
) -> FigureRecord | None:
    """`named`: what is counted where the text names it apart from the figure (an award's grade);
    `earlier`: the article's records before it, for a measure it refers back to; `lasting`: the
    duration the figure is; `durations_`: the article's durations."""
    form = ctx.form
    clause = ft.containing(ft.clause_spans(form, sentence), fig.start) or sentence
    if lasting is not None:
        measure = fc.what_lasts(form, ctx.english, ft.Span(lasting.start, lasting.end), clause, sentence)
    else:
        measure = fc.measure_of(form, ctx.english, fig, _after_durations(clause, fig, durations_), sentence)
    if named is None:
        named = fc.referred(form, measure, earlier, sentence, clause, fig.unit or "")
    if named is None and measure is None and not ctx.english:
        measure = fc.measure_of_clauses_before(form, clause, sentence)
    if measure is None and named is None:
        return None
    place, place_key = fp.place_of(text, ctx.form, ctx.region, ctx.english, fig.start, clause, sentence)
    lead = None if ctx.english or measure is None else fp.leading_place(form, ctx.region, measure)
    if lead is not None and measure is not None and named is None:  # 南通全市…: no part of what is counted
        measure = ft.Span(lead[1], measure.end)
        place, place_key = text[lead[0].start : lead[0].end], ft.place_key(form[lead[0].start : lead[0].end])
    span, ratio = ft.Span(fig.start, fig.end), fig.unit == "倍"
    when = period_of(form, ctx.sentences, ctx.published_year, span, clause, ratio, ctx.published_month)
    if lasting is not None and not lasting.streak:
        when = Period("", None)  # 近三年, 五年内: a span names no year of its own
    period, year = when.label, when.year
    head = form[sentence.start : fig.start]
    tail = form[fig.end : clause.end]
    kind = kind or kind_of(form[clause.start : fig.start], head, fig.unit, when, ctx.published_year, tail)
    chunk = next((i for i, (a, b) in enumerate(chunks) if a <= fig.start and fig.end <= b), None)
    words = named or (text[measure.start : measure.end].strip() if measure else "")
    return FigureRecord(
        doc_id=doc_id,
        chunk=chunk,
        start=fig.start,
        end=fig.end,
        sentence_start=sentence.start,
        sentence_end=sentence.end,
        text=text[fig.start : fig.end].strip(),
        value=float(f"{fig.value:.12g}"),  # 2.03万 is 20300, not 20299.999999999996
        unit=fig.unit or "",
        measure=words,
        measure_key=measure_key(words),
        place=place,
        place_key=place_key,
        period=period,
        year=year,
        kind=kind,
        approximate=fig.approximate,
    )


def measure_key(measure: str) -> str:
    """What a measure counts, the same in every script and language where the glossary knows its
    words: the concepts it names (longest first, places left out) and the words it does not
    cover (Simplified; English stemmed), in order, joined by '+'."""
    form = to_simplified(measure).lower().strip()
    mentions = [m for m in default_glossary().mentions(form) if m.concept.kind != "place"]
    mentions.sort(key=lambda m: (m.start, -(m.end - m.start)))
    parts: list[tuple[int, str]] = []
    covered = 0
    for m in mentions:
        if m.start >= covered:
            parts.extend(_residue(form, covered, m.start))
            parts.append((m.start, m.concept.id))
            covered = m.end
    parts.extend(_residue(form, covered, len(form)))
    return "+".join(dict.fromkeys(p for _, p in parts)) or form


def _residue(form: str, start: int, end: int) -> list[tuple[int, str]]:
    out = []
    for m in re.finditer(r"[\u4e00-\u9fff]+|[a-z][a-z'-]+", form[start:end]):
        word = m.group()
        if len(word) == 1 and word in FUNCTION_CHARS:
            continue  # 省 and 市 tell provincial from municipal; 的 tells nothing
        if word.isascii():
            if word in EN_FUNCTION:
                continue
            word = stem(word)
        out.append((start + m.start(), word))
    return out
