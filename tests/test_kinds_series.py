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


def test_a_list_line_stays_in_the_series_and_a_restating_heading_does_not() -> None:
    from assistant.kinds.series import unrestated

    rows = [
        _row("c", "29件", 29, "每万人口发明专利拥有量", "per_10k+invention_patent+ownership", 2022),
        _row("c", "29.4件", 29.4, "每万人口发明专利拥有量", "per_10k+invention_patent+ownership", 2022),
        _row("c", "5家", 5, "骨干知识产权运营中心", "骨干+intellectual_property+operation_center", 2022),
        _row(
            "c",
            "6个",
            6,
            "骨干知识产权运营中心",
            "骨干+intellectual_property+operation_center",
            2025,
            "target",
        ),
    ]
    short = {"29件", "6个"}  # both are short lines without a stop

    usable = unrestated(rows, lambda r: r["text"] in short)
    assert [r["text"] for r in rows if usable(r)] == ["29.4件", "5家", "6个"]
    points, _ = series(rows[2:], terms("骨干知识产权运营中心"), "changsha", None, usable=usable)
    assert [p.figure.text for p in points] == ["5家", "6个"]


def test_an_english_question_finds_the_chinese_reports_figures_by_concept_and_dictionary() -> None:
    from assistant.dictionary import default_dictionary
    from index.measure_matcher import asked_parts, cross_fit

    words = default_dictionary()

    asked = asked_parts("valid invention patents per 10,000 people in April")
    assert "april" not in asked
    assert (
        cross_fit(asked, ROWS[1], words) >= 1.0
    )  # 每万人口发明专利拥有量: a valid one is an invention patent
    assert cross_fit(asked, ROWS[3], words) < 0.7  # 每万人口高价值发明专利拥有量: another measure
    points, _ = series(
        ROWS,
        terms("valid invention patents per 10,000 people"),
        "changsha",
        None,
        "valid invention patents per 10,000 people",
        usable=lambda r: r["text"] != "44件",
    )
    assert [p.figure.text for p in points] == ["41.5件", "44.6件"]
    portfolio = _row("d", "33项", 33, "高价值知识产权组合", "high_value_ip_portfolio", 2025)
    assert cross_fit(asked_parts("high-value intellectual property portfolios"), portfolio, words) >= 1.0
    bases = _row("d", "9家", 9, "省级导航基地", "provincial+导航基地", 2025)
    assert cross_fit(asked_parts("provincial navigation bases"), bases, words) >= 1.0  # 导航 navigation


def test_the_level_before_is_computed_from_a_stated_growth_and_marked() -> None:
    from assistant.kinds.change import _derived_line, _earlier
    from assistant.kinds.parts import Sentence
    from assistant.kinds.series import Point, figure_of

    level_row = _row("g", "23508件", 23508, "专利授权总量", "patent+grant+total", 2021)
    rate_row = {**_row("g", "33.2%", 33.2, "专利授权总量", "patent+grant+total", 2021, "growth"), "unit": "%"}
    level = Point(level_row, figure_of(level_row), "2021", 1.0)
    rate = Point(rate_row, figure_of(rate_row), "2021", 1.0)
    said = Sentence("g", 0, 30, "2021年,大连市专利授权总量为23508件,同比增长33.2%。", {})
    found = _earlier(level, [rate], {id(rate): said})
    assert found is not None and found[1] == "2020" and round(found[0]) == 17649
    line = _derived_line(level, *found, english=False)
    assert "17649件" in line and "增加约5859件" in line and "计算" in line
    assert "+5,859" in _derived_line(level, *found, english=True)
    # a multiple of a named earlier year's amount: 10 times the 2018 loans
    times_row = {**_row("g", "10倍", 10, "质押贷款", "pledge_loan", 2021, "growth"), "unit": "倍"}
    times = Point(times_row, figure_of(times_row), "2021", 1.0)
    loans_row = {**_row("g", "14.95亿元", 1.495e9, "质押贷款", "pledge_loan", 2021), "unit": "元"}
    loans = Point(loans_row, figure_of(loans_row), "2021", 1.0)
    ten = Sentence("g", 0, 40, "reaching 10 times of the pledge loan amount in 2018", {})
    before = _earlier(loans, [times], {id(times): ten})
    assert before is not None and before[1] == "2018" and before[0] == 1.495e8
    # no year and no year-on-year: no earlier level
    assert _earlier(level, [rate], {id(rate): Sentence("g", 0, 9, "增长33.2%", {})}) is None


