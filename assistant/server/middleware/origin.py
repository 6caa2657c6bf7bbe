"""Requests from other sites: cross-origin posts, rebound host names (DNS rebinding) and framing."""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

from assistant.server.errors import error_body, send_json

# Sent with every response: no other site may show the chat in a frame (clickjacking).
FRAME_HEADERS = [
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
]


def host_name(host: str) -> str:
    """The name or address of a Host header, without port or brackets, lower case."""
    return (urlsplit(f"//{host}").hostname or "").lower()


def is_address_or_localhost(name: str) -> bool:
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class SameOrigin:
    """Refuses what another site's page could make a browser send (403, JSON):

    - a state-changing request (not GET/HEAD/OPTIONS) whose Origin is another site, or `null`
      (sandboxed frames, data: and file: pages send it);
    - any request for a Host name that is not ours: the names in `allowed_hosts` when set; else,
      without authentication, addresses and localhost only. A page on evil.example whose name is
      rebound to 127.0.0.1 is same-origin with itself, so Origin does not catch it; its Host does.
      With authentication and no list every name is accepted (the session cookie is not sent to
      another name, and a proxy may use any).

    Every response says that it may not be framed by another site."""

    SAFE = ("GET", "HEAD", "OPTIONS")

    def __init__(self, app: Any, allowed_hosts: list[str] | None = None, any_host: bool = False) -> None:
        self.app = app
        self.allowed = {host_name(h) or h.lower() for h in allowed_hosts or []}
        self.any_host = any_host and not self.allowed

    def changes_state(self, scope: dict[str, Any]) -> bool:
        return scope["type"] == "websocket" or scope.get("method", "GET") not in self.SAFE

    def host_allowed(self, host: str) -> bool:
        if self.any_host:
            return True
        name = host_name(host)
        return name in self.allowed if self.allowed else is_address_or_localhost(name)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        host = headers.get(b"host", b"").decode("latin-1")
        origin = headers.get(b"origin", b"").decode("latin-1")
        problem = None
        if not self.host_allowed(host):
            problem = (f"requests for the host {host!r} are not served here", "host_not_allowed")
        elif self.changes_state(scope) and origin and (origin == "null" or urlsplit(origin).netloc != host):
            problem = (f"cross-origin request from {origin} refused", "cross_origin")
        if problem is not None:
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
            else:
                await send_json(send, 403, error_body(*problem, "permission_error"))
            return

        async def framed(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *FRAME_HEADERS]}
            await send(message)

        await self.app(scope, receive, framed if scope["type"] == "http" else send)
