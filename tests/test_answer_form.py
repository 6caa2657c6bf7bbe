"""The form of a single-fact answer (issue 12): a figure asked for is answered by the clause that
holds it, short, cited; a heading line over the chosen sentence and a sentence repeating figures
already quoted are left out; quotes are shown in the question's script."""

from __future__ import annotations

from assistant.answerers.extractive.composing import _worth_quoting, direct
from assistant.kinds.parts import shown
from assistant.question import analyse

LONG = (
    "近年来,该市知识产权保护体系得到进一步完善,持续开展多项专项行动,近三年审结知识产权司法案件552件,"
    "办结专利、商标行政案件310件、仲裁案件46件、人民调解案件349件。"
)


def test_a_figure_asked_for_is_answered_by_its_clause() -> None:
    clause = direct(analyse("该市近三年审结了多少件知识产权司法案件?"), LONG)
    assert clause == "近三年审结知识产权司法案件552件"
    assert len(clause) <= 150


def test_two_figures_that_answer_alike_leave_the_whole_sentence() -> None:
    both = "培育国家专利奖励项目20项,培育省专利奖励项目35项。" * 3
    assert direct(analyse("培育了多少项专利奖励项目?"), both) is None


def test_no_clause_for_a_question_that_asks_no_figure_or_a_bare_label() -> None:
    assert direct(analyse("该市开展了什么专项行动?"), LONG) is None
    label = "出台多项政策文件,内容丰富,涵盖各个方面,构建“1+N”多维知识产权制度保障,成效显著。"
    assert direct(analyse("纲要的规划期是哪几年?"), label) is None


class _Cand:
    def __init__(self, doc_id: str) -> None:
        self.doc_id = doc_id


def test_a_headline_over_the_chosen_sentence_and_a_repeated_figure_are_left_out() -> None:
    head = (_Cand("a"), 0, 10, "为商标品牌指导站授牌")
    body = (_Cand("a"), 11, 60, "活动中,还为23个商标品牌指导站授牌,今后将为涉农企业提供服务。")
    again = (_Cand("b"), 0, 30, "该市23个商标品牌指导站已授牌。")
    kept = _worth_quoting([head, body, again])  # type: ignore[list-item]
    assert kept == [body]
    last = (_Cand("a"), 70, 80, "(编辑:张小敏)")
    assert _worth_quoting([body, last]) == [body, last]  # type: ignore[list-item]


def test_a_traditional_question_sees_a_simplified_quote_in_traditional() -> None:
    assert shown("长沙每万人有效发明专利拥有量", "zh-Hant", "zh-Hans") == "長沙每萬人有效發明專利擁有量"


def test_a_quote_that_another_chosen_quote_holds_is_left_out() -> None:
    short = (_Cand("a"), 0, 20, "他精通梵文,是一位佛经翻译家。")
    longer = (_Cand("a"), 0, 32, "他精通梵文,是一位佛经翻译家。1953年,获得法朗基奖。")
    assert _worth_quoting([short, longer]) == [longer]  # type: ignore[list-item]


def test_which_ones_asks_for_names_not_a_count() -> None:
    station = "湖州北站是客运专线沿途等级最高的中间站，也是唯一一个二等站，建筑总面积近5.6万平方米，包括站房、站台雨棚、地下通道等部分。"
    assert direct(analyse("湖州北站由哪几个部分组成？"), station) is None


def test_a_year_asked_for_and_parallel_items_leave_the_whole_sentence() -> None:
    dated = "1493年,航海家在第二次前往美洲的途中发现了这些群岛,成为首位发现群岛的欧洲人。"
    assert direct(analyse("航海家於西元幾年時發現了這些群島?"), dated) is None
    items = "截至2014年,共有逾30位获奖者、47位学者、61位奖学金得主为该学院的校友。"
    assert direct(analyse("截至2014年有多少位学者为该学院校友?"), items) is None


def test_a_thousands_comma_stays_inside_its_figure() -> None:
    census = (
        "在2011年人口普查中,港城人口普查区有5,583,064名居民,而覆盖范围较广的大港城地区则有6,054,191名居民。"
    )
    found = direct(analyse("大港城地区在2011年时有多少人居住?"), census)
    assert found == "而覆盖范围较广的大港城地区则有6,054,191名居民"


def test_a_clause_of_another_year_is_not_the_direct_answer() -> None:
    # The year asked holds for the figure's clause; a clause naming only another year speaks of
    # another period, however many of the question's words it repeats.
    quote = (
        "The new alliance of banks and insurers helped the city's patent pledge loans reach "
        "2.3 billion yuan in 2023, which is 6 times the patent pledge loan amount in 2019."
    )
    clause = direct(analyse("What was the patent pledge loan amount of the city in 2023?"), quote)
    assert clause is None or "2.3 billion" in clause
    assert direct(analyse("What was the patent pledge loan amount of the city in 2019?"), quote) != (
        "helped the city's patent pledge loans reach 2.3 billion yuan in 2023"
    )
