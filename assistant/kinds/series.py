"""A measure's figures for one place over time, read from the figures table built at ingest
(index/figure_table.py): the rows whose measure best matches the question's, of the family asked
(money, a count, a share), one per distinct value and period, oldest first; and the stated changes
(growth rows: 同比增长33.2%, 10 times) of the same measure."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assistant.dictionary import default_dictionary
from assistant.kinds.parts import family, overlap, terms
from index.figure_records import measure_key
from index.figures import Figure, same_amount
from index.measure_matcher import asked_parts, cross_fit

MEASURE_SHARE = 0.7  # how well a row's measure must match the question's (fit)
ROUNDED = 0.05  # how far a rounded restatement (突破29件) may lie from the exact figure (29.4件)
CLOSE = 0.25  # how far below the best-matching measure another row may be and still be the measure
# … a row of the other script, matched by concepts and translations that tell fewer measures apart
# (商标注册窗口 holds the concept of 有效商标注册量 and adds one the question does not name)
CROSS_CLOSE = 0.1
LEVELS = ("achieved", "cumulative", "target")


@dataclass(frozen=True)
class Point:
    """One figure of the series: the table row, its figure, its period and how well it matches."""

    row: Mapping[str, Any]
    figure: Figure
    period: str
    fit: float
    key: str = ""  # the measure key read, where not the row's own (an elided measure read in full)

    @property
    def target(self) -> bool:
        return self.row["kind"] == "target"

    @property
    def published(self) -> str:
        return str(self.row.get("published") or "")


def figure_of(row: Mapping[str, Any]) -> Figure:
    return Figure(
        str(row["text"]), int(row["start"]), int(row["end"]), float(row["value"]), row["unit"] or None
    )


def fit(measure: frozenset[str], row_measure: str) -> float:
    """How well a row's measure names the question's: what it holds of it, and a little for
    adding little (每万人口高价值… is a worse match than 每万人口… for a question about the latter)."""
    held = overlap(measure, row_measure)
    own = terms(row_measure)
    precision = len(own & measure) / len(own) if own else 0.0
    return held + 0.3 * precision


def period_of(row: Mapping[str, Any]) -> str:
    """The year a row is for: its own, else its document's publication year."""
    if row.get("year"):
        return str(row["year"])
    return str(row.get("published") or "")[:4]


def unrestated(
    rows: Sequence[Mapping[str, Any]], heading: Callable[[Mapping[str, Any]], bool]
) -> Callable[[Mapping[str, Any]], bool]:
    """Whether a row stands for its own figure: not where it is a heading that restates, rounded,
    a figure a line of its document says exactly (突破29件 over 29.4件). A short line of a list
    (培育骨干知识产权运营中心6个) that no other row restates is a figure of its own."""

    def usable(row: Mapping[str, Any]) -> bool:
        near = [o for o in rows if _restates(row, o)]
        return not near or not heading(row) or all(heading(o) for o in near)

    return usable


def _restates(row: Mapping[str, Any], other: Mapping[str, Any]) -> bool:
    """Another row of the same document, kind and measure whose value lies within `ROUNDED`."""
    if row is other or row["doc_id"] != other["doc_id"] or row["kind"] != other["kind"]:
        return False
    if (row.get("measure_key") or row["measure"]) != (other.get("measure_key") or other["measure"]):
        return False
    high = max(abs(float(row["value"])), abs(float(other["value"])))
    return high > 0 and abs(float(row["value"]) - float(other["value"])) <= ROUNDED * high


def key_fit(asked: str, row_key: str) -> float:
    """Across scripts, how well a row's measure key (glossary ids) names the question's: the share
    of the question's glossary ids it holds, and a little for adding little."""
    wanted = {p for p in asked.split("+") if p.isascii() and "_" in p}
    own = {p for p in row_key.split("+") if p}
    if len(wanted) < 2:
        return 0.0  # one concept (知识产权) tells no measure from another
    shared = wanted & own
    return len(shared) / len(wanted) + 0.3 * len(shared) / len(own)


