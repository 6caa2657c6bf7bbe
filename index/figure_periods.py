"""When a figure is for and what kind it is: the years its text names (2024年, 2022-2035年,
in 2021, 去年 and 截至目前 against the article's date), read in its clause, its sentence, the
sentence a 其中 refers back to, or a short line such as 计划到2025年 that introduces a list."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.figure_text import Span, containing
from index.figure_times import COMPARED_EN, is_base, part_year, same_year_words, spans_of_years, year_parts

_YEAR = re.compile(
    r"(?<![\d.])(?P<y>(?:19|20)\d{2})(?:\s*年?\s*[-–—至到~]\s*(?P<y2>(?:19|20)\d{2}))?"
    r"(?:\s*年|(?![\d%\u4e00-\u9fff]|\.\d|\s*(?:million|billion|thousand|yuan|%)))"
)
_RELATIVE_YEAR = {"去年": -1, "上年": -1, "前年": -2, "今年": 0, "本年": 0, "明年": 1}
# Words and dates that are about the article's own time: 截至目前, 4月26日 (a date without a year).
_MONTH_NAMES = "January|February|March|April|May|June|July|August|September|October|November|December"
_ARTICLE_TIME = re.compile(
    r"截至目前|截止目前|目前|至今|当前|(?<![\d年])\d{1,2}月\d{1,2}日"
    rf"|\b(?:{_MONTH_NAMES})\s+\d{{1,2}}\b(?!,?\s*(?:19|20)\d\d)|\b\d{{1,2}}\s+(?:{_MONTH_NAMES})\b(?!,?\s*(?:19|20)\d\d)"
)
_ARTICLE_DAY = re.compile(r"(?<![\d年])\d{1,2}月\d{1,2}日")
_RELATIVE_YEAR_EN = re.compile(r"\b(last|this|next) year\b|\b(so far|to date|at present)\b", re.I)
_EN_RELATIVE = {"last": -1, "this": 0, "next": 1}
# A sentence that opens with these is about what the sentence before names (其中: among them).
_BACK_REFERENCE = re.compile(r"\s*(?:其中|among them|of which)", re.I)
# A paragraph that opens with these goes on with the one before it (分类来看: broken down, …).
_CONTINUATION = re.compile(
    r"\s*(?:分类来看|分类看|分项来看|具体来看|具体而言|细分来看|broken down|by category)", re.I
)
# A short line ending in a year introduces the lines under it (计划到2025年 / 到2025年:).
_INTRO_MAX_CHARS = 16
_INTRO_LINES = 8
_HEADING_MAX_CHARS = 40
_YEAR_AT_END = re.compile(r"(?:19|20)\d{2}\s*年?\s*[:：]?$")

_GROWTH = re.compile(
    r"(?:增长|增加|提高|提升|上升|下降|减少|同比|环比|增幅|增速|年增|年减|成长|下滑|growth|grew|increased?\s+by|rose\s+by|up\s+by|"
    r"higher|decreased?|fell|\bup|\bdown|an?\s+(?:increase|rise|drop|decrease|growth|jump)\s+of)\s*(?:了|by)?\s*$",
    re.I,
)
_LEVEL = re.compile(r"(?:增至|增长到|提高到|提升到|上升到|达到|达|为|increased to|rose to|grew to)\s*$", re.I)
_TARGET = re.compile(
    r"目标|力争|计划|预计|将|争取|确保|到\d{4}年|target|aim|plan|will|strive|expect|by\s+20\d\d", re.I
)
# The first side of a change over a range of years: 由/从 … (to follow), from … (to follow).
_FROM = re.compile(
    r"(?:由|从|從|\bfrom\b)(?!.*(?:增加到|增至|增长到|增長到|提高到|升至|上升到|到|至|\bto\b))[^,，;；。]*$"
)
_CUMULATIVE = re.compile(
    r"累计|累积|总计|共计|合计|a total of|in total|accumulated|cumulative|so far|in all", re.I
)


@dataclass(frozen=True)
class YearMention:
    start: int
    end: int
    year: int
    last: int  # the last year of a range (2022-2035年), else the same year


NO_YEAR = 0  # the year of a span of several years (近三年): it names no single year


def year_mentions(
    form: str, start: int, end: int, published_year: int | None, published_month: int | None = None
) -> list[YearMention]:
    """Years named in form[start:end]: 2024年, 2022-2035年, in 2021, 去年 / last year, 上半年 / in the
    first half (relative to the article's date, when it is known), 当年 / the same year (the year
    named last before it); spans of several years (近三年) as NO_YEAR (index.figure_times)."""
    found = _named_years(form, start, end, published_year)
    for a, b in spans_of_years(form, start, end):
        found.append(YearMention(a, b, NO_YEAR, NO_YEAR))
    for a, b in same_year_words(form, start, end):
        before = _named_years(form, max(0, a - 400), a, published_year)
        year = before[-1].last if before else published_year
        if year is not None:
            found.append(YearMention(a, b, year, year))
    if published_year is not None:
        named = _named_years(form, max(0, start - 8), min(len(form), end + 10), published_year)
        for part in year_parts(form, start, end, published_month):
            if any(y.start - 5 <= part.end and part.start <= y.end + 3 for y in named):
                continue  # 2023年上半年, the first half of 2017: the year is named with it
            year = part_year(part, published_year, published_month)
            found.append(YearMention(part.start, part.end, year, year))
    return sorted(found, key=lambda y: y.start)


def _named_years(form: str, start: int, end: int, published_year: int | None) -> list[YearMention]:
    """Years named outright or by a word relative to the article's date."""
    found: list[YearMention] = []
    for m in _YEAR.finditer(form, start, end):
        after = form[m.end() : m.end() + 1]
        if not m.group(0).rstrip().endswith("年") and (after.isalpha() and after.isascii()):
            continue
        first = int(m["y"])
        last = int(m["y2"]) if m["y2"] else first
        found.append(YearMention(m.start(), m.end(), first, max(first, last)))
    if published_year is not None:
        for word, delta in _RELATIVE_YEAR.items():
            for m in re.finditer(word, form[start:end]):
                year = published_year + delta
                found.append(YearMention(start + m.start(), start + m.end(), year, year))
        for m in _ARTICLE_TIME.finditer(form, start, end):
            found.append(YearMention(m.start(), m.end(), published_year, published_year))
        for m in _RELATIVE_YEAR_EN.finditer(form, start, end):
            year = published_year + _EN_RELATIVE.get((m.group(1) or "this").lower(), 0)
            found.append(YearMention(m.start(), m.end(), year, year))
    return sorted(found, key=lambda y: y.start)


