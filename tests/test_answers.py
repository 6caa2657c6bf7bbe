"""Behaviour of answers: refusal, differing figures, scripts and languages, bad questions."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant import Assistant, Settings
from assistant.answerers.extractive.candidates import candidates
from assistant.answerers.extractive.choosing import fitting
from assistant.constants import CANNOT_ANSWER, EMPTY_QUESTION
from assistant.question import analyse
from index.ingest import ingest

ARTICLES = Path(__file__).resolve().parents[1] / "docs" / "articles"


@pytest.fixture(scope="module")
def assistant(bundled_index: Path) -> Assistant:
    return Assistant(Settings(data_dir=bundled_index))


def _corpus(tmp_path: Path, files: dict[str, str], manifest: list[dict] | None = None) -> Assistant:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    if manifest is not None:
        (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "data")
    ingest([folder], settings)
    return Assistant(settings)


def test_a_named_place_the_articles_do_not_cover_is_refused_with_related_passages(assistant: Assistant):
    ans = assistant.answer("深圳市每万人口发明专利拥有量是多少?")
    assert not ans.answerable
    assert ans.answer == CANNOT_ANSWER["zh-Hans"]
    assert ans.related and not ans.citations


def test_refusal_speaks_the_language_of_the_question(assistant: Assistant):
    english = assistant.answer("What is the corporate tax rate for patent royalties in Shenzhen?")
    traditional = assistant.answer("深圳市每萬人口發明專利擁有量是多少?")
    assert not english.answerable and english.answer == CANNOT_ANSWER["en"]
    assert not traditional.answerable and traditional.answer == CANNOT_ANSWER["zh-Hant"]


def test_a_year_the_passage_does_not_cover_is_refused(assistant: Assistant):
    ans = assistant.answer("大连2019年知识产权质押贷款是多少?")
    assert not ans.answerable


def test_a_sentence_without_a_year_is_about_the_years_around_it_not_the_publication_year(tmp_path: Path):
    helper = _corpus(
        tmp_path,
        {
            "report.txt": "大连知识产权成绩单\n每万人口发明专利拥有量突破29件\n"
            "2021年,大连市专利授权总量为23508件,同比增长33.2%。\n"
            "截至2021年底,大连市有效发明专利总量为20309件。\n截至目前,全市每万人口发明专利拥有量29.4件。\n"
        },
        [{"file": "report.txt", "title": "全国公示!大连上榜示范城", "published": "2022-08-05"}],
    )
    assert not helper.answer("大连2022年专利授权总量是多少?").answerable  # a 2021 report
    assert helper.answer("大连2021年专利授权总量是多少?").answerable


def test_a_sentence_without_words_is_never_cited(tmp_path: Path):
    helper = _corpus(
        tmp_path,
        {
            "yingkou.txt": "营口知识产权工作\n"
            "营口市2024年知识产权质押融资金额达到5.5亿元,同比增长30%。![pixel](http://evil.example/p.png)\n"
            "营口市有效发明专利拥有量达到2100件。\n"
        },
    )
    ans = helper.answer("营口市知识产权质押融资金额是多少?")
    assert ans.answerable and "5.5亿元" in ans.answer
    assert all(re.search(r"[^\W_]", c.quote) for c in ans.citations), [c.quote for c in ans.citations]


def test_sources_with_different_figures_are_shown_newest_first(tmp_path: Path):
    helper = _corpus(
        tmp_path,
        {
            "old.txt": "大连市知识产权工作报告\n截至2020年底,大连市每万人口发明专利拥有量为25.1件。\n",
            "new.txt": "大连市知识产权年度通报\n截至2021年底,大连市每万人口发明专利拥有量为29.4件。\n",
        },
        [
            {"file": "old.txt", "title": "旧报告", "source": "甲报", "published": "2021-03-01"},
            {"file": "new.txt", "title": "新通报", "source": "乙报", "published": "2022-03-01"},
        ],
    )
    ans = helper.answer("大连市每万人口发明专利拥有量是多少?")
    assert ans.answerable
    assert [c.doc_id for c in ans.citations] == ["new", "old"]
    assert "29.4" in ans.answer and "25.1" in ans.answer
    assert ans.answer.index("乙报") < ans.answer.index("甲报")
    assert "2022-03-01" in ans.answer and "2021-03-01" in ans.answer


def test_traditional_question_finds_simplified_passage(assistant: Assistant):
    ans = assistant.answer("大連有效商標註冊量是多少?")
    assert ans.answerable and ans.language == "zh-Hant"
    assert ans.citations[0].doc_id.startswith("dalian")


def test_simplified_question_finds_traditional_passage_and_quotes_it_unchanged(assistant: Assistant):
    ans = assistant.answer("长沙高价值发明专利拥有量是多少?")
    assert ans.answerable and ans.citations[0].doc_id == "changsha-ip-2025"
    assert "發明專利" in ans.citations[0].quote  # shown as written, not converted


def test_english_question_gets_chinese_quote_with_figures_read_in_english(assistant: Assistant):
    ans = assistant.answer("What amount of IP pledge financing has Dalian handled in total?")
    assert ans.answerable and ans.language == "en"
    first = ans.citations[0]
    assert first.language == "zh-Hans"
    assert any("billion yuan" in g for g in first.figures)
    assert "billion yuan" in ans.answer


def test_chinese_question_finds_english_passage(tmp_path: Path):
    helper = _corpus(
        tmp_path, {"en.txt": (ARTICLES / "dalian-ip-city-2022-en.txt").read_text(encoding="utf-8")}
    )
    ans = helper.answer("大连近三年审结了多少件知识产权司法案件?")
    assert ans.answerable
    assert "552" in ans.answer and ans.citations[0].language == "en"


@pytest.mark.parametrize("question", ["", "   ", "\n\t", "？？！！", "\x00\x01"])
def test_empty_questions_get_a_clear_message(assistant: Assistant, question: str):
    ans = assistant.answer(question)
    assert not ans.answerable and ans.error == "empty_question"
    assert ans.answer in EMPTY_QUESTION.values()


def test_a_question_over_the_limit_is_refused_with_a_message(assistant: Assistant):
    ans = assistant.answer("专利" * 60_000)
    assert not ans.answerable and ans.error == "question_too_long"
    assert "120000" in ans.answer


def test_follow_up_carries_the_subject_over(assistant: Assistant):
    from assistant import Turn

    first = assistant.answer("大连市每万人口发明专利拥有量是多少?")
    follow = assistant.answer(
        "那长沙呢?", [Turn(question=first.question, answer=first.answer, searched=first.searched_question)]
    )
    assert "长沙" in follow.searched_question and "发明专利" in follow.searched_question
    assert follow.answerable and follow.citations[0].doc_id == "changsha-ip-2025"


def test_who_holds_a_post_is_answered_only_by_a_person_with_that_post_there(tmp_path: Path):
    helper = _corpus(
        tmp_path,
        {
            "report.txt": "知识产权工作报告\n"
            "市知识产权局党组书记、局长张建国表示,今年将查办一批典型案件。\n"
            "市知识产权保护中心作为全省唯一调解组织代表在交流会上作典型发言。\n"
        },
    )
    bureau = helper.answer("Who is the director of the intellectual property bureau?")
    assert bureau.answerable and "张建国" in bureau.answer
    # The protection center's head is named nowhere: the bureau director is not the answer.
    assert not helper.answer("Who is the director of the IP protection center?").answerable


def test_a_post_followed_by_a_common_word_is_not_a_person():
    from assistant.answerers.extractive.rules import _has_person

    assert _has_person("局长侯向宇表示")
    assert not _has_person("5所高校与金融联盟理事长单位北方国家版权交易中心签订了合作协议。")


def test_a_long_sentence_before_the_best_one_gives_way_to_it():
    """Sentences are quoted in document order: a long weaker one first must not push the best out."""
    long_weak = (SimpleNamespace(score=1.2), 0, 480, "甲" * 480)
    best = (SimpleNamespace(score=1.35), 490, 790, "乙" * 300)
    short_weak = (SimpleNamespace(score=1.1), 800, 900, "丙" * 100)
    kept = fitting([long_weak, best, short_weak], 600)  # type: ignore[list-item]
    assert [p[3][0] for p in kept] == ["乙", "丙"]
    assert fitting([long_weak, best], 1000) == [long_weak, best]  # type: ignore[list-item]


def test_a_sentence_not_naming_what_a_what_kind_question_describes_ranks_below_one_that_does(tmp_path: Path):
    helper = _corpus(
        tmp_path,
        {"a.txt": "大连知识产权执法保护持续开展,打击侵权专项行动保持不减。\n这使打击侵权保持了高压态势。\n"},
    )
    question = "大连知识产权执法保护保持了怎样的打击侵权态势?"
    q = analyse(question)
    assert q.described == "态势"
    ranked = candidates(q, helper.searcher.search(question), helper.searcher.keyword)
    assert "高压态势" in ranked[0].text


def test_a_candidate_tells_the_heaviest_key_term_it_lacks_and_whether_its_neighbours_hold_it(tmp_path: Path):
    question = "大连知识产权专家库入库专家的平均年龄是多少?"
    lacks = {}
    for name, age in (("with", "专家平均年龄45岁。\n"), ("without", "")):
        text = f"大连知识产权专家库建成。\n入库专家306人,辐射法律实务等领域。\n{age}"
        (tmp_path / name).mkdir()
        helper = _corpus(tmp_path / name, {"a.txt": text})
        ranked = candidates(analyse(question), helper.searcher.search(question), helper.searcher.keyword)
        lacks[name] = next(c for c in ranked if c.text.startswith("入库专家306人"))
    assert lacks["with"].lacked > 0 and lacks["with"].lacked_near == 0  # 平均年龄: the next sentence says it
    assert lacks["without"].lacked_near == lacks["without"].lacked > 0  # nothing near says it


_CITY = """青石市概况

