"""A question is answered as a composite kind only where the evidence holds one (issue 12): a
question that reads like a list, count or bridge but that one sentence answers gets the
single-fact answer (None from the composer)."""

from __future__ import annotations

import pytest

from assistant.kinds import aggregate
from assistant.kinds.detect import question_kind
from assistant.kinds.kit import Kit
from assistant.models import Answer, Citation


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("这种语言使用的地区是哪里？", None),  # asks for the place itself
        ("这位诗人是在哪个朝代出生的地方?", None),
        ("气象局的地方分局有几个区域总部？", None),  # 地方 inside 地方分局
        ("這部小說中哪一個人物的原型是作者的父親？", None),  # one item, not a list
        ("该公司有哪两个子品牌？", "list"),
        ("成立联盟的城市,质押贷款是多少?", "bridge"),
        ("What is the pledge loan amount in the city that set up the alliance?", "bridge"),
    ],
)
def test_kind_needs_a_question_of_that_kind(question: str, kind: str | None) -> None:
    assert question_kind(question) == kind


def _kit(question: str, quote: str) -> Kit:
    cited = Citation.of_chunk(1, "doc", {"title": "t"}, quote, 0, 1.0)
    answer = Answer(question=question, answer=quote, answerable=True, language="zh-Hans", citations=[cited])

    def unused(*_: object) -> Answer:
        raise AssertionError("not asked")

    return Kit(
        question=question,
        searched=question,
        language="zh-Hans",
        hits=[],
        ranked=[],
        keyword=None,  # type: ignore[arg-type]
        single=lambda _: answer,
        refuse=unused,
        search=unused,
    )


def test_a_count_the_article_states_is_quoted_not_counted() -> None:
    stated = _kit("节目共分为几个地区版本?", "节目共分为三个地区版本:香港版本、台湾版本及东南亚版本。")
    assert aggregate.compose(stated) is None
    listed = _kit("大连与多少个地方签署了协议?", "与威海、烟台、丹东及新疆等地签署合作协议。")
    ans = aggregate.compose(listed)
    assert ans is not None and ans.answer.startswith("共4个（计算")
