"""Yes/no answers (issue 12): 是/否 only where a passage states it; otherwise a refusal."""

from __future__ import annotations

from assistant.kinds.parts import Sentence
from assistant.kinds.yesno import decide, measure_asked


def _s(text: str) -> Sentence:
    return Sentence("doc", 0, len(text), text, {})


def test_evidence_that_does_not_state_what_is_asked_decides_nothing() -> None:
    evidence = [_s("保护中心作为全国唯一基层调解组织代表在交流会上作典型发言。")]
    assert decide("保护中心通过国家验收了吗?", evidence) is None
    assert decide("保护中心在交流会上作典型发言了吗?", evidence) is True


def test_an_edition_the_evidence_does_not_speak_of_decides_nothing() -> None:
    evidence = [_s("在第二十五届中国专利奖评选中获1金2银7优秀的佳绩。")]
    assert decide("Did the city win a gold award in the 26th China Patent Awards?", evidence) is None
    assert decide("在第二十五届中国专利奖评选中获得了3项金奖吗?", evidence) is False


def test_a_passage_is_read_with_its_articles_title() -> None:
    evidence = [
        Sentence(
            "doc",
            0,
            30,
            "市法院、市仲裁委、大连海关等30余家成员单位参加了活动。",
            {"title": "大连开展宣传周主题日活动"},
        )
    ]
    assert decide("市仲裁委参加了宣传周主题日活动吗?", evidence) is True


def test_the_measure_asked_is_the_question_without_its_comparison_and_figure() -> None:
    assert measure_asked("Did the city's valid invention patents exceed 70,000 in 2024?") == (
        "the city's valid invention patents in 2024"
    )
    assert measure_asked("Has the pledge financing surpassed 10 billion yuan?") == "the pledge financing"
    assert measure_asked("大学向中小企业开放许可的专利超过300项了吗?") == "大学向中小企业开放许可的专利"
    assert measure_asked("保护中心通过国家验收了吗?") is None  # no figure to compare with
