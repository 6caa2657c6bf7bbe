"""Durations are records of their own kind (issue 12): 连续5年, 近三年, 用三年时间, 五年内, for four
consecutive years; a streak ends in its sentence's year, a span names none; a plan's name is none."""

from __future__ import annotations

from index.figure_records import extract_figures


def records(text: str, language: str = "", published: str = "2024-02-01"):
    return extract_figures(text, "doc", published=published, region="苏州", language=language)


def test_a_streak_of_years_is_a_duration_of_its_sentences_year():
    found = {r.text: r for r in records("2023年，全市专利质押融资已连续4年保持40%以上的增幅。")}
    assert (found["4年"].kind, found["4年"].value, found["4年"].unit, found["4年"].year) == (
        "duration",
        4,
        "年",
        2023,
    )
    assert "增幅" in found["4年"].measure
    assert found["40%"].kind != "duration"


def test_spans_of_years_are_durations_naming_no_year():
    text = "近三年，全市质押融资累计超过60亿元。全省将用三年时间，把办案周期缩短到60天以内。未来五年内培训1万名人员。"
    found = records(text)
    spans = [r for r in found if r.kind == "duration"]
    assert [(r.text, r.value, r.period) for r in spans] == [("三年", 3, ""), ("三年", 3, ""), ("五年", 5, "")]
    assert "办案周期" in spans[1].measure
    others = {r.text: r for r in found if r.kind != "duration"}
    assert others["60亿元"].period == "" and others["1万名"].period == ""  # 五年内 is no part of a year


def test_a_plans_name_and_a_bare_count_of_years_are_no_duration():
    found = records("按照三年行动方案，到2025年全市知识产权示范企业达到100家。")
    assert [r.kind for r in found if r.unit == "年"] == []


def test_english_durations():
    text = (
        "In 2023 the province kept its patent pledge financing growing by more than 20% for four consecutive years. "
        "Over the past five years, patent pledges have totalled 205.7 billion yuan. "
        "The office will hire 50 examiners within 3 years."
    )
    found = [r for r in records(text, "en") if r.kind == "duration"]
    assert [(r.value, r.year) for r in found] == [(4, 2023), (5, None), (3, None)]
    assert found[1].measure == "patent pledges"
    assert {r.text for r in records(text, "en") if r.kind != "duration"} == {
        "20%",
        "205.7 billion yuan",
        "50",
    }