def test_a_level_computed_from_a_stated_change_cites_that_change_first() -> None:
    from assistant.kinds.change import _evidence

    assert _evidence(["level"], ["10 times"], derived=True) == ["10 times", "level"]
    assert _evidence(["2021", "2022"], ["+7.9%"], derived=False) == ["2021", "2022", "+7.9%"]


def test_a_level_the_stated_change_gives_in_another_language_is_not_quoted_again() -> None:
    from assistant.kinds.change import _unsaid
    from assistant.kinds.series import Point, figure_of

    row = {**_row("g", "14.95亿元", 1.495e9, "质押贷款", "pledge_loan", 2021), "unit": "元"}
    level = Point(row, figure_of(row), "2021", 1.0)
    said = "which helped the pledge loan to reach 1.495 billion yuan in 2021, reaching 10 times"
    assert _unsaid([level], said) == []
    assert _unsaid([level], "reaching 10 times of the pledge loan amount in 2018") == [level]


def _sentence_row(
    doc: str, text: str, value: float, unit: str, measure: str, key: str, start: int, **kw
) -> dict:
    row = kinds_row(doc, text, value, unit, measure, kw.get("year"), kw.get("kind", "achieved"), key=key)
    return {
        **row,
        "start": start,
        "end": start + len(text),
        "sentence_start": 0,
        "published": kw["published"],
    }


def test_a_target_and_a_later_reports_elided_measure_are_one_series() -> None:
    """办理知识产权质押融资300余笔，质押金额40亿元: 质押金额 is the 质押融资's amount, and the target set
    formally (质押融资登记金额累计) is met by it in a later report."""
    from assistant.kinds.series import elided

    later = [
        _sentence_row(
            "d",
            "300余笔",
            300,
            "笔",
            "知识产权质押融资",
            "intellectual_property+pledge_financing",
            10,
            published="2024",
        ),
        _sentence_row("d", "40亿元", 4e9, "元", "质押金额", "pledge+amount", 30, published="2024"),
    ]
    target = _sentence_row(
        "e",
        "20亿元",
        2e9,
        "元",
        "知识产权质押融资登记金额",
        "intellectual_property+pledge_financing+register+amount",
        5,
        year=2024,
        kind="target",
        published="2021-05-01",
    )
    assert list(elided(later).values()) == ["知识产权质押融资金额"]
    points, _ = series(
        [*later, target], terms("知识产权质押融资金额"), "dalian", "money", "知识产权质押融资金额"
    )
    assert [p.figure.text for p in points] == ["20亿元", "40亿元"]


def test_a_measure_sharing_only_its_tail_is_not_read_as_the_one_before() -> None:
    from assistant.kinds.series import elided

    rows = [
        _sentence_row(
            "f", "31件", 31, "件", "商标行政案件", "trademark+administrative_case", 5, published="2022"
        ),
        _sentence_row("f", "4件", 4, "件", "仲裁案件", "arbitration+case", 20, published="2022"),
    ]
    assert elided(rows) == {}


def test_the_same_figure_in_another_report_is_kept_as_a_copy() -> None:
    copies: list = []
    rows = [
        {
            **_row(
                "g", "19件", 19, "地理标志证明商标", "geographical_indication+certification_trademark", 2021
            ),
            "published": "2022-04-26",
        },
        {
            **_row(
                "h", "19件", 19, "地理标志证明商标", "geographical_indication+certification_trademark", 2021
            ),
            "published": "2022-08-05",
        },
    ]
    points, _ = series(rows, terms("地理标志证明商标"), "changsha", None, copies=copies)
    assert len(points) == 1 and [c.row["doc_id"] for c in copies] == [
        {"g": "h", "h": "g"}[points[0].row["doc_id"]]
    ]


def test_a_question_between_two_months_reports_asks_between_two_reports() -> None:
    from assistant.kinds.change import _two_reports

    assert _two_reports("长沙专利数从2023年3月的报道到9月的报道有何变化?")
    assert _two_reports("How did it change between the March 2023 report and the June 2023 report?")
    assert not _two_reports("长沙专利数从2021年到2023年有何变化?")
