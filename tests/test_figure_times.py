"""Periods of figures dated by time expressions other than a year beside them (issue 12): parts of
a year and words relative to the article's date, years that are a comparison's base, the sides of
a change over a range of years, 当年 / the same year, and spans of several years."""

from __future__ import annotations

from index.figure_records import extract_figures


def periods(text: str, published: str = "", language: str = "") -> dict[str, str]:
    return {r.text: r.period for r in extract_figures(text, "doc", published=published, language=language)}


def test_a_part_of_a_year_is_of_the_articles_year_or_the_one_before_where_it_had_not_ended():
    text = "今年上半年,全市专利质押融资额为52亿元。"
    assert periods(text, "2023-08-02")["52亿元"] == "2023"
    text = "上半年,全市专利质押融资额为52亿元。"
    assert periods(text, "2024-01-10")["52亿元"] == "2023"
    text = "前三季度,全市受理专利申请3.1万件。"
    assert periods(text, "2022-10-20")["3.1万件"] == "2022"
    text = "In the first half, pledges worth 12.5 billion yuan were registered in the city."
    assert periods(text, "2019-08", "en")["12.5 billion yuan"] == "2019"
    text = "By the end of June, the city held 41,200 valid invention patents."
    assert periods(text, "2020-07-30", "en")["41,200"] == "2020"


def test_a_year_named_with_the_part_is_the_parts_year():
    text = "2022年上半年,全市专利质押融资额为38亿元。"
    assert periods(text, "2023-03-01")["38亿元"] == "2022"
    text = "In the first half of 2016, pledges reached 6.3 billion yuan."
    assert periods(text, "2017-03", "en")["6.3 billion yuan"] == "2016"


def test_a_comparisons_base_year_dates_no_figure_outside_it():
    text = "全市专利授权量为2.3万件,比上年增长12%。"
    assert periods(text, "2024-02-01") == {"2.3万件": "", "12%": ""}
    text = "去年全市专利授权量为2.3万件,较2022年增长12%。"
    assert periods(text, "2024-02-01") == {"2.3万件": "2023", "12%": "2023"}
    text = "2023年全市发明专利授权量4100件,与2022年的3600件相比,增长约14%。"
    assert periods(text, "2024-02-01") == {"4100件": "2023", "3600件": "2022", "14%": "2023"}
    text = "In 2019 the city registered 9,300 trademarks, 15% more than in 2018."
    assert periods(text, "2020-01", "en") == {"9,300": "2019", "15%": "2019"}


def test_the_sides_of_a_change_over_a_range_of_years_are_its_first_and_last_years():
    text = "2015年至2020年,全市有效发明专利由1200件增加到5600件。"
    assert periods(text) == {"1200件": "2015", "5600件": "2020"}


def test_the_same_year_is_the_year_named_last():
    text = "截至2021年底,全市有效发明专利达8000件;当年专利转化率为12%。"
    assert periods(text, "2023-05-01")["12%"] == "2021"
    text = "In 2018 the city opened 3 service centres, and 12 more cities began pilots in the same year."
    assert periods(text, "2019-02", "en")["12"] == "2018"


def test_a_span_of_several_years_names_no_year_of_its_own():
    text = "2024年,全市工作成效明显。近三年,全市累计审结知识产权案件552件。"
    assert periods(text, "2025-01-05")["552件"] == ""
    text = "「十三五」时期,全市质押融资额年均增长19%。"
    assert periods(text, "2021-07-15")["19%"] == ""


def test_a_figure_said_again_is_of_the_period_it_was_first_said_for_and_so_is_its_sentence():
    text = (
        "至去年12月底,知识产权署共接获640宗申请,其中55宗已获批准。\n"
        "署方介绍,这640宗申请之中有31%是全球首次申请,其中198宗来自本地。"
    )
    found = periods(text, "2024-02-17")
    assert found == {"640宗": "2023", "55宗": "2023", "31%": "2023", "198宗": "2023"}


def test_the_same_period_last_year_is_a_base_and_a_rise_of_counts_what_rose():
    text = "The office received 48,000 applications in the first nine months, a rise of 6% over the same period last year."
    found = {
        r.text: (r.measure, r.period, r.kind)
        for r in extract_figures(text, "d", published="2023-10-20", language="en")
    }
    assert found["6%"] == ("applications", "2023", "growth")
    found = {
        r.text: r.kind
        for r in extract_figures("去年商标注册申请达8万6,532件,年增5%。", "d", published="2024-02-20")
    }
    assert found["5%"] == "growth"
