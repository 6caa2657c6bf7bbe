"""One-bridge questions (issue 12): the place the description points to, then the question for
that place, answered only from that place's articles."""

from __future__ import annotations

from assistant.kinds.bridge import _split
from assistant.kinds.detect import question_kind
from assistant.pipeline import Assistant
from assistant.settings import Settings


def test_a_place_named_that_city_after_its_description_is_split() -> None:
    split = _split("入选示范区建设城市的那个城市,近三年审结了多少件司法案件?", english=False)
    assert split == ("入选示范区建设城市", "{place}近三年审结了多少件司法案件?")


def test_a_second_hop_answered_only_by_another_citys_article_is_refused(bundled_settings: Settings) -> None:
    # The description points to Changsha; only Dalian's articles count judicial cases.
    answer = Assistant(bundled_settings).answer(
        "入选国家知识产权保护示范区建设城市的那个城市,近三年审结了多少件知识产权司法案件?"
    )
    assert not answer.answerable, answer.answer


def test_an_english_second_hop_names_the_place_before_its_question_mark() -> None:
    split = _split(
        "In the city whose bureau opened a patent office, how many patents were granted?", english=True
    )
    assert split == (" bureau opened a patent office", "how many patents were granted in {place}?")


def test_a_quoted_name_keeps_its_comma_inside_the_description() -> None:
    split = _split(
        "In the city whose motto is 'one window, one network', how many agencies are there?", english=True
    )
    assert split is not None
    assert split[0] == " motto is 'one window, one network'"
    assert split[1] == "how many agencies are there in {place}?"


def test_what_a_described_city_did_and_the_city_its_director_stands_in_are_bridges() -> None:
    assert question_kind(
        "In the city whose alliance has 80 members, what total output value did its pilots reach?"
    ) == ("bridge")
    assert question_kind("局长张三所在的城市在专利奖评选中拿了几项金奖?") == "bridge"
    assert _split("局长张三所在的城市在专利奖评选中拿了几项金奖?", english=False) == (
        "局长张三",
        "{place}在专利奖评选中拿了几项金奖?",
    )
