"""Answerers: from the analysed question and retrieved passages to an Answer (base.Answerer).
`extractive` quotes sentences; `llm` generates with a language model and verifies."""

from assistant.answerers.base import Answerer

__all__ = ["Answerer"]
