"""Issue 12's question kinds: detection from the wording, and the composers' parts on small passages."""

from __future__ import annotations

import pytest

from assistant.kinds.change import _change_line
from assistant.kinds.detect import question_kind
from assistant.kinds.figuring import amount_text
from assistant.kinds.parts import Match, Sentence, clauses, figure_for, overlap, period, terms
from assistant.kinds.sections import under
from assistant.kinds.sides import read_sides
from assistant.kinds.yesno import decide
from assistant.models import Answer
from index.figures import find_figures


def _s(text: str, start: int = 0, published: str = "2022-08-05", para: int = 0) -> Sentence:
    return Sentence("doc", start, start + len(text), text, {"published": published}, 0.0, para)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("大连和长沙哪个城市每万人发明专利拥有量更高?", "comparison"),
        ("Which is larger in Dalian: the risk compensation fund or the subsidy fund?", "comparison"),
        ("大连知识产权质押贷款从2018年到2021年有什么变化?", "change"),
        ("How did Dalian's pledge loans change from 2018 to 2021?", "change"),
        ("長沙在創新型企業強基和登峰計劃方面有哪些舉措?", "list"),
        ("总结一下长沙2025年知识产权工作的五大计划", "summary"),
        ("Summarize the article about the theme day.", "summary"),
        ("長沙2024年每萬人有效發明專利擁有量超過80件了嗎?", "yesno"),
        ("Did Dalian's IP pledge loans exceed 1 billion yuan in 2021?", "yesno"),
        ("侯向宇擔任局長的城市,2024年每萬人有效發明專利擁有量是多少?", "bridge"),
        ("How many patents does the city whose director is Hou Xiangyu have?", "bridge"),
        ("大連地理標誌證明商標和地理標誌保護產品共有多少件?", "aggregate"),
        ("大连2021年知识产权质押贷款额是多少?", None),
        ("长沙今年要牢牢把握的核心是什么?", None),
    ],
)
def test_question_kind_is_read_from_the_wording(question: str, kind: str | None) -> None:
    assert question_kind(question) == kind


def test_sides_of_a_comparison_share_the_place_and_period() -> None:
    sides = read_sides("近三年大连审结的知识产权司法案件和办结的人民调解案件哪个更多?", english=False)
    assert sides is not None and not sides.places
    assert sides.sides == ["近三年大连审结的知识产权司法案件", "大连近三年办结的人民调解案件"]


def test_sides_that_are_places_keep_the_measure_apart() -> None:
    sides = read_sides("大连和长沙哪个城市每万人发明专利拥有量更高?", english=False)
    assert sides is not None and sides.places
    assert sides.sides == ["大连", "长沙"] and sides.measure == "每万人发明专利拥有量"


def test_a_short_item_shares_the_head_of_the_first() -> None:
    sides = read_sides("大连评选的市级中小学知识产权教育试点和示范一共有多少家?", english=False)
    assert sides is not None
    assert sides.sides[1].endswith("市级中小学知识产权教育示范")


def test_figure_for_takes_the_clause_that_names_the_item() -> None:
    s = _s("近三年审结知识产权司法案件552件,办结专利、商标行政案件310件、仲裁案件46件、人民调解案件349件。")
    found = figure_for(terms("人民调解案件"), s)
    assert found is not None and found.figure.value == 349
    assert len(clauses(s.text)) >= 4


def test_period_comes_from_a_heading_above_a_target() -> None:
    doc = [_s("计划到2025年", 0), _s("累计高价值知识产权组合达到25个", 10)]
    assert period(doc[1], doc) == "2025"
    assert period(_s("截至目前,全市每万人口发明专利拥有量29.4件。")) == "2022"


