"""Figure records read against the other records of their article: a heading's figure is the
figure of the body it sums up, and a figure said again is the one said first."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

from index.figure_periods import heading_line, year_mentions

if TYPE_CHECKING:
    from index.figure_records import FigureRecord

R = TypeVar("R", bound="FigureRecord")

_HEADING_REACH = 800  # characters after a heading in which the figure it repeats is looked for


def headings_as_their_body(form: str, published_year: int | None, records: list[R]) -> list[R]:
    """A heading's figure (每万人口发明专利拥有量突破29件) sums up one in the text under it (截至目前,
    …29.4件): where its line names no year, it takes the period of the first figure of the same
    measure that follows within reach."""
    out = []
    for record in records:
        line = heading_line(form, record.start)
        if line is not None and not year_mentions(form, line.start, line.end, published_year):
            body = next(
                (
                    r
                    for r in records
                    if line.end <= r.start < line.end + _HEADING_REACH
                    and r.measure_key == record.measure_key
                    and heading_line(form, r.start) is None
                ),
                None,
            )
            if body is not None:
                record = replace(record, period=body.period, year=body.year)
        out.append(record)
    return out


def repeats_as_first_said(records: list[R]) -> list[R]:
    """A figure said again without a time (这825宗申请之中有38%…) is the figure said first, of its
    period, and so is the sentence restating it: its other undated figures take that period."""
    out = list(records)
    for i, record in enumerate(records):
        first = next((r for r in records[:i] if r.text == record.text and r.year is not None), None)
        if record.year is not None or record.kind == "rank" or first is None:
            continue
        for k, other in enumerate(out):
            if other.sentence_start == record.sentence_start and other.year is None:
                out[k] = replace(other, period=first.period, year=first.year)
    return out
