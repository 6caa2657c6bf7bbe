"""Cross-site request refusal for state-changing requests."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from assistant.server.errors import error_body, send_json


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
                await send_json(send, 403, error_body(message, "cross_origin", "permission_error"))
                return
        await self.app(scope, receive, send)
