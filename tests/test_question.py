"""What question analysis reads out of a question: the figure it wants, the words that matter."""

from __future__ import annotations

import pytest

from assistant.question import analyse


@pytest.mark.parametrize(
    "text",
    [
        "What is the satisfaction rate of IP protection in Dalian?",
        "What was the growth of trademark registrations?",
        "What is the 2025 target for high-value patents per 10,000 people?",
        "How long does a patent pre-examination take?",
    ],
)
def test_english_asking_for_a_measure_wants_a_figure(text: str):
    assert analyse(text).wants_figure


def test_an_english_question_about_a_thing_does_not_want_a_figure():
    assert not analyse("What is the role of the protection center?").wants_figure
    assert not analyse("Which plans did Dalian issue?").wants_figure


def test_words_naming_the_kind_of_answer_are_not_key_terms():
    words = {
        t
        for group in analyse("Which organisation was one of the first to open a TISC?").groups
        for t in group
    }
    assert not {"organis", "organisation", "one"} & words
    assert "~tisc" in words


def test_the_word_a_what_kind_question_asks_to_describe_is_recorded():
    assert analyse("大连知识产权执法保护保持了怎样的打击侵权态势?").described == "态势"
    assert analyse("What kind of situation was maintained?").described == "situat"
    assert analyse("大连有多少家服务机构?").described is None


@pytest.mark.parametrize(
    ("question", "unit"),
    [
        ("长沙调解了多少件纠纷?", "件"),
        ("大连有几家服务机构?", "家"),
        ("贷款多少亿元?", "亿元"),
        ("沿线设置了哪几个站点？", None),
    ],
)
def test_the_unit_a_how_many_question_counts_in(question: str, unit: str | None):
    assert analyse(question).counted == unit


def test_a_concept_straddling_two_words_is_no_key_term():
    # 融资金额 holds 资金 (fund) across 融资|金额: the question asks a financing amount, not a fund.
    words = {t for group in analyse("大连2021年知识产权质押融资金额是多少?").groups for t in group}
    assert "~fund" not in words
    assert {"~pledge_financing", "~amount"} <= words
    assert "~fund" in {t for group in analyse("大连设立了多少资金?").groups for t in group}
