"""The HTTP API: /api/ask, /api/documents, /api/figures, /api/health, /api/feedback, an OpenAI-compatible
/v1/chat/completions, the OpenAPI schema and a self-contained docs page. No gradio here.

Every route calls the library (`Assistant`, `Library`, `FeedbackStore`); errors are JSON
(`{"error": {"message", "type", "code"}}`) with a 4xx status for bad requests.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.feedback import FeedbackStore
from assistant.library import Library
from assistant.pipeline import Assistant
from assistant.server.api import answers, documents, figures, openai, status
from assistant.server.api.reference import add_reference
from assistant.server.errors import ApiError, error_body
from assistant.validation import without_surrogates
from index.ingest import IngestLocked
from index.store import StoreError


def add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(error_body(exc.message, exc.code, exc.kind), status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = without_surrogates(jsonable_encoder(exc.errors(), custom_encoder={Exception: str}))
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


def create_api(assistant: Assistant, library: Library, feedback: FeedbackStore) -> FastAPI:
    app = FastAPI(
        title="IP policy assistant",
        version="0.1.0",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        description="Cited answers about Chinese intellectual-property policy.",
    )
    add_error_handlers(app)
    app.include_router(answers.router(assistant))
    app.include_router(documents.router(library))
    app.include_router(figures.router(library))
    app.include_router(status.router(assistant, feedback))
    app.include_router(openai.router(assistant))
    add_reference(app)
    return app


__all__ = ["create_api"]
