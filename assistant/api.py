"""The HTTP API: /api/ask, /api/documents, /api/health, /api/feedback, an OpenAI-compatible
/v1/chat/completions, the OpenAPI schema and a self-contained docs page.

Every route calls the library (`Assistant`, `Library`, `FeedbackStore`); errors are JSON
(`{"error": {"message", "type", "code"}}`) with a 4xx status for bad requests.
"""

from __future__ import annotations

import html
import json
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from fastapi import FastAPI, File, Request, UploadFile
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.engine import Assistant, clean_question
from assistant.feedback import FeedbackStore
from assistant.library import Library, UploadRejected
from assistant.models import Answer, Citation, Turn
from index.ingest import IngestLocked
from index.store import StoreError

MODEL_NAME = "ip-assistant"
MAX_HISTORY = 50
ERROR_STATUS = {"empty_question": 400, "question_too_long": 413}


class ApiError(Exception):
    def __init__(self, status: int, message: str, code: str, kind: str = "invalid_request_error") -> None:
        super().__init__(message)
        self.status, self.message, self.code, self.kind = status, message, code, kind


def error_body(message: str, code: str, kind: str = "invalid_request_error", **extra: Any) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "code": code, **extra}}


# ---------------------------------------------------------------------------------- request models


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: str = Field(description="The question, in Chinese (Simplified or Traditional) or English")
    history: list[Turn] = Field(
        default_factory=list,
        max_length=MAX_HISTORY,
        description="Earlier turns, oldest first, for follow-up questions",
    )


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rating: Literal[1, -1] = Field(description="1 helpful, -1 not helpful")
    comment: str = Field("", max_length=4000)
    answer: Answer


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Literal["system", "user", "assistant", "developer", "tool"]
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return "".join(str(p.get("text", "")) for p in self.content if p.get("type") == "text")
        return self.content or ""


class ChatCompletionRequest(BaseModel):
    model_config = ConfigDict(extra="allow")  # temperature, top_p ... are accepted and ignored
    model: str = MODEL_NAME
    messages: list[ChatMessage] = Field(min_length=1, max_length=2 * MAX_HISTORY + 2)
    stream: bool = False


# ---------------------------------------------------------------------------------- helpers


def checked(ans: Answer) -> Answer:
    """The answer, or an ApiError for input the assistant refused (empty, too long)."""
    if ans.error:
        raise ApiError(ERROR_STATUS.get(ans.error, 400), ans.answer, ans.error)
    return ans


def precheck(question: str, limit: int) -> None:
    """The library's input checks, made before a stream starts so they can still be a 4xx."""
    if len(question) > limit:
        raise ApiError(
            413,
            f"the question is too long ({len(question)} characters, the limit is {limit})",
            "question_too_long",
        )
    if not any(c.isalnum() for c in clean_question(question)):
        raise ApiError(400, "the question is empty", "empty_question")


def sources_text(ans: Answer) -> str:
    """The citations as plain text under an answer (OpenAI-compatible replies)."""
    zh = ans.language != "en"
    items = ans.citations or ans.related
    if not items:
        return ""
    head = (
        ("来源：" if zh else "Sources:") if ans.citations else ("相关段落：" if zh else "Related passages:")
    )
    lines = [head]
    for c in items:
        label = " · ".join(x for x in (c.title, c.source, c.published) if x) or c.doc_id
        lines.append(f"[{c.n}] {label} ({c.doc_id}): “{c.quote}”")
    return "\n".join(lines)


def history_from_messages(messages: list[ChatMessage]) -> tuple[str, list[Turn]]:
    """The last user message as the question; earlier user/assistant pairs as history."""
    talk = [m for m in messages if m.role in ("user", "assistant")]
    if not talk or talk[-1].role != "user":
        raise ApiError(400, "the last message must come from the user", "no_question")
    turns: list[Turn] = []
    for i, message in enumerate(talk[:-1]):
        if message.role == "user":
            reply = talk[i + 1].text() if i + 1 < len(talk) - 1 and talk[i + 1].role == "assistant" else ""
            answer = reply.split("\n\n来源：")[0].split("\n\nSources:")[0]
            turns.append(Turn(question=message.text(), answer=answer))
    return talk[-1].text(), turns[-MAX_HISTORY:]