def test_yes_no_compares_the_stated_threshold_with_the_evidence() -> None:
    assert (
        decide("截至2021年底,大连有效商标注册量超过15万件了吗?", [_s("全市有效商标注册量137748件。")])
        is False
    )
    assert decide(
        "Did Dalian's IP pledge loans exceed 1 billion yuan in 2021?", [_s("质押贷款实现14.95亿元。")]
    )
    assert decide("长沙进入前30名了吗?", [_s("长沙在全球科技集群百强榜中跃居第32位")]) is False
    assert (
        decide("大连大学推动了300项专利开放许可吗?", [_s("大连大学推动238项专利向中小企业开放许可")]) is False
    )
    assert decide("大连是辽宁唯一入选的城市吗?", [_s("也是辽宁地区唯一入选城市")]) is True


def test_a_change_is_computed_and_marked() -> None:
    a, b = (
        _s("实现每万人有效发明专利拥有量27.26件", published="2022-04-26"),
        _s("每万人口发明专利拥有量29.4件"),
    )
    fa, fb = find_figures(a.text)[0], find_figures(b.text)[0]
    line = _change_line(fa, "2021", fb, "2022", english=False)
    assert "增加2.14件" in line and "计算" in line and "1.08倍" in line


def test_sums_are_written_in_the_scale_of_their_figures() -> None:
    figures = [find_figures("3200万元")[0], find_figures("2000万元")[0]]
    assert amount_text(5.2e7, figures, english=False) == "5200万元"
    assert amount_text(5.2e7, figures, english=True) == "52 million yuan"


def test_a_list_of_targets_under_a_heading_stops_at_the_credits() -> None:
    doc = [
        _s("大连定下这些目标", 0, para=0),
        _s("计划到2025年", 10, para=1),
        _s("全市每万人口高价值发明专利拥有量达到12.5件", 20, para=2),
        _s("知识产权保护社会满意度达到82%", 50, para=3),
        _s("文字:井惠群", 70, para=4),
    ]
    assert [s.text for s in under(doc, 0)] == [doc[2].text, doc[3].text]


def test_counts_of_different_units_are_one_family() -> None:
    from assistant.kinds.figuring import comparable

    assert comparable([find_figures("16家")[0], find_figures("24所")[0]])
    assert not comparable([find_figures("16家")[0], find_figures("3200万元")[0]])


def test_across_languages_only_concepts_match() -> None:
    from assistant.kinds.parts import overlap

    wanted = terms("大连知识产权质押贷款")
    english = "the intellectual property pledge loan reached 1.495 billion yuan in 2021"
    assert overlap(wanted, english) > 0.5


def test_a_summary_takes_one_sentence_from_each_part() -> None:
    from assistant.kinds.summary import parts, summarise

    body = [_s(f"第{k}段的句子,数字{k}件。", start=k * 20, para=k) for k in range(12)]
    groups = parts(body)
    assert len(groups) == 12  # a paragraph each
    picked = summarise(groups[:4], lambda s: 1.0 + s.para / 100, 6)
    assert sorted(s.para for s in picked) == [0, 1, 2, 3]


def test_a_long_part_is_halved_and_the_headline_is_not_quoted() -> None:
    from assistant.kinds.summary import parts

    title = "Dalian has Taken Multiple Measures to Build a Strong IP City"
    head = Sentence("doc", 0, 20, "大连开展主题日活动的报道全文如下所示", {"title": title}, 0.0, 0)
    body = [
        Sentence(
            "doc", 30 + k * 20, 48 + k * 20, f"第{k}句话说了一件事情,共{k}件。", {"title": title}, 0.0, k // 2
        )
        for k in range(8)
    ]
    headline = Sentence("doc", 200, 209, title, {"title": title}, 0.0, 9)
    groups = parts([head, *body, headline])
    assert headline not in [s for g in groups for s in g]
    # one part per paragraph, the largest halved until there are MOST (6)
    assert len(groups) == 6 and [len(g) for g in groups] == [1, 1, 1, 1, 2, 2]


def test_render_keeps_to_the_limit_and_cites_each_sentence_once() -> None:
    from assistant.kinds.parts import render

    long = _s("长" * 300 + "。", start=0)
    short = _s("短句子有12件。", start=400)
    ans = render("q", "q", "zh-Hans", ["lead"], [long, long, short], limit=330)
    assert len(ans.citations) == 2 and ans.answer.count("[1]") == 1
    ans = render("q", "q", "zh-Hans", [], [short, long], limit=100)
    assert [c.quote for c in ans.citations] == [short.text]