def series(
    rows: Sequence[Mapping[str, Any]],
    measure: frozenset[str],
    place: str | None,
    kind: str | None,
    measure_text: str = "",
    usable: Callable[[Mapping[str, Any]], bool] = lambda row: True,
    copies: list[Point] | None = None,
) -> tuple[list[Point], list[Point]]:
    """(the measure's distinct figures oldest first, its stated changes) among `rows` of `place`
    (a place key; None: any place) and of family `kind` (None: the best match's). Rows of the
    question's script match by words; others by glossary ids of `measure_text`'s key. `copies`
    receives the same figure again from other documents."""
    cjk = any(_cjk(t) for t in measure)
    asked_key = measure_key(measure_text) if measure_text else ""
    here = [r for r in rows if (place is None or r["place_key"] == place) and r["measure"]]
    same = [r for r in here if _cjk(str(r["measure"])) == cjk]
    full = elided(here)
    scored = [_scored(r, measure, full.get(id(r))) for r in same]
    # A change another article states in another script (10 times, in the English report) is
    # matched by glossary ids (an English question's also by translations, below).
    english = not cjk and bool(measure_text)
    asked = asked_parts(measure_text) if english else []

    def across(row: Mapping[str, Any]) -> float:
        by_ids = key_fit(asked_key, str(row.get("measure_key") or ""))
        return max(by_ids, cross_fit(asked, row, default_dictionary())) if english else by_ids

    crossed = [
        Point(r, figure_of(r), period_of(r), across(r))
        for r in here
        if _cjk(str(r["measure"])) != cjk and r["kind"] == "growth"
    ]
    if english:  # the Chinese reports' figures of levels too, by concepts and translations
        scored += [
            _crossed(asked, r, full.get(id(r)))
            for r in here
            if _cjk(str(r["measure"])) and r["kind"] in LEVELS
        ]
    levels = [p for p in scored if p.row["kind"] in LEVELS and (kind is None or family(p.figure) == kind)]
    levels = [p for p in levels if p.fit >= MEASURE_SHARE and usable(p.row)]
    if not levels:
        return [], []
    top = max(p.fit for p in levels)
    best = max(levels, key=lambda p: p.fit)
    chosen = [
        p
        for p in levels
        if family(p.figure) == family(best.figure)
        and same_measure(best, p, top)
        and (_cjk(str(p.row["measure"])) == cjk or p.fit >= top - CROSS_CLOSE)
    ]
    distinct: list[Point] = []
    for p in sorted(chosen, key=lambda p: -p.fit):
        if not any(_same(p, d) for d in distinct):
            distinct.append(p)
        elif copies is not None and not any(p.row["doc_id"] == d.row["doc_id"] for d in [*distinct, *copies]):
            copies.append(p)  # the same figure in another report (19件 in April and in August)
    distinct.sort(key=lambda p: (p.period, p.published, p.target))
    stated = [p for p in scored if p.row["kind"] == "growth" and p.fit >= max(top - CLOSE, MEASURE_SHARE)]
    stated += [p for p in crossed if p.fit >= MEASURE_SHARE]
    return distinct, stated


ELIDED = 4  # the longest measure (in characters) read as the one before it in its sentence


def elided(rows: Sequence[Mapping[str, Any]]) -> dict[int, str]:
    """Measures that repeat the head of the measure before them in their sentence and name only
    what is counted of it (办理知识产权质押融资1000余笔，质押金额107亿元), read in full (知识产权质押
    融资金额): id(row) -> the full measure. Short Chinese measures only; a measure sharing only its
    tail (商标行政案件310件、仲裁案件46件) names its own thing."""
    sentences: dict[tuple[Any, Any], list[Mapping[str, Any]]] = defaultdict(list)
    for o in rows:  # the Chinese measures of each sentence, so that a row looks only at its own
        if o.get("sentence_start") is not None and _cjk(str(o["measure"] or "")):
            sentences[(o["doc_id"], o["sentence_start"])].append(o)
    full: dict[int, str] = {}
    for row in rows:
        own = str(row["measure"] or "")
        if not _cjk(own) or len(own) > ELIDED or row.get("sentence_start") is None:
            continue
        same = sentences.get((row["doc_id"], row["sentence_start"]), [])
        before = [o for o in same if int(o["start"]) < int(row["start"])]
        if not before:
            continue
        head = str(max(before, key=lambda o: int(o["start"]))["measure"])
        if own[:2] in head and head != own:
            full[id(row)] = head + own[2:]
    return full


