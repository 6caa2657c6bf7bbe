"""The server: HTTP API (server.api), web chat (server.web, the only part that imports gradio) and
the middleware in front of both (server.middleware)."""

from assistant.server.app import TITLE, create_app, running, serve
from assistant.server.binding import check_binding

__all__ = ["TITLE", "check_binding", "create_app", "running", "serve"]
