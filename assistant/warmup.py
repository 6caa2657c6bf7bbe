"""Start-up warm-up: load what the first question would otherwise wait for.

A fresh process loads the word segmenter's dictionary (jieba), the translation dictionary, the
script converters and stemmers, the keyword index and the store on first use: several seconds, paid
by whoever asks first. `warm_up` pays them before the server listens by searching and composing an
extractive answer to one question per language (never through an LLM backend, whatever is set)."""

from __future__ import annotations

import logging
import time

from assistant.followup import condense
from assistant.pipeline import Assistant
from assistant.question import analyse
from assistant.validation import QuestionRejected, valid_question
from index.store import StoreError

logger = logging.getLogger(__name__)

# Simplified, Traditional and English: each language takes its own analysers and dictionaries.
WARM_UP_QUESTIONS = (
    "大连有效商标注册量是多少?",
    "長沙有效發明專利擁有量是多少?",
    "How much did Dalian's IP pledge loans reach in 2021?",
)


def warm_up(assistant: Assistant) -> float:
    """Ask the warm-up questions without answering anyone; the seconds it took. A store that cannot
    be searched is left for the questions to report."""
    started = time.perf_counter()
    for question in WARM_UP_QUESTIONS:
        try:
            text, _language = valid_question(question, assistant.settings.answer.max_question_chars)
            searched = condense(text, None)
            asked = analyse(searched, asked=text)
            assistant.extractive.answer(asked, assistant.retriever.search(asked))
        except (QuestionRejected, StoreError) as exc:
            logger.warning("warm-up stopped: %s", exc)
            break
    return time.perf_counter() - started
