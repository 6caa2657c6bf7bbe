"""Summaries of a topic (issue 12): the stretch of an article that a label names (a heading, a
paragraph's opening, a paragraph ending with a colon) is what a summary of that topic quotes."""

from __future__ import annotations

import pytest

from assistant.kinds.parts import Sentence, terms
from assistant.pipeline import Assistant
from assistant.settings import Settings


def _doc(lines: list[str]) -> list[Sentence]:
    """One sentence per line, each its own paragraph (a line of the article)."""
    out, at = [], 0
    for para, line in enumerate(lines):
        out.append(Sentence("doc", at, at + len(line), line, {}, 0.0, para))
        at += len(line) + 1
    return out


ARTICLE = [
    "杭州推进知识产权工作",
    "加强人才培养,完善激励机制。建立专家库,开设培训班三十期。",
    "优化审查流程,提升服务效率。开通快速预审通道,审查周期缩短到三个月。",
    "市知识产权局党组书记、局长张三在全市工作会议上的致辞中介绍:",
    "去年全市办结案件四百件。",
    "今年将新建服务站十个。",
    "会议要点",
    "与会代表交流了经验。",
]


def test_a_paragraphs_opening_names_its_topic_and_beats_the_article() -> None:
    from assistant.kinds.topics import scored

    question = "总结杭州在优化审查流程方面的打算"
    best = scored(
        _doc(ARTICLE), "杭州推进知识产权工作", question, terms("优化审查流程方面的打算"), lambda t: 1.0
    )[0]
    assert best.kind == "paragraph" and best.label.startswith("优化审查流程")
    assert [s.text for s in best.body] == [ARTICLE[2]]


def test_a_paragraph_ending_with_a_colon_introduces_the_paragraphs_after_it() -> None:
    from assistant.kinds.topics import units

    found = [u for u in units(_doc(ARTICLE), "杭州推进知识产权工作") if u.kind == "introduced"]
    assert len(found) == 1 and [s.text for s in found[0].body] == [ARTICLE[4], ARTICLE[5]]


def test_a_long_first_sentence_is_labelled_by_its_first_clause() -> None:
    from assistant.kinds.topics import opening

    long = "在知识产权营商环境提升计划上,将全面推广公共服务地方标准,升级优化公共服务信息平台功能,实现全覆盖。"
    assert opening(_doc([long])[0]) == "在知识产权营商环境提升计划上"
    assert opening(_doc(["加强人才培养,完善激励机制。"])[0]) == "加强人才培养,完善激励机制。"


@pytest.mark.parametrize(
    ("question", "year"),
    [
        ("总结大连2025年报道中知识产权金融方面的工作", "2025"),
        ("概括大連在知識產權運營方面的成績(2022年示範城市報道)", "2022"),
        ("Summarize Dalian's management work in the 2022 English report.", "2022"),
        ("Summarize Dalian's intellectual property targets for 2025.", None),
    ],
)
def test_the_year_of_the_report_a_question_names(question: str, year: str | None) -> None:
    from assistant.kinds.topics import _report_year
    from index.normalize import to_simplified

    assert _report_year(to_simplified(question)) == year


@pytest.mark.parametrize(
    ("question", "items"),
    [
        # the topic is a paragraph's opening sentence (提升转化运用效能,促进价值充分涌流。)
        ("概括大连今后提升转化运用效能的打算", ["生态产业园", "金融产品"]),
        # the topic is a heading line (王聚强调:) inside the article the question also names
        ("总结王聚在主题日上强调的今年工作重点", ["人才队伍", "金融创新"]),
    ],
)
def test_a_summary_of_a_topic_quotes_the_stretch_its_label_names(
    bundled_settings: Settings, question: str, items: list[str]
) -> None:
    answer = Assistant(bundled_settings).answer(question)
    assert answer.answerable
    assert all(item in answer.answer for item in items), answer.answer


def test_a_unit_in_another_language_is_scored_only_where_concepts_carry_the_question() -> None:
    from assistant.kinds.topics import scored

    english = Sentence(
        "en", 0, 80, "In terms of intellectual property operation, the city set up 11 centres.", {}, 0.0, 0
    )
    question = "大连有哪些知识产权人才引进政策"  # of its terms only 知识产权 is a concept English shares
    assert scored([english], "Dalian builds a strong IP city", question, terms(question), lambda t: 1.0) == []
