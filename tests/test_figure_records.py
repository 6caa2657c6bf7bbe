"""Figure extraction: values and units normalised, measures, places, periods and kinds from context."""

from __future__ import annotations

import pytest

from index.figure_records import extract_figures, measure_key
from index.figure_text import place_key


def only(text: str, **meta: str):
    found = extract_figures(text, "doc", **meta)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "value", "unit", "english"),
    [
        ("2021年大连市知识产权质押贷款达到14.95亿元。", 1_495_000_000, "元", "1.495 billion yuan"),
        ("2021年全市有效发明专利拥有量2.03万件。", 20_300, "件", "20,300"),
        ("2024年長沙全市有效發明專利擁有量7.61萬件。", 76_100, "件", "76,100"),
        (
            "In 2021 the pledge loan of Dalian reached 1.495 billion yuan.",
            1_495_000_000,
            "元",
            "1.495 billion yuan",
        ),
        (
            "In 2022 the risk compensation fund of Dalian reached 32 million yuan.",
            32_000_000,
            "元",
            "32 million yuan",
        ),
        ("2021年专利授权量同比增长33.2%。", 33.2, "%", "33.2%"),
    ],
)
def test_values_and_units_are_normalised(text: str, value: float, unit: str, english: str):
    record = only(text, region="大连", published="2022-04-26")
    assert record.value == pytest.approx(value)
    assert record.unit == unit
    assert record.english == english
    assert text[record.start : record.end] == record.text


def test_normalised_value_is_written_in_base_units():
    record = only("2021年大连市知识产权质押贷款达到14.95亿元。")
    assert record.normalised == "1,495,000,000 元"


def test_years_dates_and_codes_are_not_figures():
    text = "2月24日,中国专利奖在2024年颁发;企业获得ISO 56005证书,实施“1355”工作和五大计划。"
    assert extract_figures(text, "doc") == []
    assert extract_figures("The fair was held in 2022, under the 5G plan.", "doc", language="en") == []


def test_ordinals_are_ranks_or_editions():
    rank = only("长沙在全球科技集群百强榜中跃居第32位。")
    assert (rank.text, rank.value, rank.kind) == ("第32位", 32, "rank")
    edition = only("成功举办第十二届中国国际专利技术与产品交易会。")
    assert (edition.value, edition.kind, edition.measure) == (12, "other", "中国国际专利技术与产品交易会")
    assert only("Held the 12th China Patent Fair.", language="en").kind == "other"


def test_approximate_amounts_keep_their_scale():
    record = only("大连市投资800余万元建设公共服务平台。")
    assert (record.value, record.approximate) == (8_000_000, True)


def test_amounts_are_not_mistaken_for_years():
    record = only("探索设立知识产权投资补助资金2000万元。", region="大连")
    assert record.value == 20_000_000 and record.year is None


def test_period_is_the_year_of_the_clause_not_the_publication_date():
    record = only("2021年,全市有效商标注册量13.8万件。", published="2022-04-26", region="大连")
    assert (record.period, record.year) == ("2021", 2021)


def test_period_is_read_from_a_sentence_that_其中_refers_back_to():
    text = "据介绍,2024年,长沙全面推进知识产权工作。\n其中,全市有效发明专利拥有量7.61万件。"
    assert only(text, published="2025-02").period == "2024"


def test_no_period_when_the_text_names_none_even_in_a_dated_article():
    assert only("全市有效发明专利拥有量7.61万件。", published="2025-02").period == ""
    assert only("全市有效发明专利拥有量7.61万件。").year is None


def test_as_of_now_is_the_article_date():
    assert only("截至目前,已实现专利和商标质押44笔。", published="2022-04-26").period == "2022"


def test_a_short_line_ending_in_a_year_gives_the_period_of_the_list_under_it():
    text = "大连定下这些目标\n\n计划到2025年\n\n全市每万人口高价值发明专利拥有量达到12.5件\n\n培育骨干知识产权运营中心6个\n"
    records = extract_figures(text, "doc", published="2022-08-05")
    assert [(r.value, r.period, r.kind) for r in records] == [(12.5, "2025", "target"), (6, "2025", "target")]


def test_a_heading_takes_the_year_of_the_paragraph_under_it():
    text = "全市有效发明专利拥有量7.61万件\n据介绍,2024年,长沙全面推进知识产权工作。\n"
    assert only(text, published="2025-02").period == "2024"


def test_the_year_after_a_ratio_is_its_base_not_its_period():
    text = "In 2021 the pledge loan reached 10 times the amount of 2018."
    record = only(text, language="en", published="2022-08-05")
    assert (record.unit, record.period) == ("倍", "2021")


def test_relative_years_are_read_against_the_publication_date():
    record = only("去年长沙每万人有效发明专利拥有量增至72.42件。", published="2025-02")
    assert record.year == 2024


def test_place_is_named_before_the_figure_else_the_region():
    assert only("2024年长沙全市有效发明专利拥有量7.61万件。", region="大连").place_key == "changsha"
    assert only("全市有效发明专利拥有量7.61万件。", region="長沙").place == "長沙"
    assert only("全市有效发明专利拥有量7.61万件。", region="長沙").place_key == "changsha"


def test_a_place_named_as_a_scope_is_not_whose_figure_it_is():
    text = "大连市获批东北首家国家知识产权运营中心,获批省知识产权运营中心2家。"
    assert only(text, region="大连").place_key == "dalian"
    assert only("获批东北首家运营中心,获批省运营中心2家。", region="大连").place_key == "dalian"


def test_place_keys_are_shared_across_scripts_and_languages():
    assert place_key("大连市") == place_key("Dalian") == place_key("大連") == "dalian"


def test_measure_is_the_noun_phrase_next_to_the_number():
    assert only("每万人有效发明专利拥有量增至72.42件。").measure == "每万人有效发明专利拥有量"
    assert only("大连大学推动238项专利向中小企业开放许可。").measure == "专利"
    record = only("with a total output value of 11.822 billion yuan.", language="en")
    assert record.measure.endswith("output value")


def test_measure_keys_match_across_scripts_and_languages():
    assert measure_key("知识产权质押贷款") == measure_key("intellectual property pledge loan")
    assert measure_key("有效發明專利擁有量") == measure_key("有效发明专利拥有量")
    assert measure_key("每万人有效发明专利拥有量") != measure_key("有效发明专利拥有量")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("2021年专利授权量同比增长33.2%。", "growth"),
        ("累计建成省级导航基地9家。", "cumulative"),
        ("今年将培育专利组合6个以上。", "target"),
        ("2021年全市有效商标注册量13.8万件。", "achieved"),
        ("The pledge loan reached 10 times the amount of 2018.", "growth"),
        ("到2025年,全市每万人口高价值发明专利拥有量达到12.5件。", "target"),
    ],
)
def test_kind_is_read_from_the_words_before_the_figure(text: str, kind: str):
    assert only(text, published="2022-04-26", language="en" if text.isascii() else "").kind == kind


def test_figures_know_their_chunk():
    text = "第一段没有数字。\n2021年全市有效商标注册量13.8万件。"
    record = only(text, chunks=[(0, 9), (9, len(text))])
    assert record.chunk == 1
