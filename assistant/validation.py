"""The one check of a question's text, shared by the library and the front ends."""

from __future__ import annotations

import unicodedata

from assistant.constants import EMPTY_QUESTION, QUESTION_TOO_LONG
from assistant.models import Answer
from assistant.question import question_language

# How much of an over-long question is looked at for its language, and kept in the refusal.
LANGUAGE_SAMPLE_CHARS = 2000
ECHOED_CHARS = 200


def clean_question(text: str) -> str:
    """Control characters and lone surrogates (which no encoder accepts) out, white space collapsed."""
    kept = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp") else c for c in text)
    return " ".join(kept.split())


class QuestionRejected(ValueError):
    """Input the assistant does not answer: `code` is empty_question or question_too_long."""

    def __init__(self, code: str, message: str, question: str, language: str) -> None:
        super().__init__(message)
        self.code, self.message, self.question, self.language = code, message, question, language

    def answer(self) -> Answer:
        return Answer(
            question=self.question,
            answer=self.message,
            answerable=False,
            language=self.language,
            error=self.code,
        )


def valid_question(raw: object, max_chars: int) -> tuple[str, str]:
    """The cleaned question and its language, or QuestionRejected (too long, or nothing to ask)."""
    text = raw if isinstance(raw, str) else ""
    language = question_language(text[:LANGUAGE_SAMPLE_CHARS])
    if len(text) > max_chars:
        message = QUESTION_TOO_LONG[language].format(n=len(text), limit=max_chars)
        raise QuestionRejected("question_too_long", message, clean_question(text[:ECHOED_CHARS]), language)
    cleaned = clean_question(text)
    if not any(c.isalnum() for c in cleaned):
        raise QuestionRejected("empty_question", EMPTY_QUESTION[language], cleaned, language)
    return cleaned, language


__all__ = ["QuestionRejected", "clean_question", "valid_question"]