def completion(ans: Answer, model: str) -> dict[str, Any]:
    sources = sources_text(ans)
    citations = [c.model_dump() for c in ans.citations or ans.related]
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {
                    "role": "assistant",
                    "content": ans.answer + (f"\n\n{sources}" if sources else ""),
                    "citations": citations,
                },
            }
        ],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        "citations": citations,
        "answerable": ans.answerable,
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
            citations = [c.model_dump() for c in piece.citations or piece.related]
            yield event(
                {},
                "stop",
                citations=citations,
                answerable=piece.answerable,
                searched_question=piece.searched_question,
            )
        else:
            yield event({"content": piece})
    yield "data: [DONE]\n\n"


def docs_page(schema: dict[str, Any]) -> str:
    """The API reference as plain HTML built from the OpenAPI schema (no CDN scripts)."""
    out = [
        f"<!doctype html><meta charset='utf-8'><title>{html.escape(schema['info']['title'])} API</title>",
        "<style>body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;color:#222}"
        "code,pre{background:#f4f4f4;padding:.1em .3em}h3{margin-bottom:.2em}</style>",
        f"<h1>{html.escape(schema['info']['title'])} API</h1>",
        "<p>Machine-readable schema: <a href='openapi.json'>openapi.json</a>. "
        "The chat's Gradio endpoints are listed under <a href='/?view=api'>?view=api</a>.</p>",
    ]
    for path, ops in schema.get("paths", {}).items():
        for method, op in ops.items():
            out.append(f"<h3><code>{html.escape(method.upper())} {html.escape(path)}</code></h3>")
            out.append(f"<p>{html.escape(op.get('summary', ''))}</p>")
            if op.get("description"):
                out.append(f"<pre>{html.escape(op['description'])}</pre>")
    return "\n".join(out)


# ---------------------------------------------------------------------------------- the app