def nearest(mentions: list[YearMention], start: int, end: int) -> YearMention | None:
    """The year mention nearest to [start, end); one before it wins a tie."""
    if not mentions:
        return None

    def distance(y: YearMention) -> tuple[int, int]:
        return (start - y.end if y.end <= start else y.start - end, 0 if y.end <= start else 1)

    return min(mentions, key=distance)


@dataclass(frozen=True)
class Period:
    label: str  # 2024, 2022-2035, or "" when the text names none
    year: int | None  # the (last) year
    intro: str = ""  # the line that gave it, when a line introducing a list did


def period_of(
    form: str,
    sentences: list[Span],
    published_year: int | None,
    figure: Span,
    clause: Span,
    ratio: bool = False,
    published_month: int | None = None,
) -> Period:
    """The nearest year in the figure's clause, else its sentence, else the sentence a 其中
    refers back to, else a short line introducing it; none when the text names none (the
    publication date is no period of its own). For a ratio ('10 times the amount of 2018') only
    years before it count: a year after it is the base."""
    sentence = containing(sentences, figure.start) or clause
    for scope in [clause, sentence, *_context(form, sentences, sentence)]:
        mentions = [
            m
            for m in year_mentions(form, scope.start, scope.end, published_year, published_month)
            if _book_title(form, m.start) in (None, _book_title(form, figure.start))
            and not is_base(form, m.start, m.end, figure.start)
        ]
        if ratio or scope is not clause:
            # A time phrase governs what follows it: outside its own clause a figure takes a year
            # named before it ('10 times the amount of 2018': the year after a ratio is its base).
            mentions = [m for m in mentions if m.end <= figure.start]
        near = nearest(mentions, figure.start, figure.end)
        if near is not None and near.year == NO_YEAR:
            return Period("", None)  # 近三年: several years, none of them the figure's own
        if near is not None and near.last != near.year and near.end <= figure.start:
            # 2009年至2018年…由670件增加到5408件: 670 is 2009's, 5408 is 2018's
            between = form[near.end : figure.start]
            if _FROM.search(between):
                return Period(str(near.year), near.year)
            if re.search(r"由|从|從|\bfrom\b", between):
                return Period(str(near.last), near.last)
        if near is not None:
            return Period(_label(near), near.last)
    heading = _heading_follow(form, figure.start, published_year)
    if heading is not None:
        return heading
    intro = intro_line(form, sentence.start)
    if intro is not None:
        mentions = year_mentions(form, intro.start, intro.end, published_year)
        if mentions:
            return Period(_label(mentions[-1]), mentions[-1].last, form[intro.start : intro.end])
    for found in (
        _opening_paragraph(form, sentence.start, published_year),
        _lead(form, figure.start, published_year),
    ):
        if found is not None:
            return Period(_label(found), found.last)
    return Period("", None)


def _book_title(form: str, at: int) -> int | None:
    """Where the 《title》 holding `at` opens, if one does: a year in a document's title (《…工作方案
    (2022-2025年)》) names the document, not the time of a figure outside it."""
    opening = form.rfind("《", 0, at)
    if opening < 0 or form.rfind("》", 0, at) > opening or form.find("》", at) < 0:
        return None
    return opening


