"""Whose figure it is (issue 12): the place a clause of its sentence opens with, and a subject that
refers to a place named before (the province, its, 该区, 高新区 for the district named in full)."""

from __future__ import annotations

from index.figure_records import extract_figures


def places(text: str, region: str, language: str = "") -> dict[str, str]:
    found = extract_figures(text, "doc", published="2024-03-01", region=region, language=language)
    return {r.text: r.place_key for r in found}


def test_the_province_and_its_refer_to_the_province_named_before():
    text = (
        "Hubei's valid invention patents rose to 120,000. Shandong came next. Over the year the province "
        "registered 9.8 billion yuan of pledge loans, and its trademark pledges reached 2.1 billion yuan. "
        "Across Hunan, pledge financing reached 30 billion yuan. The province's share of the national total was 5%."
    )
    found = places(text, "China", "en")
    assert found["120,000"] == "hubei"
    assert found["9.8 billion yuan"] == found["2.1 billion yuan"] == "shandong"
    assert found["30 billion yuan"] == found["5%"] == "hunan"


def test_a_place_opening_an_earlier_clause_of_the_sentence_is_the_figures():
    found = places(
        "2009年至2018年，全国质押专利数由670件增加到5408件，质押融资金额由74.59亿元增加到885亿元。", "广东"
    )
    assert found["74.59亿元"] == found["885亿元"] == "china"


def test_a_districts_short_name_and_gai_qu_are_the_district_named_before():
    text = "记者从武汉东湖高新区获悉，今年高新区专利授权量达1.2万件。该区设立规模10亿元的运营基金。"
    found = places(text, "武汉")
    assert found["1.2万件"] == found["10亿元"] != "wuhan"
    assert found["1.2万件"].startswith("武汉东湖")


def test_zai_quan_sheng_is_a_scope_not_the_subject():
    text = "河南省专利奖评选揭晓。洛阳市累计获国家专利奖46项，在全省占27.38%，包括国家专利金奖3项。"
    found = places(text, "洛阳")
    assert found["27.38%"] == found["3项"] == "洛阳"


def test_a_place_opening_a_measure_before_a_scope_word_or_a_district_is_its_place():
    found = {
        r.text: (r.measure, r.place)
        for r in extract_figures(
            "2024年，南通全市专利授权量为27138件。其中，武汉东湖高新区发明专利授权量1.2万件。成都高新区累计获得中国专利奖42项。",
            "doc",
            published="2025-01-10",
            region="南通",
        )
    }
    assert found["27138件"] == ("专利授权量", "南通")
    assert found["1.2万件"] == ("发明专利授权量", "武汉东湖高新区")
    assert found["42项"][0] == "中国专利奖"  # a place before a noun alone may name something
