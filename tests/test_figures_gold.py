"""The hand-labelled figures sample (issue 12) is well formed and points at its figures."""

from __future__ import annotations

import json
from pathlib import Path

GOLD = Path(__file__).parent / "figures_gold.jsonl"
ARTICLES = Path(__file__).parent.parent / "docs" / "articles"
KINDS = {"achieved", "target", "cumulative", "growth", "rank", "other"}


def _records() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_figure_stands_at_its_offset() -> None:
    texts = {p.stem: p.read_text(encoding="utf-8") for p in ARTICLES.glob("*.txt")}
    for r in _records():
        start = r["offset"]
        assert texts[r["doc"]][start : start + len(r["figure"])] == r["figure"], r


def test_the_sample_covers_every_article_with_at_least_100_figures() -> None:
    records = _records()
    assert len(records) >= 100
    assert {r["doc"] for r in records} == {p.stem for p in ARTICLES.glob("*.txt")}
    assert len({(r["doc"], r["offset"]) for r in records}) == len(records)


def test_fields_are_typed() -> None:
    for r in _records():
        assert r["kind"] in KINDS, r
        assert isinstance(r["value"], int | float) and r["unit"] and r["measure"], r
        assert r["period"] is None or (len(r["period"]) == 4 and r["period"].isdigit()), r