def test_a_simplified_question_sees_a_traditional_quote_in_simplified() -> None:
    from assistant.kinds.parts import shown

    assert (
        shown("長沙每萬人有效發明專利擁有量\n72.42件", "zh-Hans", "zh-Hant")
        == "长沙每万人有效发明专利拥有量 72.42件"
    )
    assert shown("長沙每萬人", "zh-Hant", "zh-Hant") == "長沙每萬人"
    assert shown("長沙每萬人", "en", "zh-Hant") == "長沙每萬人"


def test_a_short_clause_leans_on_the_one_before_it() -> None:
    s = _s("办理知识产权质押融资1000余笔,质押金额107亿元,有效缓解科技型企业的融资困境。")
    found = figure_for(terms("知识产权质押融资金额"), s, kind="money")
    assert found is not None and found.figure.text == "107亿元" and found.share >= 0.4


def test_a_place_holding_another_is_not_a_side() -> None:
    assert (
        read_sides("How many awards did Changsha win in total in the 25th China Patent Awards?", True) is None
    )
    sides = read_sides("What is the combined 2021 IP pledge loan amount of Dalian and Changsha?", True)
    assert sides is not None and sides.places and len(sides.sides) == 2


def test_two_figures_of_one_article_are_one_period_unless_both_name_years() -> None:
    from assistant.kinds.change import _one_period

    a = _s("2024年长沙全市有效发明专利拥有量7.61万件", published="2025-02-25")
    b = _s("高价值发明专利拥有量2.97万件", start=50, published="2025-02-25")
    fa, fb = find_figures(a.text)[1], find_figures(b.text)[0]
    assert _one_period(Match(fa, a, 1.0), Match(fb, b, 1.0))
    c = Sentence("other", 0, 10, "2021年质押贷款14.95亿元", {"published": "2022-08-05"})
    assert not _one_period(Match(fa, a, 1.0), Match(find_figures(c.text)[1], c, 1.0))


def _row(
    doc: str, text: str, value: float, unit: str, measure: str, year: int | None, kind: str, **kw: str
) -> dict:
    place = kw.get("place", "dalian")
    return {
        "doc_id": doc,
        "start": 0,
        "end": len(text),
        "text": text,
        "value": value,
        "unit": unit,
        "measure": measure,
        "place_key": place,
        "year": year,
        "kind": kind,
        "published": kw.get("published", "2022-08-05"),
        "measure_key": kw.get("key", ""),
    }


def test_a_series_from_the_figures_table_is_the_measure_for_the_place_oldest_first() -> None:
    from assistant.kinds.series import series

    rows = [
        _row("b", "14.95亿元", 1.495e9, "元", "知识产权质押贷款", 2021, "achieved"),
        _row("c", "14.95亿元", 1.495e9, "元", "知识产权质押贷款额", 2021, "achieved"),  # the same again
        _row("a", "1.5亿元", 1.5e8, "元", "知识产权质押贷款", 2018, "achieved", published="2019-01-02"),
        _row("b", "50亿元", 5e9, "元", "知识产权质押贷款", 2025, "target"),
        _row("d", "72亿元", 7.2e9, "元", "知识产权质押贷款", 2024, "achieved", place="changsha"),
        _row("b", "2000万元", 2e7, "元", "投资补助资金", 2022, "achieved"),  # another measure
        _row("b", "10倍", 10, "倍", "知识产权质押贷款", 2021, "growth"),
        _row("e", "10 times", 10, "倍", "pledge loan", 2021, "growth", key="pledge_loan"),
        _row("e", "1.495 billion yuan", 1.495e9, "元", "pledge loan", 2021, "achieved", key="pledge_loan"),
    ]
    points, stated = series(rows, terms("知识产权质押贷款"), "dalian", "money")
    assert [p.figure.text for p in points] == ["1.5亿元", "14.95亿元", "50亿元"]
    assert [p.period for p in points] == ["2018", "2021", "2025"] and points[-1].target
    assert [p.figure.text for p in stated] == ["10倍"]
    # Across scripts only a stated change is matched, by glossary ids, never a level
    points, stated = series(rows, terms("知识产权质押贷款"), "dalian", "money", "知识产权质押贷款")
    assert [p.figure.text for p in stated] == ["10倍", "10 times"]
    assert "1.495 billion yuan" not in [p.figure.text for p in points]


