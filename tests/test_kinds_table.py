"""A table flattened one cell a line (a web page's layout) is read back into rows, a merged cell
shared with the row above; counts and lists over it name the rows they count."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.kinds.parts import Sentence
from assistant.kinds.table import named_column, named_values, read_table
from assistant.pipeline import answer
from assistant.settings import Settings
from tests.conftest import ingest_reports

LINES = [
    "公示名单如下",
    "序号",
    "地区",
    "单位",
    "1",
    "湖北",
    "武汉市",
    "2",
    "宜昌市",
    "3",
    "河南",
    "郑州市",
    "4",
    "江西",
    "南昌市",
    "这些单位将在三年内完成建设任务,并接受评估。",
]


def _lines(texts: list[str]) -> list[Sentence]:
    out, at = [], 0
    for n, text in enumerate(texts):
        out.append(Sentence("doc", at, at + len(text), text, {"published": "2022-08-05"}, 0.0, n))
        at += len(text) + 2
    return out


def test_a_flattened_table_is_read_into_rows_sharing_merged_cells() -> None:
    table = read_table(_lines(LINES))
    assert table is not None and table.columns == ("地区", "单位")
    assert [(r.value(0), r.value(1)) for r in table.rows] == [
        ("湖北", "武汉市"),
        ("湖北", "宜昌市"),  # the merged cell of the row above
        ("河南", "郑州市"),
        ("江西", "南昌市"),  # the last row ends where prose starts
    ]


def test_values_are_named_in_the_question_by_words_or_across_languages() -> None:
    table = read_table(_lines(LINES))
    assert table is not None
    assert named_values(table, "名单里湖北和江西共有几个单位?") == (0, {"湖北", "江西"})
    assert named_values(table, "How many places of Hubei and Jiangxi are on the list?") == (
        0,
        {"湖北", "江西"},
    )
    assert named_column(table, "名单共涉及多少个地区?") == 0


def test_a_region_names_the_values_that_lie_in_it() -> None:
    lines = ["序号", "省份", "城市", "1", "辽宁", "大连市", "2", "吉林", "长春市", "3", "湖南", "长沙市"]
    table = read_table(_lines(lines))
    assert table is not None
    assert named_values(table, "东北三省有哪些城市上榜?") == (0, {"辽宁", "吉林"})


def test_values_named_themselves_come_before_values_of_a_region_named() -> None:
    lines = [
        "序号",
        "省份",
        "城市",
        "1",
        "湖南",
        "长沙市",
        "2",
        "湘潭市",
        "3",
        "株洲市",
        "4",
        "湖北",
        "宜昌市",
    ]
    table = read_table(_lines(lines))
    assert table is not None
    # 长沙市, 湘潭市 and 株洲市 lie in Hunan, but the question names the provinces themselves
    assert named_values(table, "How many places of Hunan and Hubei are on the list?") == (0, {"湖南", "湖北"})


def test_lines_that_are_not_a_table_are_not_read_as_one() -> None:
    prose = [
        "大连发布",
        "近日",
        "1",
        "国家知识产权局官网公示了评定结果,大连市成功入选。",
        "2",
        "也是辽宁地区唯一入选城市。",
    ]
    assert read_table(_lines(prose)) is None


ROSTER_LINES = ["示范单位名单公布", "近日,省里公布了知识产权示范单位名单。", "序号", "地区", "单位"]
ROSTER_LINES += ["1", "湖北", "武汉市", "2", "宜昌市", "3", "河南", "郑州市", "4", "江西", "南昌市"]
ROSTER_LINES += ["这些单位将在三年内完成建设任务,并接受评估。"]
ROSTER_ARTICLE = "\n\n".join(ROSTER_LINES)


@pytest.fixture
def roster(tmp_path: Path) -> Settings:
    return ingest_reports(tmp_path, {"roster.txt": ("2023-05-01", ROSTER_ARTICLE)})


def test_a_count_over_the_table_names_what_it_counted(roster: Settings) -> None:
    ans = answer("名单里湖北和江西一共有几个单位?", settings=roster)
    assert ans.answerable and "共3个" in ans.answer and "宜昌市" in ans.answer


def test_a_single_fact_about_a_listed_table_is_answered_from_its_rows(roster: Settings) -> None:
    ans = answer("河南入选名单的是哪个单位?", settings=roster)
    assert ans.answerable and "郑州市" in ans.answer.splitlines()[0]