def _scored(row: Mapping[str, Any], measure: frozenset[str], full: str | None) -> Point:
    """A row of the question's script as a point: its measure's fit, or its full measure's where an
    elided measure read in full names the question's better."""
    own = Point(row, figure_of(row), period_of(row), fit(measure, str(row["measure"])))
    if full is None:
        return own
    read = fit(measure, full)
    return Point(row, own.figure, own.period, read, measure_key(full)) if read > own.fit else own


def _crossed(asked: list[str], row: Mapping[str, Any], full: str | None) -> Point:
    """A Chinese row for an English question, scored by concepts and translations; an elided
    measure also read in full."""
    own = Point(row, figure_of(row), period_of(row), cross_fit(asked, row, default_dictionary()))
    if full is None:
        return own
    key = measure_key(full)
    read = cross_fit(asked, {**row, "measure": full, "measure_key": key}, default_dictionary())
    return Point(row, own.figure, own.period, read, key) if read > own.fit else own


def same_measure(best: Point, other: Point, top: float) -> bool:
    """Whether `other` counts what the best-matching row counts. Where both rows' measures are
    known to the glossary in two concepts or more, their concepts decide (每万人有效发明专利拥有量 is
    每万人口发明专利拥有量, a valid invention patent being an invention patent; 每万人口高价值发明专利
    拥有量 is not, though its words hold more of the question's); else how close its words match."""
    ours, theirs = _parts(best), _parts(other)
    if len(ours) >= 2 and len(theirs) >= 2:
        if len(ours) == len(theirs) and all(_narrows(a, b) for a, b in zip(ours, theirs, strict=True)):
            return True
        return _outcome(best, other) and other.fit >= top - CLOSE and _qualified(ours, theirs)
    return other.fit >= top - CLOSE


def _outcome(a: Point, b: Point) -> bool:
    """A target and a figure of another report: the target is set out formally (质押融资登记金额累计)
    and its outcome reported in plain words (质押金额)."""
    return a.target != b.target and a.row["doc_id"] != b.row["doc_id"]


def _qualified(a: list[str], b: list[str]) -> bool:
    """One key is the other with one concept more (登记: register), in the same order."""
    short, long = sorted((a, b), key=len)
    if len(long) != len(short) + 1:
        return False
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _parts(point: Point) -> list[str]:
    """A Chinese measure's key: glossary ids and the words they leave (an English key's stems
    are not told from ids, so an English row matches by its words)."""
    if not _cjk(str(point.row["measure"])):
        return []
    return [p for p in str(point.key or point.row.get("measure_key") or "").split("+") if p]


def _narrows(a: str, b: str) -> bool:
    """One concept id is the other, or the other with a qualifier before it (valid_invention_patent)."""
    return a == b or a.endswith("_" + b) or b.endswith("_" + a)


def _same(a: Point, b: Point) -> bool:
    """The same figure again (14.95亿元 and 1.495 billion yuan), or a second figure of one document
    for one period (only the better-matching one is the measure's)."""
    if same_amount(a.figure, b.figure) and a.target == b.target:
        return True
    return a.row["doc_id"] == b.row["doc_id"] and a.period == b.period and a.target == b.target


def _cjk(text: str) -> bool:
    """Across scripts only glossary concepts match, too few to tell one measure from another: a
    question is matched against rows of its own script. `usable` rules rows out before the best is
    chosen (a heading that restates a figure of the lines under it)."""
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)