def test_a_topic_paragraph_takes_the_paragraphs_that_continue_it() -> None:
    from assistant.kinds.summary import _continued

    doc = [
        _s("2024年,该市知识产权工作全面开花。", start=0, para=0),
        _s("其中,该市跃居全球科技集群第32位;", start=20, para=1),
        _s("有效发明专利拥有量7.61万件。", start=40, para=1),
        _s("同时,该市率先完成存量专利盘点。", start=60, para=2),
        _s("此外,实施海外知识产权护航计划。", start=80, para=3),
    ]
    topic = _continued(doc, [doc[3]])
    assert [s.para for s in topic] == [0, 1, 1, 2]  # 此外 opens another topic


def test_render_quotes_a_clause_once_where_its_sentence_is_quoted() -> None:
    from assistant.kinds.parts import render

    whole = _s("全市地理标志证明商标19件,地理标志保护产品8件。", start=0)
    part = _s("地理标志保护产品8件。", start=14)
    ans = render("q", "q", "zh-Hans", ["合计27件（计算）"], [whole, part])
    assert [c.quote for c in ans.citations] == [whole.text]


def test_a_sentence_knows_the_heading_of_its_section() -> None:
    from assistant.kinds.summary import _headings

    head = _s("每万人口发明专利拥有量突破29件", start=0)
    a = _s("2021年,专利授权总量为23508件。", start=20)
    b = _s("截至目前,全市每万人口发明专利拥有量29.4件。", start=40)
    other = _s("在知识产权运营方面", start=70)
    c = _s("获批省知识产权运营中心2家。", start=80)
    heads = _headings([head, a, b, other, c])
    assert heads[a] == heads[b] == terms(head.text) and heads[c] == terms(other.text)
    assert overlap(heads[b], b.text) > overlap(heads[a], a.text)  # b says what the heading says


def test_weighted_overlap_across_languages_is_of_the_concepts() -> None:
    from assistant.kinds.parts import weighted_overlap

    wanted = terms("number of valid invention patents")
    chinese = "截至2021年底,大连市有效发明专利总量为20309件。"
    assert overlap(wanted, chinese) > 0.5
    assert weighted_overlap(wanted, chinese, lambda _: 1.0) == pytest.approx(overlap(wanted, chinese))


def test_a_side_does_not_take_another_articles_copy_of_the_other_sides_figure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from assistant.kinds import figuring
    from assistant.kinds.sides import Sides

    zh = _s("全市累计培育国家知识产权示范优势企业86家,省知识产权优势企业100家。")
    en = Sentence("en-doc", 0, 60, "The city has cultivated 86 national and 100 provincial enterprises.", {})

    def side_figure(
        kit: object, side: str, measure: str, places: bool, taken: list[object], kind: object = None
    ) -> Match:
        if side == "国家":
            return Match(find_figures(zh.text)[0], zh, 1.0)
        found = [f for f in find_figures(en.text) if f not in taken]
        if found[0].value == 86:  # the English copy of the first side's figure comes first
            return Match(found[0], en, 1.0)
        return Match(find_figures(zh.text)[1], zh, 0.9)

    monkeypatch.setattr(figuring, "side_figure", side_figure)
    matches = figuring.side_figures(None, Sides(["国家", "省"], "", False))  # type: ignore[arg-type]
    assert matches is not None and [m.figure.value for m in matches] == [86, 100]


