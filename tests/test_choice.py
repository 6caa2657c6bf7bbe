"""The rules' choice of sentences (assistant.answerers.extractive.choosing.Choice)."""

from __future__ import annotations


def test_the_rules_answer_is_fitted_once_for_composing_and_judging():
    from types import SimpleNamespace

    from assistant.answerers.extractive.choosing import Choice
    from assistant.answerers.extractive.judging import quoted_sentences

    strong, weak = SimpleNamespace(score=2.0), SimpleNamespace(score=1.0)
    choice = Choice([(weak, 0, 80, "w" * 80), (strong, 100, 150, "s" * 50)])  # type: ignore[list-item]
    fitted = choice.fitting(100)
    assert [p[0] for p in fitted] == [strong]  # the weaker one does not fit beside the best
    assert choice.fitting(100) is fitted  # worked out once, whoever asks
    assert quoted_sentences(choice, 100) == ["s" * 50]
