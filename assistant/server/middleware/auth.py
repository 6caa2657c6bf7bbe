"""Optional authentication of the web chat and the HTTP API.

When `server.users` (user -> bcrypt hash) or `server.api_tokens` are set, every route needs one of:
the session cookie of the login form, `Authorization: Bearer <api token>`, or `Authorization: Basic`
with a user's password. The middleware sits in front of the whole app, so Gradio's own routes
(/gradio_api/*, file routes, /config) are covered as well as the API; Gradio learns the user from
it through `auth_dependency`, so its client works with a login (`auth=`) or a token header.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import html
import json
import secrets
import threading
import time
from base64 import b64decode
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs

import anyio
import bcrypt
from starlette.requests import cookie_parser

from assistant.server.middleware.throttle import LoginThrottle, Throttled

ADMIN_TOKEN_USER = "admin-token"  # the user an admin token stands for
MAX_PASSWORD_BYTES = 72  # bcrypt ignores (5.x: refuses) anything longer


def hash_password(password: str, rounds: int = 12) -> str:
    """A bcrypt hash for settings.server.users."""
    data = password.encode("utf-8")
    if not password or len(data) > MAX_PASSWORD_BYTES:
        raise ValueError(f"a password must be 1 to {MAX_PASSWORD_BYTES} bytes long")
    return bcrypt.hashpw(data, bcrypt.gensalt(rounds)).decode("ascii")


class Credentials:
    """Checks users' passwords and API tokens. Successful Basic checks are cached (bcrypt is slow
    on purpose, and a client sends the same header with every request)."""

    def __init__(
        self,
        users: dict[str, str],
        tokens: list[str],
        admins: list[str] | None = None,
        admin_tokens: list[str] | None = None,
    ) -> None:
        self.users = dict(users)
        self.tokens = [t for t in tokens if t]
        self.admins = set(admins or [])
        self.admin_tokens = [t for t in admin_tokens or [] if t]
        self._verified: dict[str, str] = {}
        self._lock = threading.Lock()

    @functools.cached_property
    def _dummy(self) -> bytes:
        return _dummy_hash(self.users)

    @property
    def enabled(self) -> bool:
        return bool(self.users or self.tokens or self.admin_tokens)

    def is_admin(self, user: str | None) -> bool:
        """Whether `user` may change the library. Without authentication there is one user, who may."""
        return not self.enabled or user == ADMIN_TOKEN_USER or (user is not None and user in self.admins)

    def check_password(self, user: str, password: str) -> bool:
        stored = self.users.get(user)
        data = password.encode("utf-8")
        if not password or len(data) > MAX_PASSWORD_BYTES:
            return False
        if not stored:  # as slow as a wrong password: timing does not tell which users exist
            with contextlib.suppress(ValueError):
                bcrypt.checkpw(data, self._dummy)  # computed on first use
            return False
        key = hashlib.sha256(f"{user}\0{password}".encode()).hexdigest()
        with self._lock:
            if self._verified.get(key) == stored:
                return True
        try:
            ok = bcrypt.checkpw(data, stored.encode("ascii"))
        except (ValueError, UnicodeEncodeError):  # not a bcrypt hash: a settings mistake, never a match
            return False
        if ok:
            with self._lock:
                if len(self._verified) > 1024:
                    self._verified.clear()
                self._verified[key] = stored
        return ok

    def check_token(self, token: str, admin: bool = False) -> bool:
        return any(
            hmac.compare_digest(token.encode(), t.encode())
            for t in (self.admin_tokens if admin else self.tokens)
        )

    async def user_from_header(
        self, header: str, address: str = "", throttle: LoginThrottle | None = None
    ) -> str | None:
        """The user an Authorization header names, None when it is not valid. A Basic password
        counts against `throttle` as a login would (raises Throttled)."""
        scheme, _, value = header.partition(" ")
        scheme, value = scheme.lower(), value.strip()
        if scheme == "bearer" and value and self.check_token(value, admin=True):
            return ADMIN_TOKEN_USER
        if scheme == "bearer" and value and self.check_token(value):
            return "api-token"
        if scheme == "basic" and value:
            try:
                user, sep, password = b64decode(value, validate=True).decode("utf-8").partition(":")
            except (ValueError, UnicodeDecodeError):
                return None
            return await self.login(user, password, address, throttle) if sep == ":" else None
        return None

    async def login(
        self, user: str, password: str, address: str, throttle: LoginThrottle | None
    ) -> str | None:
        """`user` when the password is right; raises Throttled while the user or address is
        locked out, and counts a wrong password against both."""
        if throttle is not None:
            throttle.check(address, user)
        ok: bool = await anyio.to_thread.run_sync(self.check_password, user, password)
        if throttle is not None:
            (throttle.succeeded if ok else throttle.failed)(address, user)
        return user if ok else None


def _dummy_hash(users: dict[str, str]) -> bytes:
    """A bcrypt hash of nothing anyone knows, at the cost of the configured users' hashes."""
    costs = [int(h.split("$")[2]) for h in users.values() if h.count("$") >= 3 and h.split("$")[2].isdigit()]
    rounds = min(max(costs, default=12), 16)
    return bcrypt.hashpw(secrets.token_bytes(16), bcrypt.gensalt(max(4, rounds)))


