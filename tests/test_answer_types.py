"""Answer types read from question words, names jieba cuts apart, and the sentences they choose.

The passages are made up: short biographies and descriptions in the style of encyclopaedia
paragraphs, several per collection, so a question must find its document and then its sentence."""

from __future__ import annotations

import pytest

from assistant import Assistant, Settings
from assistant.question import analyse
from assistant.question.answer_types import answer_type, fits
from index.analysis import search_form
from index.ingest import ingest_records


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("林小川是哪里人？", "origin"),
        ("林小川卒于哪一年？", "year"),
        ("林小川是什么时候出生的？", "time"),
        ("青石湖又叫什么？", "alias"),
        ("林小川是谁的儿子？", "parent"),
        ("林小川的字是什么？", "courtesy"),
        ("林小川的职业是什么？", "occupation"),
        ("青石站在哪里？", "place"),
        ("林小川为什么退役？", "reason"),
        ("水车的用途是什么？", "purpose"),
        ("地理标志的定义是什么？", "definition"),
        ("青石湖是什么？", "identity"),
        ("这些专利项目来自哪家机构？", "organisation"),
        ("Which institution invested in the projects?", "organisation"),
        ("大连知识产权工作处于什么地位？", "standing"),
        ("大连还在哪个产业组建了联盟？", None),  # which industry, not where
        ("大连在哪个城市？", "place"),
        ("大连有效商标注册量是多少?", None),  # a figure: Question.wants_figure reads it
        ("林小川在青石队效力了多久？", "duration"),
        ("How long does a design patent last?", "duration"),
        ("林小川哪几年效力于青石队？", None),  # which years, not how long
    ],
)
def test_question_words_name_the_kind_of_answer(question: str, kind: str | None):
    found = answer_type(search_form(question))
    assert (found.name if found else None) == kind


def test_traditional_question_words_read_the_same():
    assert answer_type(search_form("林小川是哪裡人？")).name == "origin"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("kind", "sentence", "expected"),
    [
        ("origin", "林小川，福建泉州人，少年时随父迁居。", True),
        ("origin", "林小川喜欢在湖边读书。", False),
        ("year", "林小川于1932年病逝于上海。", True),
        ("year", "林小川于道光十一年病逝。", True),
        ("year", "林小川晚年病逝于上海。", False),
        ("alias", "青石湖，又称碧水湖，位于山谷中。", True),
        ("parent", "林小川是林大山之子。", True),
        ("parent", "林小川擅长书法。", False),
        ("courtesy", "林小川，字子远，号青石居士。", True),
        # Answers in English text: a Chinese question may be answered by the English article.
        ("organisation", "13 projects invested by Beijing Institute of Chemistry were introduced.", True),
        ("organisation", "北京化学研究所引进专利项目13个。", True),
        ("organisation", "成功引进专利项目13个,吸引投资10.5亿元。", False),
        ("standing", "Related work is in a leading position in Northeast China.", True),
        ("standing", "服务能力持续领跑东北。", True),
        ("standing", "工作站揭牌并开通绿色通道。", False),
        ("time", "2022-08-05 18:29", True),
        ("time", "The fair opened on 5 September.", True),
        ("duration", "林小川在青石队效力了六年。", True),
        ("duration", "合同期限为18个月。", True),
        ("duration", "A design patent lasts for fifteen years, or 15 years from filing.", True),
        ("duration", "林小川于2021年加盟青石队。", False),  # a year is no length of time
    ],
)
def test_a_sentence_holds_the_kind_of_answer_asked_or_not(kind: str, sentence: str, expected: bool):
    asked = {
        "origin": "林小川是哪里人",
        "year": "林小川卒于哪一年",
        "alias": "青石湖又叫什么",
        "parent": "林小川是谁的儿子",
        "courtesy": "林小川的字是什么",
        "organisation": "这些专利项目来自哪家机构",
        "standing": "大连知识产权工作处于什么地位",
        "time": "这篇文章是哪天发布的",
        "duration": "林小川在青石队效力了多久",
    }[kind]
    found = answer_type(search_form(asked))
    assert found is not None and found.name == kind
    assert bool(fits(found, search_form(sentence))) is expected


def test_words_naming_the_answer_kind_are_not_key_terms():
    q = analyse("林小川的职业是什么？")
    assert all("职业" not in group for group in q.groups)


def test_a_category_after_an_interrogative_is_recorded_and_discourse_words_dropped():
    q = analyse("文中提及，哪一国家在1950年和青石国结盟？")
    assert q.categories & {"国家", "~national_level"}  # the word, or the concept that stands for it
    assert all(g[0] not in {"文中", "提及"} for g in q.groups)


