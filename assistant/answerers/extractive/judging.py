"""The learned answer selector's judgement of the rules' single-fact answer, for the answerer:
the shipped model, loaded on first use, and the refusal threshold in force."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from assistant.answerers.extractive.candidates import Candidate
from assistant.answerers.extractive.choosing import Choice
from assistant.models import Answer
from assistant.question import Question
from assistant.settings import Settings
from index.keyword import KeywordIndex
from index.search import Hit


def quoted_sentences(choice: Choice, limit: int) -> list[str]:
    """The chosen sentences' quotes that fit the answer: what the selector measures of the rules'
    answer (its length, its sentences), whatever form the answer then takes."""
    return [quote for _, _, _, quote in choice.fitting(limit)]


if TYPE_CHECKING:
    from assistant.selection.judging import Judgement
    from assistant.selection.model import Selector


class Judging:
    """Confidence in answers, from the selector shipped with the package. Thread-safe."""

    def __init__(self, settings: Settings, keyword: Callable[[], KeywordIndex]) -> None:
        self.settings = settings
        self.keyword = keyword
        self._selector: Selector | None = None
        self._lock = threading.Lock()

    @property
    def selector(self) -> Selector:
        with self._lock:
            if self._selector is None:
                from assistant.selection.model import load_selector

                self._selector = load_selector()
            return self._selector

    @property
    def floor(self) -> float:
        """Answers less confident than this are refused (`answer.min_confidence`)."""
        return self.settings.answer.min_confidence

    @property
    def rescue(self) -> float:
        """Where the rules refuse, the ranker's sentence answers from this confidence (validated with
        the model; above 1, never)."""
        return float(self.selector.meta.get("rescue", 1.01))

    def judge(
        self,
        question: Question,
        ranked: list[Candidate],
        passages: list[Hit],
        choice: Choice | None,
        composed: Answer | None,
    ) -> Judgement | None:
        """The selector's confidence in the rules' answer (`choice`, `composed`), or, when they
        refused, in the ranker's best sentence; None when there is no candidate at all."""
        from assistant.selection.judging import judge, seen

        s = seen(question, ranked, passages, self.keyword(), choice.best if choice else None)
        if s is None:
            return None
        if choice is None or composed is None:
            return judge(self.selector, s)
        quoted = quoted_sentences(choice, self.settings.answer.max_answer_chars)
        return judge(self.selector, s, sum(len(q) for q in quoted), len(quoted))
