"""The form of a single-fact answer (issue 12): a figure asked for is answered by the clause that
holds it, short, cited; a heading line over the chosen sentence and a sentence repeating figures
already quoted are left out; quotes are shown in the question's script."""

from __future__ import annotations

from assistant.answerers.extractive.choosing import Choice
from assistant.answerers.extractive.composing import _worth_quoting, direct
from assistant.answerers.extractive.readings import english_name, name_readings, person_readings
from assistant.kinds.parts import shown
from assistant.question import analyse
from index.figures import find_figures

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
    """What _worth_quoting reads of a candidate: its document, score, key-term credit, figures."""

    def __init__(
        self, doc_id: str, score: float = 1.0, own: dict[int, float] | None = None, headline: bool = False
    ) -> None:
        self.doc_id, self.score, self.headline = doc_id, score, headline
        self.own = own if own is not None else {0: 1.0, 1: 1.0}
        self.text = ""
        self.figures: list[object] = []


def _kept(
    *chosen: tuple[_Cand, int, int, str], differing: bool = False, question: str = "该市有多少件?"
) -> list[tuple[_Cand, int, int, str]]:
    for cand, _, _, quote in chosen:
        cand.text, cand.figures = quote, find_figures(quote)
    best = max(chosen, key=lambda p: p[0].score)[0]
    choice = Choice(list(chosen), differing, best)  # type: ignore[arg-type]
    return _worth_quoting(list(chosen), choice, analyse(question))  # type: ignore[arg-type]


def test_a_headline_over_the_chosen_sentence_and_a_repeated_figure_are_left_out() -> None:
    head = (_Cand("a", 0.9), 0, 10, "为商标品牌指导站授牌")
    body = (_Cand("a"), 11, 60, "活动中,还为23个商标品牌指导站授牌,今后将为涉农企业提供服务。")
    again = (_Cand("b", 0.95), 0, 30, "该市23个商标品牌指导站已授牌。")
    assert _kept(head, body, again) == [body]
    last = (_Cand("a", 0.5), 70, 80, "(编辑:张小敏)")
    assert _kept(body, last) == [body]  # a byline adds nothing asked


def test_a_sentence_beyond_the_best_must_add_what_was_asked() -> None:
    # Both name patents of the city; only the first holds the measure asked (有效发明专利拥有量).
    best = (_Cand("a", 1.2, {0: 1.0, 1: 2.0}), 0, 40, "2024年全市有效发明专利拥有量7.61万件;")
    plan = (_Cand("a", 1.1, {0: 1.0, 1: 0.0}), 41, 90, "2025年将深入推进专利产业化促进中小企业成长计划……")
    assert _kept(best, plan) == [best]
    # A sentence holding a key term the best one lacks completes it and stays.
    lacking = (_Cand("a", 1.2, {0: 1.0, 1: 0.0}), 0, 20, "该市去年实现7.61万件。")
    completing = (_Cand("a", 1.0, {0: 0.0, 1: 2.0}), 21, 50, "以上为有效发明专利拥有量。")
    assert _kept(lacking, completing) == [lacking, completing]
    # Another article's differing figure for the same measure stays beside it.
    other = (_Cand("b", 1.1, {0: 1.0, 1: 2.0}), 0, 30, "有效发明专利拥有量7.5万件。")
    assert _kept(best, other, differing=True) == [best, other]


def test_the_same_figures_again_in_the_same_article_are_left_out() -> None:
    first = (_Cand("a", 1.2), 0, 40, "2024年全市有效发明专利拥有量7.61万件、每万人72.42件;")
    again = (
        _Cand("a", 1.1, {0: 1.0, 1: 1.0, 2: 1.0}),
        200,
        240,
        "全市有效发明专利拥有量7.61万件、每万人72.42件;",
    )
    assert _kept(first, again) == [first]


def test_a_headline_chosen_first_gives_way_to_the_body_sentence_it_heads() -> None:
    title = (_Cand("a", 1.3, headline=True), 0, 40, "原标题:去年长沙每万人有效发明专利拥有量增至72.42件")
    body = (
        _Cand("a", 1.2),
        41,
        90,
        "2024年长沙全市有效发明专利拥有量7.61万件、每万人有效发明专利拥有量增至72.42件;",
    )
    assert _kept(title, body) == [body]


def test_a_traditional_question_sees_a_simplified_quote_in_traditional() -> None:
    assert shown("长沙每万人有效发明专利拥有量", "zh-Hant", "zh-Hans") == "長沙每萬人有效發明專利擁有量"


def test_a_quote_that_another_chosen_quote_holds_is_left_out() -> None:
    short = (_Cand("a"), 0, 20, "他精通梵文,是一位佛经翻译家。")
    longer = (_Cand("a", 0.9), 0, 32, "他精通梵文,是一位佛经翻译家。1953年,获得法朗基奖。")
    assert _kept(short, longer) == [longer]


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


def test_an_english_question_over_a_chinese_quote_reads_its_names_in_english() -> None:
    quote = "市市场监管局党组成员、副局长杨丽芸对大连市制定的规划进行了政策解读。"
    assert person_readings(quote) == ["杨丽芸 = Yang Liyun"]
    readings = name_readings(quote)
    assert "大连市 = Dalian" in readings
    assert "大连 = Dalian" not in readings  # inside 大连市, read once
    assert not any("杨丽芸" in r for r in readings)
    assert name_readings("全國首個長沙知識產權保護中心") == [  # not 全国 = China
        "長沙 = Changsha",
        "知識產權保護中心 = IP Protection Center",
    ]
    assert english_name("dalian institute of chemical physics") == "Dalian Institute of Chemical Physics"
    assert english_name("tisc") == "TISC"


def test_a_count_asked_in_a_unit_is_answered_by_the_clause_counting_in_it() -> None:
    built = (
        "聚焦洁净能源、高端装备制造、海洋经济等区域优势产业,"
        "大力实施高价值知识产权培育工程,累计建成国家专利导航服务基地1家、省级导航基地9家,"
        "省级高价值专利培育中心7家,成功培育高价值知识产权组合33项,形成一批核心技术专利群。"
    )
    assert direct(analyse("该市建成了几家省级高价值专利培育中心?"), built) == "省级高价值专利培育中心7家"
    assert direct(analyse("该市培育了多少项高价值知识产权组合?"), built) == "成功培育高价值知识产权组合33项"


def test_where_the_best_sentence_does_not_hold_what_was_asked_the_others_stay() -> None:
    # "Which five plans": the best sentence names the five plans' count, the next names one.
    intro = (_Cand("a", 1.2, {0: 1.0, 1: 1.0}), 0, 30, "该市今年将深入实施“五大计划”。")
    item = (_Cand("a", 1.1, {0: 1.0, 1: 1.0}), 31, 70, "在实施知识产权全链条保护计划方面,将开展专项行动。")
    assert _kept(intro, item, question="该市今年要实施哪五大计划?") == [intro, item]


def test_a_headline_line_holding_what_the_body_lacks_stays() -> None:
    title = (
        _Cand("a", 1.0, {0: 1.0, 1: 1.0}, headline=True),
        0,
        30,
        "原标题:去年长沙每万人有效发明专利拥有量增至72.42件",
    )
    body = (_Cand("a", 1.2, {0: 1.0, 1: 0.0}), 31, 80, "2024年长沙每万人有效发明专利拥有量增至72.42件;")
    assert _kept(title, body, question="长沙那篇报道的原标题是什么?") == [title]  # the body repeats it