def test_a_cue_word_qualifying_a_noun_is_a_key_term_and_asks_no_place():
    q = analyse("长沙今年要推广什么地方标准？")  # 地方标准: a local standard, not "what place"
    assert q.kind is None or q.kind.name != "place"
    assert any("地方" in group for group in q.groups)
    assert analyse("这座寺庙位于什么地方？").kind.name == "place"


def test_single_characters_jieba_leaves_of_an_unknown_name_are_kept_as_a_run():
    q = analyse("郑倢伃学习了什么乐器？")  # jieba cuts the name into three single characters
    assert ("郑倢伃", "", "") in q.joins


def test_a_lone_character_is_offered_to_both_neighbours():
    q = analyse("陈荣捷卒于哪一年？")
    assert any(char == "卒" and before == "陈荣捷" for char, before, _ in q.joins)


_DOCS = [
    (
        "lin",
        "林小川（1880年－1932年），中国画家。林小川，福建泉州人，少年时随父迁居杭州。"
        "林小川是林大山之子，自幼学画。林小川于1905年赴日本学习油画。"
        "1932年，林小川病逝于上海。林小川的作品多以山水为题。",
    ),
    (
        "lake",
        "青石湖是浙江的一个淡水湖。青石湖又称碧水湖，湖面约十平方公里。"
        "青石湖周边有多个村落，以渔业为主。每年春天有大量候鸟在青石湖停留。",
    ),
    (
        "zhou",
        "周远山是中国作家。周远山出生于湖南长沙，1950年代开始写作。周远山的父亲是一名教师。"
        "周远山的作品以乡村生活为题。",
    ),
    (
        "town",
        "青石镇位于山区，人口约两万。青石镇的特产远近闻名。主要有云雾茶和竹编。镇上每年举办一次庙会。",
    ),
    (
        "farm",
        "青禾农场创办于一片山谷之中。青禾农场目前共有荷斯坦奶牛320头，分养在三个牛棚。这些奶牛每天产奶约两吨。",
    ),
    (
        "ninji",
        "宁吉（1901年－1980年），演员。宁吉出生于上海，1930年代开始演戏。宁吉1980年病逝于香港。",
    ),
]


@pytest.fixture(scope="module")
def helper(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    settings = Settings(data_dir=tmp_path_factory.mktemp("types") / "data")
    ingest_records([(doc_id, text, {"title": ""}) for doc_id, text in _DOCS], settings)
    return Assistant(settings)


@pytest.mark.parametrize(
    ("question", "doc", "expected"),
    [
        ("林小川是哪里人？", "lin", "福建泉州人"),
        ("林小川是谁的儿子？", "lin", "林大山之子"),
        ("青石湖又叫什么？", "lake", "碧水湖"),
        ("林小川的职业是什么？", "lin", "画家"),
        ("林小川卒于哪一年？", "lin", "1932"),
        ("宁吉在哪一年去世？", "ninji", "1980"),
    ],
)
def test_the_sentence_holding_the_kind_of_answer_asked_is_chosen(
    helper: Assistant, question: str, doc: str, expected: str
):
    ans = helper.answer(question)
    assert ans.answerable
    assert ans.citations[0].doc_id == doc
    assert expected in ans.answer


def test_a_short_answer_runs_on_into_the_next_sentence(helper: Assistant):
    ans = helper.answer("青石镇的特产是什么？")
    assert ans.citations[0].doc_id == "town"
    assert "特产远近闻名" in ans.answer and "云雾茶" in ans.answer


def test_a_sentence_giving_the_figure_asked_for_leads_its_answer(helper: Assistant):
    ans = helper.answer("青禾农场有多少头奶牛？")
    assert "320" in ans.citations[0].quote
    assert "山谷" not in ans.answer  # the sentence before it is not added
    # Nor the one after it: the daily milk adds nothing asked (issue 12: no padding); 320 once.
    assert "两吨" not in ans.answer and ans.answer.count("320") == 1


def test_words_that_state_the_answer_outright_fit_better_than_a_passing_town():
    place = answer_type(search_form("青石站在哪里？"))
    assert place is not None and place.name == "place"
    stated = fits(place, search_form("青石站是一个车站，位于青石县南郊。"))
    mentioned = fits(place, search_form("青石站开通后，往青石市区的列车全部停运。"))
    assert stated > mentioned > 0


@pytest.mark.parametrize("question", ["青石湖又可以叫什么？", "青石语还可以叫什么语？", "青石湖也称什么"])
def test_another_name_is_asked_with_or_without_a_modal(question: str):
    found = answer_type(search_form(question))
    assert found is not None and found.name == "alias"
