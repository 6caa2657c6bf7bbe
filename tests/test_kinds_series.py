"""A measure's series from the figures table (change over time): rows whose measures the glossary
reads as the same concepts are one measure though worded apart, a qualified measure (高价值) is
another, and a heading's restated figure does not stand for the figure under it."""

from __future__ import annotations

from assistant.kinds.parts import terms
from assistant.kinds.series import series
from tests.test_kinds import _row as kinds_row


def _row(
    doc: str, text: str, value: float, measure: str, key: str, year: int, kind: str = "achieved"
) -> dict:
    row = kinds_row(doc, text, value, "件", measure, year, kind, key=key, place="changsha")
    return {**row, "published": f"{year}-06-01"}


ROWS = [
    _row("a", "41.5件", 41.5, "每万人有效发明专利拥有量", "per_10k+valid_invention_patent+ownership", 2021),
    _row("b", "44件", 44, "每万人口发明专利拥有量", "per_10k+invention_patent+ownership", 2023),
    _row("b", "44.6件", 44.6, "每万人口发明专利拥有量", "per_10k+invention_patent+ownership", 2023),
    _row(
        "b", "15件", 15, "每万人口高价值发明专利拥有量", "per_10k+high_value_patent+ownership", 2026, "target"
    ),
]


def test_one_measure_worded_apart_is_one_series_and_a_qualified_one_is_not() -> None:
    points, _ = series(
        ROWS, terms("每万人口发明专利拥有量"), "changsha", None, usable=lambda r: r["text"] != "44件"
    )
    assert [p.figure.text for p in points] == ["41.5件", "44.6件"]


def test_a_heading_figure_ruled_out_leaves_the_exact_one_of_its_period() -> None:
    points, _ = series(
        ROWS[1:3], terms("每万人口发明专利拥有量"), "changsha", None, usable=lambda r: r["text"] != "44件"
    )
    assert [p.figure.text for p in points] == ["44.6件"]
