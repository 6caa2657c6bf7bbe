"""POST /api/ask, and how a refused question becomes a 4xx."""

from __future__ import annotations

from fastapi import APIRouter

from assistant.engine import Assistant
from assistant.models import Answer
from assistant.server.api.models import AskRequest
from assistant.server.errors import ApiError
from assistant.validation import QuestionRejected, valid_question

ERROR_STATUS = {"empty_question": 400, "question_too_long": 413}


def checked(ans: Answer) -> Answer:
    """The answer, or an ApiError for input the assistant refused (empty, too long)."""
    if ans.error:
        raise ApiError(ERROR_STATUS.get(ans.error, 400), ans.answer, ans.error)
    return ans


def precheck(question: str, limit: int) -> None:
    """The library's input check, made before a stream starts so that it can still be a 4xx."""
    try:
        valid_question(question, limit)
    except QuestionRejected as exc:
        raise ApiError(ERROR_STATUS[exc.code], exc.message, exc.code) from None


def router(assistant: Assistant) -> APIRouter:
    routes = APIRouter()

    @routes.post(
        "/api/ask",
        response_model=Answer,
        summary="Answer a question with citations",
        responses={
            400: {"description": "Empty question"},
            413: {"description": "Question too long"},
            422: {"description": "Malformed request"},
        },
    )
    def ask(body: AskRequest) -> Answer:
        """Returns the Answer: text with [n] markers, citations (quote, document, offsets),
        `answerable`, `searched_question` (follow-ups resolved) and `related` passages when the
        articles do not answer."""
        return checked(assistant.answer(body.question, body.history))

    return routes
