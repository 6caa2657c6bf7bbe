"""Questions asked in English: the items of a sum (a lone modifier before 'and' joins the
phrase after it; 'the combined amount of X and Y'), each matched by its own words; a bridge
described by a participle (the city approved as …)."""

from __future__ import annotations


def test_a_lone_singular_word_before_and_modifies_the_phrase_after_it() -> None:
    from assistant.kinds.sides import read_sides

    sides = read_sides(
        "How many patent and trademark cases and arbitration cases did Changsha settle in total?", True
    )
    assert sides is not None and len(sides.sides) == 2
    assert sides.sides[0].startswith("patent and trademark cases")
    two = read_sides("How many schools and universities did Changsha fund in total?", True)
    assert two is not None and len(two.sides) == 2


def test_the_combined_amount_of_two_things_has_two_sides() -> None:
    from assistant.kinds.sides import read_sides

    sides = read_sides("What is the combined amount of Changsha's pilot fund and its subsidy fund?", True)
    assert sides is not None and [s.split()[-1] for s in sides.sides] == ["fund", "fund"]


def test_an_english_side_is_matched_by_its_own_words_not_the_shared_verb() -> None:
    from assistant.kinds.figuring import _own, core_terms
    from assistant.kinds.parts import Sentence, figure_for
    from assistant.kinds.sides import read_sides

    q = "How many patent and trademark cases and arbitration cases did Changsha settle in total in the past three years?"
    sides = read_sides(q, True)
    assert sides is not None
    text = (
        "In the past three years, 500 judicial cases have been concluded, 300 patent and trademark cases, "
        "40 arbitration cases and 350 mediation cases have been settled."
    )
    sentence = Sentence("doc", 0, len(text), text, {"published": "2024-01-01", "language": "en"}, 0.0, 0)
    found = [figure_for(core_terms(_own(side, sides.measure)), sentence) for side in sides.sides]
    assert [m.figure.text for m in found if m] == ["300", "40"]


def test_a_bridge_described_by_a_participle_is_split_into_description_and_question() -> None:
    from assistant.kinds.bridge import _split

    split = _split(
        "In the city approved as a protection zone city, how many patents were there in 2024?", True
    )
    assert split is not None
    description, ask = split
    assert description.strip() == "approved as a protection zone city"
    assert ask.format(place="Changsha").startswith("how many patents") and "Changsha" in ask.format(
        place="Changsha"
    )


def test_a_comma_list_shares_its_last_items_head_noun() -> None:
    from assistant.kinds.sides import read_sides

    q = (
        "How many patent and trademark administrative, arbitration and people's mediation cases "
        "did Dalian settle in total in the past three years?"
    )
    found = read_sides(q, True)
    assert found is not None
    assert [s.split(" Dalian")[0] for s in found.sides] == [
        "patent and trademark administrative cases",
        "arbitration cases",
        "people's mediation cases",
    ]


def test_a_clause_does_not_borrow_the_words_of_a_clause_that_has_its_own_figure() -> None:
    from assistant.kinds.parts import Sentence, figure_for, terms

    text = (
        "In the past three years, 500 judicial cases have been concluded, 300 patent and trademark cases, "
        "40 arbitration cases and 350 mediation cases have been settled."
    )
    sentence = Sentence("doc", 0, len(text), text, {"published": "2024-01-01", "language": "en"}, 0.0, 0)
    # 'arbitration' is 40's word; the next clause (350 … settled) may not lean on it
    found = figure_for(terms("arbitration cases settled"), sentence)
    assert found is not None and found.figure.text == "40"
    # a short clause still leans on one before it that holds no figure of its own kind
    money = "办理知识产权质押融资1000余笔,质押金额107亿元。"
    pledge = Sentence("doc", 0, len(money), money, {"published": "2025-01-01", "language": "zh-Hans"}, 0.0, 0)
    found = figure_for(terms("知识产权质押融资金额"), pledge)
    assert found is not None and found.figure.text == "107亿元"


def test_of_several_figures_in_one_clause_the_one_whose_words_are_asked_is_taken() -> None:
    from assistant.kinds.parts import Sentence, figure_for, terms

    text = "在第二十五届中国专利奖评选中获1金2银7优秀的佳绩。"
    sentence = Sentence("doc", 0, len(text), text, {"published": "2025-02-01", "language": "zh-Hans"}, 0.0, 0)
    found = figure_for(terms("优秀奖"), sentence)
    assert found is not None and found.figure.text == "7"


def test_how_does_one_thing_compare_with_another_has_two_sides() -> None:
    from assistant.kinds.sides import read_sides

    sides = read_sides("How does Changsha's subsidy fund compare with the risk fund set up in 2023?", True)
    assert sides is not None and sides.sides == ["Changsha's subsidy fund", "risk fund set up in 2023"]


def test_a_thousands_separator_parts_no_sides() -> None:
    from assistant.kinds.sides import read_sides

    sides = read_sides("Which is higher: Changsha's patents per 10,000 people or Dalian's?", True)
    assert sides is not None and len(sides.sides) == 2 and "10,000 people" in sides.sides[0]


def test_one_thing_compared_with_another_year_has_no_two_sides() -> None:
    from assistant.kinds.sides import read_sides

    assert read_sides("How did Changsha's pledge loans in 2024 compare with 2020?", True) is None
