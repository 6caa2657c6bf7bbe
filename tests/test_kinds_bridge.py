"""One-bridge questions (issue 12): the place the description points to, then the question for
that place, answered only from that place's articles."""

from __future__ import annotations

from assistant.kinds.bridge import _split
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
