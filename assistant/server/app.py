"""The server: one FastAPI app carrying the HTTP API, the chat (unless API-only) and the middleware.

`create_app(settings)` assembles it; `serve(settings)` runs it with uvicorn; `running(app)` serves
it in a thread for tests and benchmarks. Gradio is imported only when the chat is included.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator

from fastapi import FastAPI

from assistant.feedback import FeedbackStore
from assistant.library import Library
from assistant.pipeline import Assistant, get_assistant
from assistant.pool import answer_processes, start_pool
from assistant.server.api import create_api
from assistant.server.binding import check_binding
from assistant.server.middleware import AuthMiddleware, BodyLimit, Credentials, SameOrigin
from assistant.server.middleware.throttle import LoginThrottle
from assistant.settings import Settings
from assistant.warmup import warm_up

TITLE = "知识产权政策问答 · IP policy assistant"
MULTIPART_SLACK_BYTES = 1024 * 1024  # the body limit allows this much on top of the largest upload
POOL_READY_S = 300.0  # the server listens once its answering processes are ready, or after this long


def create_app(settings: Settings, assistant: Assistant | None = None, *, ui: bool = True) -> FastAPI:
    """The API (and, with `ui`, the chat mounted at /) in one FastAPI app, with authentication,
    origin checks and upload limits."""
    assistant = assistant or get_assistant(settings)
    library = Library(assistant)
    feedback = FeedbackStore.in_data_dir(settings.data_dir)
    app = create_api(assistant, library, feedback)
    server = settings.server
    credentials = Credentials(server.users, server.api_tokens, server.admins, server.admin_tokens)
    max_bytes = int(server.max_upload_mb * 1024 * 1024)
    if ui:
        from assistant.server.web import build_ui, mount_ui

        demo = build_ui(assistant, library, feedback, TITLE, is_admin=credentials.is_admin)
        app = mount_ui(app, demo, settings, credentials, max_bytes)
    app.add_middleware(BodyLimit, max_bytes=max_bytes + MULTIPART_SLACK_BYTES)
    app.add_middleware(SameOrigin, allowed_hosts=server.allowed_hosts, any_host=credentials.enabled)
    throttle = LoginThrottle(server.login_failures, server.login_window_s)
    app.add_middleware(AuthMiddleware, credentials=credentials, title=TITLE, throttle=throttle)
    app.state.assistant = assistant
    app.state.feedback = feedback
    app.state.library = library
    app.state.credentials = credentials
    return app


def serve(settings: Settings, *, api_only: bool = False) -> int:
    """Run the chat and API (or the API alone) with uvicorn until interrupted."""
    import uvicorn

    problem = check_binding(settings)
    if problem:
        print(f"ip-assistant: {problem}", file=sys.stderr)
        return 2
    app = create_app(settings, ui=not api_only)
    started = time.perf_counter()
    processes = answer_processes(settings)
    if processes > 1:
        print(f"starting {processes} answering processes…", file=sys.stderr, flush=True)
    else:
        print("warming up…", file=sys.stderr, flush=True)
        warm_up(app.state.assistant)
    pool = start_pool(app.state.assistant, POOL_READY_S)
    ready = f"{pool.status()['ready']} of {processes} answering processes " if pool else ""
    print(f"{ready}warmed up in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    where = f"http://{settings.server.host}:{settings.server.port}"
    if api_only:
        print(f"API on {where}/api (docs at /docs)", file=sys.stderr)
    else:
        print(f"chat on {where}/ (API docs at /docs)", file=sys.stderr)
    try:
        uvicorn.run(app, host=settings.server.host, port=settings.server.port, log_level="warning")
    finally:
        if pool is not None:
            pool.close()
    return 0


@contextlib.contextmanager
def running(app: FastAPI, host: str = "127.0.0.1", port: int = 0, timeout_s: float = 60.0) -> Iterator[str]:
    """Serve `app` with uvicorn in a background thread; yields its base URL, stops on exit.
    Port 0 takes a free port (tests, benchmarks)."""
    import threading

    import uvicorn

    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout_s
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError(f"the server did not start on {host}:{port}")
        time.sleep(0.05)
    bound = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{host}:{bound}"
    finally:
        server.should_exit = True
        thread.join(timeout=timeout_s)
