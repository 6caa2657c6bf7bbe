"""ASGI middleware in front of the whole server (API and chat): authentication, body size, origin."""

from assistant.server.middleware.auth import AuthMiddleware, Credentials, hash_password, request_user
from assistant.server.middleware.limits import BodyLimit
from assistant.server.middleware.origin import SameOrigin

__all__ = ["AuthMiddleware", "BodyLimit", "Credentials", "SameOrigin", "hash_password", "request_user"]