def test_a_paragraphs_run_in_heading_names_its_section() -> None:
    from assistant.kinds.sections import run_in, topic_heading

    assert run_in(_s("在知识产权金融服务方面,设立风险补偿基金。")) == "知识产权金融服务"
    assert run_in(_s("完善服务体系。")) == "完善服务体系"
    doc = [
        _s("In terms of intellectual property operation, 11 municipal centres were set up.", 0, para=0),
        _s("In terms of strengthening intellectual property management, 964 enterprises passed.", 90, para=1),
        _s("Guide service agencies to host IP business for 1068 enterprises.", 180, para=1),
    ]
    found = topic_heading(doc, terms("intellectual property management"), lambda _: 1.0)
    assert found is not None and found[1:] == (1, True)
    assert topic_heading(doc, terms("patent pledge loans"), lambda _: 1.0) is None


def test_a_date_line_does_not_cut_an_article_into_sections() -> None:
    from assistant.kinds.summary import parts

    title = _s("Dalian has Taken Multiple Measures", 0, para=0)
    date = _s("2022-08-05 18:29", 40, para=1)
    body = [_s(f"Paragraph {k} says one thing with {k} figures.", 60 + k * 60, para=k + 2) for k in range(8)]
    assert len(parts([title, date, *body])) == 9  # a part per paragraph, not one part halved to six


def test_an_english_sentence_is_as_long_as_a_third_of_its_letters() -> None:
    from assistant.kinds.summary import _length

    assert _length("大连知识产权") == 6
    assert _length("intellectual") == pytest.approx(4)


def test_a_side_whose_only_figure_is_the_one_before_it_is_one_item_with_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from assistant.kinds import figuring
    from assistant.kinds.sides import Sides

    zh = _s("知识产权创新创业基地和创客空间6家。")
    en = Sentence("en-doc", 0, 40, "6 innovation bases and maker spaces", {})

    def side_figure(
        kit: object, side: str, measure: str, places: bool, taken: list[object], kind: object = None
    ) -> Match | None:
        if side == "基地":
            return Match(find_figures(zh.text)[0], zh, 1.0)
        left = [f for f in find_figures(en.text) if f not in taken]
        return Match(left[0], en, 1.0) if left else None

    monkeypatch.setattr(figuring, "side_figure", side_figure)
    matches = figuring.side_figures(None, Sides(["基地", "创客空间"], "", False))  # type: ignore[arg-type]
    assert matches is not None and [m.figure.value for m in matches] == [6]


def test_a_side_prefers_a_close_match_in_the_questions_language() -> None:
    from assistant.kinds.figuring import _preferred

    zh = Sentence("zh-doc", 0, 10, "创客空间6家。", {"language": "zh-Hant"})
    en = Sentence("en-doc", 0, 10, "6 maker spaces", {"language": "en"})
    found = [Match(find_figures(en.text)[0], en, 0.95), Match(find_figures(zh.text)[0], zh, 0.9)]

    class _Keyword:
        @staticmethod
        def idf(term: str) -> float:
            return 1.0

    class _Kit:
        searched = "创客空间有多少家?"
        keyword = _Keyword()

        def __init__(self, english: bool) -> None:
            self.english = english

    assert _preferred(found, _Kit(False)).sentence is zh  # type: ignore[arg-type]
    assert _preferred(found, _Kit(True)).sentence is en  # type: ignore[arg-type]


def test_sides_that_are_years_share_the_place_and_the_measure_not_the_year() -> None:
    found = read_sides("大连2021年和2022年哪一年的专利授权总量更高?", english=False)
    assert found is not None
    assert found.sides == ["大连2021年", "大连2022年"] and found.measure == "专利授权总量" and found.places


def test_a_side_naming_its_own_year_needs_a_figure_of_that_year() -> None:
    from assistant.kinds.comparison import _periods_hold

    assert _periods_hold(["大连2021年", "大连2022年"], ["2021", "2022"])
    assert not _periods_hold(["大连2021年", "大连2022年"], ["2021", "2021"])
    assert _periods_hold(["大连", "长沙"], ["2022", "2024"])  # places: their periods may differ


