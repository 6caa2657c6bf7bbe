"""From a question to a cited answer: the library API the front ends call.

One pipeline: validate → condense (follow-ups made standalone) → analyse once → retrieve → the
answerer (extractive, or an LLM with the extractive one as fallback) → Answer.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from assistant.answerers.base import Answerer
from assistant.answerers.extractive import ExtractiveAnswerer
from assistant.answerers.llm import LLMAnswerer
from assistant.constants import ANSWER_TIMEOUT, STORE_UNAVAILABLE
from assistant.deadline import AnswerStopped, Stop, checkpoint, limited
from assistant.dictionary import prepare as prepare_dictionary
from assistant.followup import condense
from assistant.gate import Gate, default_slots
from assistant.models import Answer, Turn
from assistant.question import Question, analyse
from assistant.retrieval import Retriever
from assistant.settings import Settings
from assistant.validation import QuestionRejected, valid_history, valid_question
from index.search import Hit, Searcher
from index.store import StoreError

if TYPE_CHECKING:
    from assistant.pool import AnswerPool

logger = logging.getLogger(__name__)

STREAM_PIECES = 12  # an extractive answer, ready at once, is streamed in about this many pieces
MIN_STREAM_PIECE = 8  # characters


class _ReaderGone(Exception):
    """The consumer of answer_stream stopped reading."""


class Assistant:
    """Answers questions over one index. Thread-safe; build once, ask many times."""

    def __init__(self, settings: Settings | None = None, searcher: Searcher | None = None) -> None:
        self.settings = settings or Settings()
        self.searcher = searcher or Searcher(self.settings)
        prepare_dictionary(self.settings.data_dir)
        self.retriever = Retriever(self.settings, self.searcher)
        self.extractive = ExtractiveAnswerer(self.settings, lambda: self.searcher.keyword, self._hits_for)
        # With an LLM configured, answers are generated and verified; prompts are checked here, at start-up.
        self.llm = (
            LLMAnswerer(self.settings, self.extractive) if self.settings.llm.backend != "none" else None
        )
        self.answerer: Answerer = self.llm or self.extractive
        self.gate = Gate(self.settings.answer.workers or default_slots())
        self.pool: AnswerPool | None = None  # set by the server: answering in other processes

    def answer(
        self,
        question: str,
        history: list[Turn] | None = None,
        *,
        on_delta: Callable[[str], None] | None = None,
        stop: Stop | None = None,
    ) -> Answer:
        """The cited Answer. Work stops after answer.timeout_s, or once `stop.is_set()` (the asker
        went away): an Answer with error "answer_timeout" or "cancelled"."""
        started = time.perf_counter()
        cfg = self.settings.answer
        try:
            text, language = valid_question(question, cfg.max_question_chars)
        except QuestionRejected as exc:
            return exc.answer()
        history = valid_history(history, cfg.max_question_chars, cfg.max_history_chars)
        try:
            with limited(cfg.timeout_s, stop):
                if self.pool is not None:  # the same steps, in an answering process
                    return self.pool.answer(text, history)
                return self._answer(text, language, history, started, on_delta)
        except AnswerStopped as exc:
            logger.warning("answer stopped (%s) after %.1f s", exc.reason, time.perf_counter() - started)
            return Answer(
                question=text,
                answer=ANSWER_TIMEOUT[language],
                answerable=False,
                language=language,
                error="answer_timeout" if exc.reason == "timeout" else "cancelled",
            )

    def _answer(
        self,
        text: str,
        language: str,
        history: list[Turn],
        started: float,
        on_delta: Callable[[str], None] | None,
    ) -> Answer:
        """Condense, analyse once, retrieve, answer: the steps after the input checks."""
        searched = self.llm.condense(text, history, language) if self.llm else condense(text, history)
        checkpoint()
        timings: dict[str, float] = {}
        with contextlib.ExitStack() as turn:
            t = time.perf_counter()
            turn.enter_context(self.gate.slot())  # the CPU-bound steps take turns (assistant.gate)
            timings["wait_ms"] = (time.perf_counter() - t) * 1000
            t = time.perf_counter()
            asked = analyse(searched, asked=text)
            try:
                hits = self.retriever.search(asked)
            except StoreError as exc:  # a Chroma server down or not answering within its timeout
                logger.warning("search failed: %s", exc)
                return Answer(
                    question=text,
                    searched_question=searched,
                    answer=STORE_UNAVAILABLE[language],
                    answerable=False,
                    language=language,
                    error="store_unavailable",
                    notes=[str(exc)],
                )
            checkpoint()
            hits = self.retriever.with_crossing_hits(asked, language, hits)
            checkpoint()
            timings["retrieve_ms"] = (time.perf_counter() - t) * 1000
            if self.llm is not None:
                turn.close()  # a generated answer waits on the model, not on the cores
            t = time.perf_counter()
            result = self.answerer.answer(asked, hits, on_delta)
        timings["compose_ms"] = (time.perf_counter() - t) * 1000
        timings["total_ms"] = (time.perf_counter() - started) * 1000
        result.timings = {k: round(v, 2) for k, v in timings.items()}
        return result

    def _hits_for(self, question: Question) -> list[Hit]:
        """What `answer` retrieves for a question: the hybrid search and the crossing hits."""
        return self.retriever.with_crossing_hits(question, question.language, self.retriever.search(question))

    def answer_stream(
        self, question: str, history: list[Turn] | None = None, stop: Stop | None = None
    ) -> Iterator[str | Answer]:
        """The answer as it is produced: text pieces (str), then the final `Answer`.

        The extractive answer is ready at once and is sent in a few pieces; an LLM backend streams
        its verified sentences. Front ends show the pieces and then replace them with the final answer."""
        if self.llm is not None:
            yield from self._stream_generated(question, history, stop)
            return
        final = self.answer(question, history, stop=stop)
        text = final.answer
        step = max(MIN_STREAM_PIECE, len(text) // STREAM_PIECES)
        for i in range(0, len(text), step):
            yield text[i : i + step]
        yield final

    def _stream_generated(
        self, question: str, history: list[Turn] | None, gone: Stop | None
    ) -> Iterator[str | Answer]:
        # answer() runs in a worker thread and hands verified text over as it comes; closing this
        # iterator makes the worker stop at its next verified piece.
        pieces: queue.Queue[str | Answer | BaseException] = queue.Queue()
        stop = threading.Event()

        def on_delta(text: str) -> None:
            if stop.is_set():
                raise _ReaderGone
            pieces.put(text)

        def work() -> None:
            try:
                pieces.put(self.answer(question, history, on_delta=on_delta, stop=gone))
            except BaseException as exc:  # handed to the reader, raised there
                pieces.put(exc)

        worker = threading.Thread(target=work, name="answer-stream", daemon=True)
        worker.start()
        try:
            while True:
                item = pieces.get()
                if isinstance(item, BaseException):
                    raise item
                yield item
                if isinstance(item, Answer):
                    return
        finally:
            stop.set()

    def retrieve(self, searched: str) -> list[Hit]:
        """The passages the hybrid search finds for a question (before other-language hits)."""
        return self.retriever.search(analyse(searched))


_lock = threading.Lock()


@functools.lru_cache(maxsize=8)
def _assistant_for(settings_json: str) -> Assistant:
    return Assistant(Settings.model_validate_json(settings_json))


def get_assistant(settings: Settings | None = None) -> Assistant:
    settings = settings or Settings()
    with _lock:
        return _assistant_for(settings.model_dump_json())


def answer(question: str, history: list[Turn] | None = None, settings: Settings | None = None) -> Answer:
    """Answer `question` from the indexed articles, citing the passages used."""
    return get_assistant(settings).answer(question, history)


__all__ = ["Assistant", "answer", "get_assistant"]