def create_api(assistant: Assistant, library: Library, feedback: FeedbackStore) -> FastAPI:
    app = FastAPI(
        title="IP policy assistant",
        version="0.1.0",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        description="Cited answers about Chinese intellectual-property policy.",
    )

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(error_body(exc.message, exc.code, exc.kind), status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = jsonable_encoder(exc.errors(), custom_encoder={Exception: str})
        first = details[0] if details else {}
        where = ".".join(str(p) for p in first.get("loc", []) if p != "body")
        message = f"{where}: {first.get('msg', 'invalid request')}" if where else first.get("msg", "invalid")
        return JSONResponse(error_body(message, "invalid_request", details=details), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(
            error_body(str(exc.detail), f"http_{exc.status_code}"), status_code=exc.status_code
        )

    @app.exception_handler(IngestLocked)
    async def locked(_: Request, exc: IngestLocked) -> JSONResponse:
        return JSONResponse(error_body(str(exc), "busy", "conflict_error"), status_code=409)

    @app.exception_handler(StoreError)
    async def store_down(_: Request, exc: StoreError) -> JSONResponse:
        return JSONResponse(error_body(str(exc), "store_unavailable", "server_error"), status_code=503)

    @app.post(
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

    @app.get("/api/documents", summary="List the indexed articles")
    def documents() -> list[dict[str, Any]]:
        return library.documents()

    @app.get("/api/documents/{doc_id:path}", summary="One article's full original text and metadata")
    def document(doc_id: str) -> dict[str, Any]:
        found = library.document(doc_id)
        if found is None:
            raise ApiError(404, f"no document {doc_id!r}", "not_found")
        text, meta = found
        return {"doc_id": doc_id, "meta": meta, "text": text}

    @app.post(
        "/api/documents",
        status_code=201,
        summary="Upload and index an article",
        responses={
            409: {"description": "Id taken or ingest busy"},
            413: {"description": "Too large"},
            415: {"description": "Unsupported file type"},
            422: {"description": "Unreadable"},
        },
    )
    def upload(
        file: Annotated[UploadFile, File(description="An article: .txt .md .html .pdf .docx")],
    ) -> dict[str, Any]:
        """Indexed incrementally; uploading a file with the same name again replaces it."""
        name = file.filename or ""
        size = file.size if file.size is not None else 0
        try:
            library.check_upload(name, size)
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "upload"
                with path.open("wb") as out:
                    while chunk := file.file.read(1 << 20):
                        out.write(chunk)
                report = library.add(name, path)
        except UploadRejected as exc:
            raise ApiError(exc.status, str(exc), exc.code) from None
        return report.model_dump()

    @app.delete("/api/documents/{doc_id:path}", summary="Remove an article from the index")
    def remove(doc_id: str) -> dict[str, Any]:
        removed = library.remove([doc_id])
        if not removed:
            raise ApiError(404, f"no document {doc_id!r}", "not_found")
        return {"removed": removed}

    @app.get("/api/health", summary="Liveness and index state")
    def health() -> dict[str, Any]:
        state = assistant.searcher.store.state()
        return {
            "status": "ok",
            "chunks": state["chunks"],
            "generation": state["generation"],
            "embedder": state["embedder"],
            "generator": assistant.settings.llm.backend,
        }

    @app.post("/api/feedback", status_code=201, summary="Rate an answer (stored with its citations)")
    def give_feedback(body: FeedbackRequest, request: Request) -> dict[str, Any]:
        user = str(request.scope.get("state", {}).get("user", ""))
        return {"id": feedback.add(body.rating, body.answer.model_dump(), body.comment, user)}

    @app.get("/v1/models", summary="OpenAI-compatible model list")
    def models() -> dict[str, Any]:
        return {
            "object": "list",
            "data": [{"id": MODEL_NAME, "object": "model", "owned_by": "local", "created": 0}],
        }

    @app.post(
        "/v1/chat/completions", summary="OpenAI-compatible chat (plain or streamed)", response_model=None
    )
    def chat_completions(body: ChatCompletionRequest) -> dict[str, Any] | StreamingResponse:
        """The last user message is the question, earlier turns its history. The reply's text has
        [n] markers and a source list; `citations` holds them structured (also in the final
        streamed chunk)."""
        question, turns = history_from_messages(body.messages)
        model = body.model or MODEL_NAME
        if not body.stream:
            return completion(checked(assistant.answer(question, turns)), model)
        precheck(question, assistant.settings.answer.max_question_chars)
        pieces = assistant.answer_stream(question, turns)

        def events() -> Iterator[str]:
            yield from completion_chunks(pieces, model)

        return StreamingResponse(
            events(),
            media_type="text/event-stream",
            headers={"cache-control": "no-cache", "x-accel-buffering": "no"},
        )

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(docs_page(app.openapi()))

    return app


class BodyLimit:
    """Refuses requests whose declared body is over `max_bytes` (413, JSON) before reading them."""

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            for key, value in scope.get("headers", []):
                if key == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                    message = f"request body over the limit of {self.max_bytes} bytes"
                    await _send_json(send, 413, error_body(message, "body_too_large"))
                    return
        await self.app(scope, receive, send)


async def _send_json(send: Any, status: int, payload: Any) -> None:
    """A JSON response sent from ASGI middleware, before the app is reached."""
    body = json.dumps(payload).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class SameOrigin:
    """Refuses state-changing requests sent by another site's page (a browser adds Origin): without
    it any web page could post uploads or questions to a chat on the visitor's 127.0.0.1."""

    SAFE = ("GET", "HEAD", "OPTIONS")

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope.get("method", "GET") not in self.SAFE:
            headers = dict(scope.get("headers", []))
            origin = headers.get(b"origin", b"").decode("latin-1")
            host = headers.get(b"host", b"").decode("latin-1")
            if origin and origin != "null" and urlsplit(origin).netloc != host:
                message = f"cross-origin request from {origin} refused"
                await _send_json(send, 403, error_body(message, "cross_origin", "permission_error"))
                return
        await self.app(scope, receive, send)


__all__ = ["BodyLimit", "Citation", "SameOrigin", "create_api"]