def test_a_spelled_name_is_read_in_characters_where_the_collection_holds_it_as_one_word() -> None:
    from types import SimpleNamespace

    from assistant.kinds.bridge import _names

    pytest.importorskip("pypinyin")

    class Words:
        def __init__(self) -> None:
            self.vocab = {"侯向宇": 0, "局长": 1}

        def idf(self, token: str) -> float:
            return 0.0  # no character pair is indexed on its own: 侯向宇 is one word

    kit = SimpleNamespace(keyword=Words())
    assert _names("the IP bureau director is Hou Xiangyu", kit) == ["侯向宇"]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("到2025年,大连骨干知识产权运营中心的数量计划比2022年报道的多几个?", "change"),
        ("大连2021年专利授权总量比上年多多少件?", "change"),
        ("大連知識產權質押貸款2021年是2018年的幾倍?", "change"),
        ("大连的司法案件比仲裁案件多多少件?", None),  # no period: not a change over time
    ],
)
def test_how_much_more_than_at_another_time_is_a_change(question: str, kind: str | None) -> None:
    assert question_kind(question) == kind


def test_progress_asked_falls_back_to_the_figures_where_no_report_says_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from assistant.kinds import change, progress

    computed = Answer(question="q", answer="a", answerable=True, language="en")
    monkeypatch.setattr(progress, "compose", lambda kit: None)
    monkeypatch.setattr(change, "_figures", lambda kit: computed)

    class _Kit:
        searched = "How did Dalian's high-value IP portfolios develop from 2022 to 2025?"

    assert change.compose(_Kit()) is computed  # type: ignore[arg-type]
    refused = Answer(question="q", answer="no", answerable=False, language="en")
    monkeypatch.setattr(change, "_figures", lambda kit: refused)
    assert change.compose(_Kit()) is None  # type: ignore[arg-type]  # the single fact stands


def test_a_count_asked_takes_the_clauses_count_not_its_threshold() -> None:
    s = _s("培育年运营额超千万元骨干知识产权运营中心5家,三年累计运营额达到1.8亿元。")
    wanted = terms("骨干知识产权运营中心")
    assert figure_for(wanted, s) is not None and figure_for(wanted, s).figure.text == "千万元"  # type: ignore[union-attr]
    found = figure_for(wanted, s, kind="count")
    assert found is not None and found.figure.text == "5家"
    from assistant.kinds.change import asked_family

    assert asked_family("大连获批的省知识产权运营中心和培育的骨干知识产权运营中心合计几家?") == "count"


def test_a_sides_figure_names_the_units_and_concepts_asked() -> None:
    from assistant.kinds.figuring import holds_concepts, same_units

    target = _s("全市每万人口高价值发明专利拥有量达到12.5件")
    level = _s("全市有效发明专利拥有量2.03万件,有效商标注册量为13.8万件,实现每万人有效发明专利拥有量27.26件;")
    per_10k = Match(find_figures(target.text)[0], target, 1.0)
    assert not same_units(per_10k, "高价值发明专利拥有量")  # a per-capita base not asked
    assert same_units(per_10k, "每万人高价值发明专利拥有量")
    count = Match(find_figures(level.text)[0], level, 1.0)
    assert same_units(count, "有效发明专利拥有量")
    assert not holds_concepts(count, "高价值发明专利拥有量")  # another measure
    assert holds_concepts(count, "发明专利拥有量")  # a valid invention patent is one
    density = Match(find_figures(level.text)[-1], level, 1.0)
    assert density.figure.text == "27.26件" and same_units(density, "每万人发明专利拥有量")


def test_sides_after_a_scene_setting_comma_and_sides_asked_first() -> None:
    found = read_sides("大连知识产权宣传周主题日上,参加的品牌指导站和知识产权服务代理机构一共多少家?", False)
    assert found is not None and found.sides == ["大连参加的品牌指导站", "大连知识产权服务代理机构"]
    first = read_sides("大連知識產權宣傳周主題日有多少家學校和品牌指導站參加?", False)
    assert first is not None and first.sides == ["大连學校", "大连品牌指導站"]


