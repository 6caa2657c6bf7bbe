"""Request size limits, enforced before a body is read: the declared size, and the bytes counted as
they arrive (a chunked body declares none)."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException

from assistant.server.errors import error_body, send_json

# Bodies other than uploads: a question with its history, a rating, Gradio's event payloads.
SMALL_BODY_BYTES = 2 * 1024 * 1024
UPLOAD_PATHS = ("/api/documents", "/gradio_api/upload", "/upload")


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body over the limit of {limit} bytes")


class BodyLimit:
    """Refuses bodies over the limit (413, JSON): uploads `max_bytes`, other requests
    SMALL_BODY_BYTES. A declared Content-Length is refused before anything is read; otherwise the
    bytes are counted as the app reads them and reading stops at the limit."""

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def limit(self, scope: dict[str, Any]) -> int:
        path = scope.get("path", "").rstrip("/")
        return self.max_bytes if path.endswith(UPLOAD_PATHS) else min(self.max_bytes, SMALL_BODY_BYTES)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit(scope)
        for key, value in scope.get("headers", []):
            if key == b"content-length" and value.isdigit() and int(value) > limit:
                await send_json(send, 413, error_body(str(BodyTooLarge(limit).detail), "body_too_large"))
                return
        received, started = 0, False

        async def counted() -> Any:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracked(message: dict[str, Any]) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if received > limit:  # the rest of the body is not read: end the connection
                    message = {**message, "headers": [*message.get("headers", []), (b"connection", b"close")]}
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except BodyTooLarge as exc:  # raised through a reader that did not turn it into a response
            if not started:
                await send_json(send, 413, error_body(str(exc.detail), "body_too_large"))
