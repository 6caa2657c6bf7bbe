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


def test_a_count_of_other_things_does_not_answer_how_many_of_what_the_question_names():
    from types import SimpleNamespace

    from assistant.answerers.extractive.choosing import _counts
    from assistant.question import analyse

    question = analyse("苏州今年认定了多少家知识产权贯标企业?")

    def counts(text: str) -> bool:
        cand = SimpleNamespace(held=0.5, text=text, meta={"language": "zh"})
        return _counts(question, cand)  # type: ignore[arg-type]

    # 个 and 家 count alike, but 8 patent pools are not 8 enterprises
    assert not counts("苏州今年将支持企业培育8个以上技术含量高、布局合理的专利池，提升竞争力。")
    assert counts("苏州今年新认定32家知识产权贯标企业。")  # the same thing, named
    assert counts("今年新认定的贯标企业达到32家。")  # a figure naming nothing after it
    assert counts("苏州今年认定了32家高新技术企业。")  # named alike (企业)
