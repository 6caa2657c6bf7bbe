"""Questions asked in other words for the judge's training (assistant.selection.rewording)."""

from __future__ import annotations

from assistant.selection.rewording import reworded, synonym
from index.analysis import search_form


def test_a_reworded_question_keeps_its_place_and_year_and_says_its_terms_otherwise():
    question = "大连2021年专利授权总量是多少?"
    other = reworded(question)
    assert other is not None and other != search_form(question)
    assert "大连" in other and "2021" in other and "多少" in other


def test_a_synonym_shares_a_character_and_is_not_already_asked():
    found = synonym("数量", "大连专利数量是多少")
    assert found is not None and found != "数量" and set(found) & set("数量")
    assert synonym("数量", "大连专利数量和" + (found or "") + "是多少") != found


def test_a_question_with_nothing_to_say_otherwise_is_not_reworded():
    assert reworded("大连?") is None