def test_a_sides_core_terms_hold_no_pair_across_its_place() -> None:
    from assistant.kinds.figuring import core_terms

    assert "学校" in core_terms("大连學校") and "_连学" not in core_terms("大连學校")
    assert "s" not in core_terms("loans from Dalian's 2022 campaign")


def test_a_figures_own_unit_is_no_per_capita_base() -> None:
    from assistant.kinds.figuring import same_units

    s = _s("已实现专利和商标质押44笔,共计贷款1.9亿元。")
    assert same_units(Match(find_figures(s.text)[1], s, 1.0), "loans of the campaign")


def test_items_of_a_sum_are_taken_where_they_are_listed_together() -> None:
    from assistant.kinds.figuring import _listed_together

    listed = _s(
        "大连海事大学、大连民族大学等5家学校代表,大连国际知识产权保护战略研究中心等3家品牌指导站参加。"
    )
    other = Sentence("other", 0, 30, "培育中小学及技工院校知识产权教育试点示范学校56所。", {})

    class _Keyword:
        @staticmethod
        def idf(term: str) -> float:
            return 1.0

    class _Kit:
        keyword = _Keyword()

    schools = Match(find_figures(other.text)[0], other, 1.0)
    stations = Match(find_figures(listed.text)[1], listed, 1.0)
    out = _listed_together(_Kit(), ["学校", "品牌指导站"], [schools, stations], "count")  # type: ignore[arg-type]
    assert [m.figure.text for m in out] == ["5家", "3家"]


class _IdfKit:
    class keyword:  # stands in for Kit.keyword
        @staticmethod
        def idf(term: str) -> float:
            return 1.0


def test_a_side_found_in_the_clause_of_one_before_it_is_one_item_with_it() -> None:
    from assistant.kinds.figuring import _named_with

    s = _s("组建产业知识产权联盟13家,知识产权创新创业基地和创客空间6家。")
    bases = Match(find_figures(s.text)[1], s, 1.0)
    assert _named_with(_IdfKit(), "创客空间", [bases])  # type: ignore[arg-type]
    assert not _named_with(_IdfKit(), "仲裁案件", [bases])  # type: ignore[arg-type]


def test_which_grew_faster_compares_the_rates_of_growth() -> None:
    from assistant.kinds.comparison import _GROWTH

    assert _GROWTH.search("Which grew faster in Dalian in 2021: patents granted or trademarks?")
    assert _GROWTH.search("大连专利授权总量和有效商标注册量哪个增速更快?")
    assert not _GROWTH.search("Which is larger in Dalian: the risk compensation fund or the subsidy fund?")


def test_a_change_between_editions_refuses_where_one_has_no_passage() -> None:
    from types import SimpleNamespace

    from assistant.kinds.change import _unmet_periods

    said = [SimpleNamespace(text="在第二十五届中国专利奖评选中获1金2银7优秀的佳绩。")]
    kit = SimpleNamespace(searched="长沙第二十四届和第二十五届中国专利奖的获奖数量有什么变化?", ranked=said)
    assert _unmet_periods(kit)  # type: ignore[arg-type]
    kit.searched = "长沙第二十五届中国专利奖获奖数量有什么变化?"
    assert not _unmet_periods(kit)  # type: ignore[arg-type]


def test_a_difference_asked_between_periods_is_a_change() -> None:
    from assistant.kinds.detect import question_kind

    assert question_kind("长沙专利组合2021年的目标和2024年报道的数量相差多少?") == "change"
    assert question_kind("By how much did Changsha's loans in 2024 exceed the 2021 target?") == "change"
    assert question_kind("大连和长沙的专利数相差多少?") is None  # no period: not a change


def test_how_many_more_than_a_year_before_is_a_change_in_other_words() -> None:
    from assistant.kinds.detect import question_kind

    assert question_kind("长沙2024年专利授权量比2023年多出大约多少件?") == "change"
    assert question_kind("By roughly how many did Changsha's patents increase in 2024?") == "change"
