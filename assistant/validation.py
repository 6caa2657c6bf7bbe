"""The one check of a question's text, shared by the library and the front ends."""

from __future__ import annotations

import unicodedata
from typing import Any

from assistant.constants import EMPTY_QUESTION, QUESTION_TOO_LONG
from assistant.models import Answer, Turn
from assistant.question import question_language

# How much of an over-long question is looked at for its language, and kept in the refusal.
LANGUAGE_SAMPLE_CHARS = 2000
ECHOED_CHARS = 200


def without_surrogates(value: Any) -> Any:
    """`value` with lone surrogates (from JSON escapes like \\ud800, which no encoder accepts)
    replaced by U+FFFD in every string, however deeply nested in lists and dicts."""
    if isinstance(value, str):
        return (
            value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
            if _has_surrogate(value)
            else value
        )
    if isinstance(value, list):
        return [without_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {without_surrogates(k): without_surrogates(v) for k, v in value.items()}
    return value


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def valid_history(history: list[Turn] | None, max_question_chars: int, max_chars: int) -> list[Turn]:
    """The most recent turns that fit the limits, cleaned: each turn's question and searched form
    cut to `max_question_chars`, the turns' texts together to `max_chars` (older turns dropped, the
    oldest kept answer cut). A long history only costs what these limits allow."""
    kept: list[Turn] = []
    left = max_chars
    for turn in reversed(history or []):
        question = without_surrogates(turn.question[:max_question_chars])
        searched = without_surrogates(turn.searched[:max_question_chars]) if turn.searched else None
        left -= len(question) + len(searched or "")
        if left < 0:
            break
        answer = without_surrogates(turn.answer[:left])
        left -= len(answer)
        kept.append(Turn(question=question, answer=answer, searched=searched))
    return kept[::-1]


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


def valid_question(raw: object, max_chars: int, asker_language: str | None = None) -> tuple[str, str]:
    """The cleaned question and its language, or QuestionRejected (too long, or nothing to ask).
    A question without a single letter is told off in `asker_language` where the caller knows it
    (the page's language, the client's Accept-Language)."""
    text = raw if isinstance(raw, str) else ""
    sample = text[:LANGUAGE_SAMPLE_CHARS]
    wordless = asker_language is not None and not any(c.isalpha() for c in sample)
    language = asker_language if wordless and asker_language else question_language(sample)
    if len(text) > max_chars:
        message = QUESTION_TOO_LONG[language].format(n=len(text), limit=max_chars)
        raise QuestionRejected("question_too_long", message, clean_question(text[:ECHOED_CHARS]), language)
    cleaned = clean_question(text)
    if not any(c.isalnum() for c in cleaned):
        raise QuestionRejected("empty_question", EMPTY_QUESTION[language], cleaned, language)
    return cleaned, language


__all__ = ["QuestionRejected", "clean_question", "valid_history", "valid_question", "without_surrogates"]
