"""The web chat (Gradio), mounted at / on the API's app. The only part of the server that imports
gradio. The UI holds no answering logic: it calls `Assistant.answer_stream` and renders the result;
everything taken from articles or users is escaped before it is rendered (assistant.render.web)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
# After every event Gradio's queue rebuilds, with pandas, a summary of its last 10,000 events for a
# monitoring page this app does not serve: 4 ms an event after 100 events, 28 ms after 1,000, in
# the serving process (docs/performance.md, session 7). Keep 100 events and never summarise them.
os.environ.setdefault("GRADIO_ANALYTICS_MAX_EVENTS", "100")
os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", str(2**62))

import gradio as gr
from fastapi import FastAPI

from assistant.feedback import FeedbackStore
from assistant.library import Library
from assistant.pipeline import Assistant
from assistant.render.web import CSS
from assistant.server.middleware import Credentials, request_user
from assistant.server.web.chat import add_ask_endpoint, wire_asking, wire_feedback
from assistant.server.web.documents import wire_documents
from assistant.server.web.figures import CSS as FIGURES_CSS
from assistant.server.web.figures import figures_tab
from assistant.server.web.language import wire_language
from assistant.server.web.layout import add_footer, build_layout
from assistant.settings import Settings


def build_ui(
    assistant: Assistant,
    library: Library,
    feedback: FeedbackStore,
    title: str,
    is_admin: Callable[[str | None], bool] = lambda user: True,
) -> gr.Blocks:
    settings = assistant.settings
    with gr.Blocks(title=title, analytics_enabled=False) as demo:
        ui = build_layout(settings, library, title)
        wire_asking(ui, assistant, library, demo)
        wire_feedback(ui, library, feedback)
        wire_documents(ui, library, is_admin, demo)
        figures_tab(library, ui.lang, ui.code, ui.fixed or "en")
        add_footer(ui)
        add_ask_endpoint(assistant, demo)
        wire_language(ui, library, demo)
    demo.queue(default_concurrency_limit=settings.server.concurrency, max_size=settings.server.queue_size)
    return demo


def mount_ui(
    app: FastAPI, demo: gr.Blocks, settings: Settings, credentials: Credentials, max_bytes: int
) -> FastAPI:
    """`app` with the chat at /; Gradio learns the user from the auth middleware."""
    server = settings.server
    return gr.mount_gradio_app(
        app,
        demo,
        path="/",
        server_name=server.host,
        server_port=server.port,
        auth_dependency=(lambda request: request_user(request.scope)) if credentials.enabled else None,
        allowed_paths=[],
        blocked_paths=[str(Path(settings.data_dir).resolve())],
        max_file_size=max_bytes,
        footer_links=[],  # our own footer speaks the page's language (layout.py)
        run_history=False,
        ssr_mode=False,
        mcp_server=False,
        css=CSS + FIGURES_CSS,
        show_error=True,
        theme=gr.themes.Default(),
    )


__all__ = ["build_ui", "mount_ui"]
