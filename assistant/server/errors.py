"""Errors as the HTTP API reports them: `{"error": {"message", "type", "code"}}` with a 4xx/5xx status."""

from __future__ import annotations

import json
from typing import Any


class ApiError(Exception):
    def __init__(self, status: int, message: str, code: str, kind: str = "invalid_request_error") -> None:
        super().__init__(message)
        self.status, self.message, self.code, self.kind = status, message, code, kind


def error_body(message: str, code: str, kind: str = "invalid_request_error", **extra: Any) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "code": code, **extra}}


async def send_json(send: Any, status: int, payload: Any) -> None:
    """A JSON response sent from ASGI middleware, before the app is reached."""
    body = json.dumps(payload).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
