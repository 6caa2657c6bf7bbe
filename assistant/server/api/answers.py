"""POST /api/ask, and how a refused question becomes a 4xx."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import TypeVar

import anyio
from fastapi import APIRouter, Request

from assistant.deadline import limited
from assistant.models import Answer, Turn
from assistant.pipeline import Assistant
from assistant.render.ui_text import ANSWER_LANGUAGE, language_from_header
from assistant.server.api.models import AskRequest
from assistant.server.errors import ApiError
from assistant.settings import AnswerSettings
from assistant.validation import QuestionRejected, valid_question

T = TypeVar("T")

ERROR_STATUS = {"empty_question": 400, "question_too_long": 413, "answer_timeout": 503, "cancelled": 503}
WATCH_S = 0.25  # how often a running answer looks whether its client is still there


def checked(ans: Answer) -> Answer:
    """The answer, or an ApiError for input the assistant refused (empty, too long)."""
    if ans.error:
        raise ApiError(ERROR_STATUS.get(ans.error, 400), ans.answer, ans.error)
    return ans


def asker_language(request: Request) -> str:
    """The language a client reads (Accept-Language; English when it names neither Chinese nor
    English), for what is said about a question that shows no language of its own."""
    return ANSWER_LANGUAGE[language_from_header(request.headers.get("accept-language", ""))]


def precheck(question: str, limit: int, language: str | None = None) -> None:
    """The library's input check, made before answering so that a refusal is a 4xx in the client's
    `language` when the question has no words to tell one."""
    try:
        valid_question(question, limit, language)
    except QuestionRejected as exc:
        raise ApiError(ERROR_STATUS[exc.code], exc.message, exc.code) from None


def check_history(turns: list[Turn], settings: AnswerSettings) -> None:
    """413 for a history over the limits the library would cut it to (a client should know)."""
    total = 0
    for turn in turns:
        longest = max(len(turn.question), len(turn.searched or ""))
        if longest > settings.max_question_chars:
            message = f"a history turn is too long ({longest} characters, the limit is {settings.max_question_chars})"
            raise ApiError(413, message, "history_too_long")
        total += len(turn.question) + len(turn.answer) + len(turn.searched or "")
    if total > settings.max_history_chars:
        message = f"the history is too long ({total} characters, the limit is {settings.max_history_chars})"
        raise ApiError(413, message, "history_too_long")


async def until_disconnected(request: Request, work: Callable[[], T]) -> T:
    """`work()` in a worker thread; a client that disconnects sets the stop event its
    `limited()` block watches, so the answer stops at its next checkpoint."""
    stop = threading.Event()

    def limited_work() -> T:
        with limited(float("inf"), stop):
            return work()

    async def watch() -> None:
        while not await request.is_disconnected():
            await anyio.sleep(WATCH_S)
        stop.set()

    watcher = asyncio.ensure_future(watch())
    try:
        return await anyio.to_thread.run_sync(limited_work)
    finally:
        watcher.cancel()


def router(assistant: Assistant) -> APIRouter:
    routes = APIRouter()

    @routes.post(
        "/api/ask",
        response_model=Answer,
        summary="Answer a question with citations",
        responses={
            400: {"description": "Empty question"},
            413: {"description": "Question or history too long"},
            503: {"description": "Answering took longer than answer.timeout_s"},
            422: {"description": "Malformed request"},
        },
    )
    async def ask(body: AskRequest, request: Request) -> Answer:
        """Returns the Answer: text with [n] markers, citations (quote, document, offsets),
        `answerable`, `searched_question` (follow-ups resolved) and `related` passages when the
        articles do not answer. Work stops when the client disconnects or after
        `answer.timeout_s` (503)."""
        check_history(body.history, assistant.settings.answer)
        precheck(body.question, assistant.settings.answer.max_question_chars, asker_language(request))
        return checked(
            await until_disconnected(request, lambda: assistant.answer(body.question, body.history))
        )

    return routes
