"""Document metadata: what the bundled articles show, and dates carried by file names."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.settings import Settings
from index.metadata import build_meta, published_from_name
from index.store import Store


def test_every_bundled_article_shows_a_date_and_a_source(bundled_index: Path):
    records = Store(Settings(data_dir=bundled_index)).document_records()
    assert len(records) == 5
    for doc_id, record in records.items():
        assert record["published"], f"{doc_id} shows no date"
        assert record["source"], f"{doc_id} shows no source"
    assert records["dalian-demo-city-2022"]["published"] == "2022-08-05"  # the manifest's, not the name's


@pytest.mark.parametrize(
    ("name", "published"),
    [
        ("dalian-ip-city-2025.txt", "2025"),
        ("uploads/report_2022-08-05.html", "2022-08-05"),
        ("notice-20210314.pdf", "2021-03-14"),
        ("plan-2022-2035.txt", ""),  # two years: which one is not known
        ("a2022b.txt", "2022"),
        ("id-120221.txt", ""),  # part of a longer number
        ("report.txt", ""),
        ("", ""),
    ],
)
def test_a_file_name_can_carry_the_publication_date(name: str, published: str):
    assert published_from_name(name) == published


def test_a_date_in_the_text_or_given_wins_over_the_file_name():
    text = "标题\n2022-04-26 11:01:53\n大连市开展知识产权宣传周主题日活动。\n"
    assert build_meta("n-2019", "n-2019.txt", text, text.splitlines(), {}).published == "2022-04-26"
    given = {"published": "2021-05"}
    assert build_meta("n-2019", "n-2019.txt", "没有日期。", ["没有日期。"], given).published == "2021-05"
    assert build_meta("n-2019", "n-2019.txt", "没有日期。", ["没有日期。"], {}).published == "2019"