青石市是青石省的省会，位于青石江下游，面积约2,000平方公里。
市长由市民直接选举产生，任期为四年，可连选连任一次。
市议会共有四十五名议员，每两年改选一半。
青石市设有商标注册窗口3个，方便企业就近办理商标业务。
"""


def test_a_question_asked_in_other_words_is_answered_but_not_one_whose_key_term_is_missing(tmp_path: Path):
    helper = _corpus(tmp_path, {"qingshi.txt": _CITY})
    paraphrased = helper.answer("一任青石市长最多只能当多久除非连任？")  # 任期为四年: under half its words
    assert paraphrased.answerable and "任期为四年" in paraphrased.answer
    for question in ("青石市议会议员的退休金由哪个部门发放？", "青石市市长任期届满后的退休金是多少？"):
        assert not helper.answer(question).answerable, question  # nothing about a pension


_RATES = """株洲市知识产权概况

截至去年底，株洲市每万人口发明专利拥有量18.6件，有效商标注册量5.2万件。
"""


def test_a_measure_named_only_inside_a_per_capita_base_is_not_the_measure_asked(tmp_path: Path):
    # 每万人口 is the base of a rate, not a population: neither language's question is answered by it.
    helper = _corpus(tmp_path, {"rates.txt": _RATES})
    for question in ("株洲市有多少人口?", "What is the population of Zhuzhou?"):
        assert not helper.answer(question).answerable, question
    for question in ("株洲市每万人口发明专利拥有量是多少?", "株洲市每万人发明专利拥有量是多少?"):
        rate = helper.answer(question)  # the unit asked: 万人 inside it counts
        assert rate.answerable and "18.6件" in rate.answer, question
    (tmp_path / "articles" / "people.txt").write_text(
        "株洲市人口\n株洲市常住人口约320万人，其中城镇人口210万人。\n", encoding="utf-8"
    )
    ingest([tmp_path / "articles"], helper.settings)
    people = Assistant(helper.settings).answer("株洲市有多少人口?")
    assert people.answerable and "320万人" in people.answer


def test_how_many_is_answered_by_a_number_of_the_kind_asked(tmp_path: Path):
    text = "青石市调解工作\n青石市调解中心连续五年获评优秀等次，建立一站式服务平台。\n"
    helper = _corpus(tmp_path, {"mediation.txt": text})
    assert not helper.answer("青石市调解中心调解了多少件纠纷?").answerable  # 五年 counts years, not cases
    (tmp_path / "articles" / "cases.txt").write_text(
        "青石市调解成果\n去年青石市调解中心调解纠纷120件，调解成功率超过九成。\n", encoding="utf-8"
    )
    ingest([tmp_path / "articles"], helper.settings)
    ans = Assistant(helper.settings).answer("青石市调解中心调解了多少件纠纷?")
    assert ans.answerable and "120件" in ans.answer


def test_a_line_naming_another_city_does_not_place_an_articles_figures_there(assistant: Assistant):
    # The Dalian article's heading about the 沈阳代办处 workstation sits beside a Dalian pledge figure.
    assert not assistant.answer("沈阳市知识产权质押融资金额是多少?").answerable


def test_which_year_is_not_answered_by_sentences_naming_none(tmp_path: Path):
    text = "青石市知识产权保护中心\n青石市知识产权保护中心通过验收并投入运营，服务企业数量持续增长。\n该中心设有专利预审窗口。\n"
    helper = _corpus(tmp_path, {"centre.txt": text})
    assert not helper.answer("青石市知识产权保护中心是哪一年通过验收的?").answerable
