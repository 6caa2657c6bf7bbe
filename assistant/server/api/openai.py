"""The OpenAI-compatible endpoints: GET /v1/models and POST /v1/chat/completions (plain or streamed)."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from assistant.deadline import limited
from assistant.models import Answer, Turn
from assistant.pipeline import Assistant
from assistant.render.text import answer_of_reply, reply_text, sources_text
from assistant.server.api.answers import (
    asker_language,
    check_history,
    checked,
    precheck,
    until_disconnected,
)
from assistant.server.api.models import MAX_HISTORY, MODEL_NAME, ChatCompletionRequest, ChatMessage
from assistant.server.errors import ApiError


def history_from_messages(messages: list[ChatMessage]) -> tuple[str, list[Turn]]:
    """The last user message as the question; earlier user/assistant pairs as history."""
    talk = [m for m in messages if m.role in ("user", "assistant")]
    if not talk or talk[-1].role != "user":
        raise ApiError(400, "the last message must come from the user", "no_question")
    turns: list[Turn] = []
    for i, message in enumerate(talk[:-1]):
        if message.role == "user":
            reply = talk[i + 1].text() if i + 1 < len(talk) - 1 and talk[i + 1].role == "assistant" else ""
            turns.append(Turn(question=message.text(), answer=answer_of_reply(reply)))
    return talk[-1].text(), turns[-MAX_HISTORY:]


def _cited(ans: Answer) -> list[dict[str, Any]]:
    return [c.model_dump() for c in ans.citations or ans.related]


def completion(ans: Answer, model: str) -> dict[str, Any]:
    citations = _cited(ans)
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": reply_text(ans), "citations": citations},
            }
        ],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        "citations": citations,
        "answerable": ans.answerable,
        "confidence": ans.confidence,
        "searched_question": ans.searched_question,
    }


def completion_chunks(pieces: Iterator[str | Answer], model: str) -> Iterator[str]:
    """Server-sent events in OpenAI's chat.completion.chunk format, ending with [DONE]."""
    cid, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())

    def event(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
        chunk = {
            "id": cid,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            **extra,
        }
        return f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n"

    yield event({"role": "assistant", "content": ""})
    for piece in pieces:
        if isinstance(piece, Answer):
            sources = sources_text(piece)
            if sources:
                yield event({"content": f"\n\n{sources}"})
            yield event(
                {},
                "stop",
                citations=_cited(piece),
                answerable=piece.answerable,
                confidence=piece.confidence,
                searched_question=piece.searched_question,
            )
        else:
            yield event({"content": piece})
    yield "data: [DONE]\n\n"


def router(assistant: Assistant) -> APIRouter:
    routes = APIRouter()

    @routes.get("/v1/models", summary="OpenAI-compatible model list")
    def models() -> dict[str, Any]:
        return {
            "object": "list",
            "data": [{"id": MODEL_NAME, "object": "model", "owned_by": "local", "created": 0}],
        }

    @routes.post(
        "/v1/chat/completions", summary="OpenAI-compatible chat (plain or streamed)", response_model=None
    )
    async def chat_completions(
        body: ChatCompletionRequest, request: Request
    ) -> dict[str, Any] | StreamingResponse:
        """The last user message is the question, earlier turns its history. The reply's text has
        [n] markers and a source list; `citations` holds them structured, `answerable` and
        `confidence` (Answer.confidence) say how it was answered (also in the final streamed chunk). Work stops when the client disconnects or after `answer.timeout_s`."""
        question, turns = history_from_messages(body.messages)
        check_history(turns, assistant.settings.answer)
        model = body.model or MODEL_NAME
        precheck(question, assistant.settings.answer.max_question_chars, asker_language(request))
        if not body.stream:
            answered = await until_disconnected(request, lambda: assistant.answer(question, turns))
            return completion(checked(answered), model)
        chunks = completion_chunks(assistant.answer_stream(question, turns), model)
        stop = threading.Event()

        def step() -> str | None:
            with limited(float("inf"), stop):
                return next(chunks, None)

        async def events() -> AsyncIterator[str]:
            try:
                while (chunk := await anyio.to_thread.run_sync(step, abandon_on_cancel=True)) is not None:
                    yield chunk
            finally:  # the client went away (the response is cancelled) or the stream ended
                stop.set()

        return StreamingResponse(
            events(),
            media_type="text/event-stream",
            headers={"cache-control": "no-cache", "x-accel-buffering": "no"},
        )

    return routes