LOGIN_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;display:flex;justify-content:center;margin-top:12vh;color:#222}}
form{{display:flex;flex-direction:column;gap:.6em;width:18em}}input,button{{font-size:1em;padding:.45em}}
#err{{color:#b00020;min-height:1.2em}}</style></head>
<body><form id="login"><h2>{title}</h2>
<label>用户名 / User <input name="username" autocomplete="username" required></label>
<label>密码 / Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">登录 / Sign in</button><div id="err"></div></form>
<script>
document.getElementById("login").addEventListener("submit", async (e) => {{
  e.preventDefault();
  const r = await fetch("login", {{method: "POST", body: new URLSearchParams(new FormData(e.target))}});
  if (r.ok) location.reload();
  else document.getElementById("err").textContent = "用户名或密码不对 / Wrong user or password";
}});
</script></body></html>"""


class Sessions:
    """Login sessions of the chat: random tokens kept in memory (a restart asks users to log in again)."""

    def __init__(self, max_age_s: float = 12 * 3600) -> None:
        self.max_age_s = max_age_s
        self._tokens: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def create(self, user: str) -> str:
        token = secrets.token_urlsafe(32)
        now = time.monotonic()
        with self._lock:
            self._tokens = {k: v for k, v in self._tokens.items() if now - v[1] < self.max_age_s}
            self._tokens[token] = (user, now)
        return token

    def user(self, token: str | None) -> str | None:
        with self._lock:
            found = self._tokens.get(token or "")
        if found is None or time.monotonic() - found[1] >= self.max_age_s:
            return None
        return found[0]

    def end(self, token: str | None) -> None:
        with self._lock:
            self._tokens.pop(token or "", None)


class AuthMiddleware:
    """Refuses every request without valid credentials, except the login form and its POST.

    Serves `GET /` (login form when logged out), `POST /login` (form fields username, password, as
    Gradio's client sends them; sets the session cookie) and `/logout` itself."""

    def __init__(
        self,
        app: Any,
        credentials: Credentials,
        title: str,
        sessions: Sessions | None = None,
        throttle: LoginThrottle | None = None,
    ) -> None:
        self.app = app
        self.credentials = credentials
        self.sessions = sessions or Sessions()
        self.throttle = throttle or LoginThrottle()
        self.login_page = LOGIN_PAGE.format(title=html.escape(title)).encode()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket") or not self.credentials.enabled:
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        path = scope.get("path", "").rstrip("/") or "/"
        method = scope.get("method", "GET")
        token = cookie_parser(headers.get("cookie", "")).get(COOKIE)
        if scope["type"] == "http" and path == "/login" and method == "POST":
            await self.login(scope, receive, send)
            return
        if scope["type"] == "http" and path == "/logout":
            self.sessions.end(token)
            await _respond(send, 303, b"", "text/plain", [(b"location", b"./"), _cookie(scope, "", 0)])
            return
        user = None
        if "authorization" in headers:
            try:
                user = await self.credentials.user_from_header(
                    headers["authorization"], _address(scope), self.throttle
                )
            except Throttled as exc:
                await _throttled(send, exc)
                return
        if user is None:
            user = self.sessions.user(token)
        if user is not None:
            scope.setdefault("state", {}).update(user=user, admin=self.credentials.is_admin(user))
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
        elif path == "/" and method in ("GET", "HEAD"):
            await _respond(send, 200, self.login_page, "text/html; charset=utf-8")
        else:
            await _respond(
                send,
                401,
                _error("authentication required", "unauthorized"),
                "application/json",
                [(b"www-authenticate", b"Bearer")],
            )

    async def login(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        body = b""
        while True:  # a login form is tiny: stop reading at 8 KiB
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body") or len(body) > 8192:
                break
        form = parse_qs(body[:8192].decode("utf-8", "replace"))
        user = (form.get("username") or [""])[0].strip()
        password = (form.get("password") or [""])[0]
        try:
            known = await self.credentials.login(user, password, _address(scope), self.throttle)
        except Throttled as exc:
            await _throttled(send, exc)
            return
        if known is None:
            await _respond(send, 401, _error("wrong user or password", "bad_credentials"), "application/json")
            return
        cookie = _cookie(scope, self.sessions.create(user), int(self.sessions.max_age_s))
        await _respond(send, 200, b'{"success": true}', "application/json", [cookie])


COOKIE = "ipa_session"


def _address(scope: dict[str, Any]) -> str:
    client = scope.get("client")
    return str(client[0]) if client else ""


async def _throttled(send: Any, exc: Throttled) -> None:
    retry = [(b"retry-after", str(max(1, round(exc.wait_s))).encode())]
    await _respond(send, 429, _error(str(exc), "too_many_attempts"), "application/json", retry)


def _cookie(scope: dict[str, Any], value: str, max_age: int) -> tuple[bytes, bytes]:
    secure = "; Secure" if scope.get("scheme") in ("https", "wss") else ""
    return (
        b"set-cookie",
        f"{COOKIE}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}".encode(),
    )


def _error(message: str, code: str) -> bytes:
    return json.dumps({"error": {"message": message, "type": "authentication_error", "code": code}}).encode()


async def _respond(
    send: Any, status: int, body: bytes, content_type: str, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    headers = [
        (b"content-type", content_type.encode()),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),
        *(extra or []),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def request_is_admin(scope: Mapping[str, Any]) -> bool:
    """Whether the request may change the library: its user is an admin, or there is no
    authentication (the middleware then sets no state)."""
    return bool(scope.get("state", {}).get("admin", "user" not in scope.get("state", {})))


def request_user(scope: dict[str, Any]) -> str | None:
    """The user the middleware let in (Gradio's auth_dependency)."""
    return scope.get("state", {}).get("user")
