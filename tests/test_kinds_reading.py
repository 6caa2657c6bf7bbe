"""Question kinds read from wordings the first detector missed (session 7): progress between two
reports, 'by what factor', sums of two named kinds 'together', a place named by what stands in it
(所在城市 followed by the question), 'the city <participle>', and lists asked as 'list …'."""

from __future__ import annotations

import pytest

from assistant.kinds.detect import question_kind


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("长沙知识产权保护中心从2021年到2024年有什么进展?", "change"),
        ("長沙的TISC中心從獲批到今年的報道,有什麼發展?", "change"),
        ("长沙的保护中心,2021年的报道和2024年的报道分别怎么说?", "change"),
        ("By what factor did Changsha's patent grants grow between 2020 and 2024?", "change"),
        ("How much did Changsha's trademark registrations grow in 2024 and what was the total?", "change"),
        ("How many places from Hunan and Hubei together are on the list?", "aggregate"),
        ("長沙宣傳周有多少家企業和協會參加?", "aggregate"),
        ("名单共涉及多少个省份?", "aggregate"),
        ("该技术入选十大案例,其研发单位所在城市累计有多少家示范企业?", "bridge"),
        ("In the city approved as a protection zone, how many patents were there in 2024?", "bridge"),
        ("List the Hunan cities on the demonstration list.", "list"),
        ("列出长沙入选试点的区县", "list"),
        ("What policy documents has Changsha issued for IP protection?", "list"),
        ("Which cities of Hunan are on the list?", "list"),
        ("一文的文字、图片和编辑分别是谁?", "list"),
        # still single facts
        ("What does Changsha's IP center focus on?", None),
        ("长沙2024年有效发明专利拥有量是多少?", None),
        ("长沙知识产权局在哪个城市?", None),
    ],
)
def test_question_kind_reads_these_wordings(question: str, kind: str | None) -> None:
    assert question_kind(question) == kind
