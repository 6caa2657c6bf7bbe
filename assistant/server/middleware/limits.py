"""Request size limits, enforced before a body is read."""

from __future__ import annotations

from typing import Any

from assistant.server.errors import error_body, send_json


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
                    await send_json(send, 413, error_body(message, "body_too_large"))
                    return
        await self.app(scope, receive, send)