def _paragraph_before(form: str, at: int) -> Span | None:
    """The non-blank line before the line holding `at`."""
    end = form.rfind("\n", 0, at)
    while end > 0:
        start = form.rfind("\n", 0, end) + 1
        if form[start:end].strip():
            return Span(start, end)
        end = start - 1
    return None


def _opening_paragraph(form: str, at: int, published_year: int | None) -> YearMention | None:
    """去年,大连市获批…  followed by a paragraph of figures: a paragraph that opens with a time and
    states no figure of its own introduces the paragraph after it, which takes that time."""
    before = _paragraph_before(form, at)
    if before is None:
        return None
    head = re.match(r"[^,，:：。;；]*", form[before.start : before.end])
    mentions = year_mentions(form, before.start, before.end, published_year)
    opening = [m for m in mentions if head is not None and m.end <= before.start + head.end()]
    if not opening:
        return None
    rest = form[before.start : before.end]
    for m in reversed(mentions):
        rest = rest[: m.start - before.start] + rest[m.end - before.start :]
    return None if re.search(r"\d", rest) else opening[0]


def _lead(form: str, at: int, published_year: int | None) -> YearMention | None:
    """A news report's lead (its first paragraph of full sentences) that dates the event with a day
    of the month (4月25日, no year: the article's own time) dates the figures that follow it and
    name no time of their own."""
    for line in re.finditer(r"[^\n]+", form[:at]):
        if re.search(r"[。！？.!?]", line.group()) and len(line.group()) > _HEADING_MAX_CHARS:
            found = _ARTICLE_DAY.search(line.group())
            if found is None or published_year is None:
                return None
            start = line.start() + found.start()
            return YearMention(start, line.start() + found.end(), published_year, published_year)
    return None


def _heading_follow(form: str, at: int, published_year: int | None) -> Period | None:
    """A heading (a short line without a full stop) names no year of its own: it is about the
    paragraph under it, so it takes that paragraph's first year."""
    line = heading_line(form, at)
    if line is None:
        return None
    following = line.end
    while following < len(form) and not form[following].strip():
        following += 1
    line_end = form.find("\n", following)
    mentions = year_mentions(form, following, len(form) if line_end < 0 else line_end, published_year)
    return Period(_label(mentions[0]), mentions[0].last) if mentions else None


def heading_line(form: str, at: int) -> Span | None:
    """The line holding `at` when it is a heading: short, without a full stop."""
    start = form.rfind("\n", 0, at) + 1
    end = form.find("\n", at)
    end = len(form) if end < 0 else end
    if end - start > _HEADING_MAX_CHARS or re.search(r"[。！？.!?]\s*$", form[start:end]):
        return None
    return Span(start, end)


def _context(form: str, sentences: list[Span], sentence: Span) -> list[Span]:
    """The sentences before, nearest first, within the paragraph; where the full sentence (up to
    。 or a line end) opens with 其中 (among them), also the one before the paragraph; where its
    paragraph opens with 分类来看 (broken down), all of the paragraph before, nearest first."""
    full = max(form.rfind(c, 0, sentence.start) for c in "。！？!?\n") + 1
    line = form.rfind("\n", 0, sentence.start) + 1
    back = _BACK_REFERENCE.match(form, full) is not None
    goes_on = _CONTINUATION.match(form, line) is not None
    previous_line = form.rfind("\n", 0, max(0, line - 1)) + 1
    out = []
    for earlier in reversed(sentences[: sentences.index(sentence)] if sentence in sentences else []):
        if earlier.end <= line:
            if goes_on and earlier.start >= previous_line:
                out.append(earlier)
                continue
            if back:
                out.append(earlier)
            break
        out.append(earlier)
    return out


def _label(mention: YearMention) -> str:
    return str(mention.year) if mention.last == mention.year else f"{mention.year}-{mention.last}"


def intro_line(form: str, before: int) -> Span | None:
    """A short line ending in a year among the few lines before `before`, with no line between
    naming a year of its own."""
    end = form.rfind("\n", 0, before)
    seen = 0
    while end > 0 and seen < _INTRO_LINES:
        start = form.rfind("\n", 0, end) + 1
        line = form[start:end].strip()
        if line:
            seen += 1
            if len(line) <= _INTRO_MAX_CHARS and _YEAR_AT_END.search(line):
                return Span(start, end)
            if _YEAR.search(line):
                return None
        end = start - 1
    return None


def kind_of(
    clause_head: str,
    sentence_head: str,
    unit: str | None,
    period: Period,
    published: int | None,
    tail: str = "",
) -> str:
    """achieved, target, cumulative or growth, from the words before the figure (and a comparison
    right after it: 23% more than a year earlier)."""
    if unit == "倍" or (_GROWTH.search(clause_head) and not _LEVEL.search(clause_head)):
        return "growth"
    if unit == "%" and COMPARED_EN.match(tail):
        return "growth"
    later = period.year is not None and published is not None and period.year > published
    if _TARGET.search(sentence_head) or _TARGET.search(period.intro) or later:
        return "target"
    if _CUMULATIVE.search(sentence_head):
        return "cumulative"
    return "achieved"
