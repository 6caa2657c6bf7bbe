"""The selector's character-level hold on the measure a question asks (assistant.selection.measures)."""

from __future__ import annotations

import math

from assistant.selection.measures import Measure, measure_features
from index.analysis import search_form

LISTED = "全市有效發明專利擁有量7.61萬件、每萬人有效發明專利擁有量72.42件;高價值發明專利擁有量2.97萬件"


def test_the_clause_of_the_measure_asked_holds_its_head_and_another_measure_of_the_place_does_not():
    asked = Measure.of(search_form("长沙高价值发明专利拥有量是多少?"))
    other = Measure.of(search_form("长沙专利授权总量是多少?"))
    _, clause, head = measure_features(asked, search_form(LISTED), figure_clauses=True)
    assert clause == 1.0 and head == 1.0
    held, clause, head = measure_features(other, search_form(LISTED), figure_clauses=True)
    assert head == 0.0 and clause < 0.5 and held < 0.5


def test_places_years_and_question_words_are_not_the_measure():
    m = Measure.of(search_form("大连2021年商标注册申请量是多少?"))
    assert m.head == {"申请", "请量"}
    assert not any(ch in pair for pair in m.pairs for ch in "大连多少是")


def test_an_english_question_has_no_character_measure():
    m = Measure.of(search_form("How many trademark applications did Dalian file?"))
    assert not m.pairs
    assert all(math.isnan(v) for v in measure_features(m, search_form(LISTED), figure_clauses=True))


def test_only_clauses_holding_a_figure_count_when_a_figure_is_asked():
    m = Measure.of(search_form("质押贷款额是多少?"))
    sentence = search_form("质押贷款额大幅增长,全市风险补偿基金3200万元")
    assert measure_features(m, sentence, figure_clauses=False)[1] == 1.0
    assert measure_features(m, sentence, figure_clauses=True)[1] == 0.0
