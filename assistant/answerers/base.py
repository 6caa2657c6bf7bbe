"""What an answerer is: given the analysed question and the retrieved passages, an Answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

from assistant.models import Answer
from assistant.question import Question
from index.search import Hit


@runtime_checkable
class Answerer(Protocol):
    """Answers a question from passages, citing them, or refuses with the closest passages.
    `on_delta` receives answer text as it is produced (answerers that stream call it)."""

    @property
    def name(self) -> str: ...

    def answer(
        self, question: Question, passages: list[Hit], on_delta: Callable[[str], None] | None = None
    ) -> Answer: ...
