"""The web chat (Gradio) and the server that carries it together with the HTTP API.

`create_app(settings)` builds one FastAPI app: the API routes (assistant.api), the Gradio UI
mounted at /, and the middleware (authentication, body size). `serve(settings)` runs it with
uvicorn. The UI holds no answering logic: it calls `Assistant.answer_stream` and renders the result.
Everything taken from articles or users is escaped before it is rendered (HTML and Markdown).
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr
from fastapi import FastAPI

from assistant.api import BodyLimit, SameOrigin, create_api
from assistant.auth import AuthMiddleware, Credentials, request_user
from assistant.engine import Assistant, get_assistant
from assistant.feedback import FeedbackStore
from assistant.library import Library, UploadRejected
from assistant.models import Answer, Turn
from assistant.rendering import CSS, answer_markdown, md_text, sources_html
from assistant.settings import Settings
from assistant.ui_text import EXAMPLES, LANGUAGES, TEXT, language_from_header
from index.ingest import IngestLocked
from index.readers import SUPPORTED_SUFFIXES

TITLE = "知识产权政策问答 · IP policy assistant"
STREAM_INTERVAL_S = 0.08  # fewest seconds between two streamed chat updates


def document_rows(library: Library) -> list[list[Any]]:
    return [
        [d["doc_id"], d["title"], d["source"], d["published"], d["language"], d["chunks"]]
        for d in library.documents()
    ]


def build_ui(assistant: Assistant, library: Library, feedback: FeedbackStore) -> gr.Blocks:
    settings = assistant.settings
    limit = settings.server.concurrency
    fixed = settings.server.language if settings.server.language in TEXT else None
    t0 = TEXT[fixed or "en"]

    with gr.Blocks(title=TITLE, analytics_enabled=False) as demo:
        answers = gr.State([])  # one Answer (as a dict) per assistant message, in order
        rated = gr.State(None)  # id of the feedback row a comment goes to
        with gr.Row():
            gr.Markdown(f"## {md_text(TITLE)}")
            lang = gr.Radio(
                list(LANGUAGES),
                value="English" if (fixed or "en") == "en" else "中文",
                label=t0["language"],
                elem_id="ipa-lang",
                scale=0,
                min_width=200,
            )
        with gr.Tab(t0["chat_tab"], id="chat") as chat_tab, gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(
                    label=t0["chatbot"],
                    elem_id="ipa-chat",
                    height=480,
                    sanitize_html=True,
                    allow_tags=False,
                    render_markdown=True,
                    latex_delimiters=[],
                    feedback_options=("Like", "Dislike"),
                    buttons=["copy"],
                )
                with gr.Row():
                    question = gr.Textbox(
                        label=t0["question"],
                        placeholder=t0["placeholder"],
                        elem_id="ipa-question",
                        scale=5,
                        lines=1,
                        max_lines=4,
                        max_length=settings.answer.max_question_chars,
                    )
                    send = gr.Button(t0["send"], variant="primary", elem_id="ipa-send", scale=1)
                examples = gr.Examples(EXAMPLES, inputs=[question], label=t0["examples"])
                with gr.Row():
                    comment = gr.Textbox(label=t0["comment"], elem_id="ipa-comment", scale=4, lines=1)
                    send_comment = gr.Button(t0["send_comment"], elem_id="ipa-send-comment", scale=1)
                feedback_status = gr.Textbox(
                    show_label=False, interactive=False, elem_id="ipa-feedback", container=False
                )
                clear = gr.Button(t0["clear"], elem_id="ipa-clear", size="sm")
            with gr.Column(scale=2):
                sources = gr.HTML(sources_html(None, library, fixed or "en"), elem_id="ipa-sources")
        with gr.Tab(t0["docs_tab"], id="docs") as docs_tab:
            table = gr.Dataframe(
                value=document_rows(library),
                headers=t0["cols"].split(","),
                interactive=False,
                wrap=True,
                elem_id="ipa-docs",
                datatype="str",
                column_widths=["18%", "38%", "16%", "10%", "9%", "9%"],
            )
            with gr.Row():
                files = gr.File(
                    label=t0["files"],
                    file_count="multiple",
                    type="filepath",
                    file_types=list(SUPPORTED_SUFFIXES),
                    elem_id="ipa-files",
                )
                with gr.Column():
                    add = gr.Button(t0["add"], variant="primary", elem_id="ipa-add")
                    refresh = gr.Button(t0["refresh"], elem_id="ipa-refresh")
            with gr.Row():
                chosen = gr.Dropdown(
                    [r[0] for r in document_rows(library)],
                    label=t0["doc"],
                    value=None,
                    elem_id="ipa-doc",
                    scale=3,
                )
                remove = gr.Button(t0["remove"], variant="stop", elem_id="ipa-remove", scale=1)
            docs_status = gr.Textbox(label=t0["status"], interactive=False, elem_id="ipa-docs-status")
            full_text = gr.Textbox(
                label=t0["text"], interactive=False, lines=12, max_lines=30, elem_id="ipa-doc-text"
            )

        def code(choice: str | None) -> str:
            return LANGUAGES.get(choice or "", fixed or "en")

        # -- chat ------------------------------------------------------------------------------

        def respond(text: str, chat: list[dict[str, Any]], kept: list[dict[str, Any]], choice: str):
            lang_code = code(choice)
            text = text or ""
            history = [
                Turn(question=a["question"], answer=a["answer"], searched=a.get("searched_question") or None)
                for a in kept
                if not a.get("error")
            ]
            chat = [*chat, {"role": "user", "content": md_text(text)}, {"role": "assistant", "content": "…"}]
            yield "", chat, kept, gr.skip()
            shown = ""
            final: Answer | None = None
            last = time.monotonic()
            for piece in assistant.answer_stream(text, history):
                if isinstance(piece, Answer):
                    final = piece
                else:
                    shown += piece
                    # Each update costs a round of Gradio processing: send at most ~12 a second.
                    if time.monotonic() - last >= STREAM_INTERVAL_S:
                        last = time.monotonic()
                        chat[-1] = {"role": "assistant", "content": md_text(shown)}
                        yield gr.skip(), chat, kept, gr.skip()
            assert final is not None
            chat[-1] = {"role": "assistant", "content": answer_markdown(final, lang_code)}
            kept = [*kept, final.model_dump()]
            yield gr.skip(), chat, kept, sources_html(final, library, lang_code)

        chat_args = {
            "fn": respond,
            "inputs": [question, chatbot, answers, lang],
            "outputs": [question, chatbot, answers, sources],
            "concurrency_limit": limit,
            "concurrency_id": "answer",
        }
        send.click(api_name="chat", **chat_args)  # type: ignore[arg-type]
        question.submit(api_visibility="private", **chat_args)  # type: ignore[arg-type]

        def show_sources(kept: list[dict[str, Any]], choice: str, evt: gr.SelectData):
            position = _answer_position(evt.index)
            if position is None or position >= len(kept):
                return gr.skip()
            return sources_html(Answer.model_validate(kept[position]), library, code(choice))

        chatbot.select(show_sources, [answers, lang], [sources], api_visibility="private")

        def rate(kept: list[dict[str, Any]], note: str, choice: str, request: gr.Request, evt: gr.LikeData):
            t = TEXT[code(choice)]
            position = _answer_position(evt.index)
            if position is None or position >= len(kept) or evt.liked not in (True, False):
                return gr.skip(), gr.skip()  # a like removed again, or not an answer
            user = getattr(request, "username", None) or ""  # set by auth_dependency when auth is on
            row = feedback.add(1 if evt.liked else -1, kept[position], note or "", str(user))
            return row, t["thanks"]

        chatbot.like(rate, [answers, comment, lang], [rated, feedback_status], api_visibility="private")

        def save_comment(row: int | None, note: str, choice: str):
            t = TEXT[code(choice)]
            if row is None:
                return t["rate_first"], gr.skip()
            feedback.set_comment(row, note or "")
            return t["comment_saved"], ""

        send_comment.click(
            save_comment, [rated, comment, lang], [feedback_status, comment], api_visibility="private"
        )

        def restart(choice: str):
            return [], [], None, sources_html(None, library, code(choice)), ""

        clear.click(
            restart, [lang], [chatbot, answers, rated, sources, feedback_status], api_visibility="private"
        )

        # -- documents -------------------------------------------------------------------------

        def listing():
            rows = document_rows(library)
            return rows, gr.update(choices=[r[0] for r in rows], value=None)

        def add_files(paths: list[str] | None, choice: str, progress: gr.Progress = gr.Progress()):  # noqa: B008
            t = TEXT[code(choice)]
            if not paths:
                return (t["nothing"], *listing(), None)
            lines = []
            for i, path in enumerate(paths):
                name = Path(path).name
                progress((i, len(paths)), desc=name)
                try:
                    report = library.add(name, Path(path))
                    lines.append(f"{name}: {t['indexed']} ({report.chunks} chunks, {report.seconds:.1f} s)")
                except (UploadRejected, IngestLocked) as exc:
                    lines.append(f"{name}: {exc}")
            progress((len(paths), len(paths)))
            return ("\n".join(lines), *listing(), None)

        add.click(
            add_files,
            [files, lang],
            [docs_status, table, chosen, files],
            concurrency_limit=1,
            concurrency_id="ingest",
            api_visibility="private",
        )

        def remove_doc(doc_id: str | None, choice: str):
            t = TEXT[code(choice)]
            if not doc_id:
                return (t["no_doc"], *listing(), "")
            try:
                removed = library.remove([doc_id])
            except IngestLocked as exc:
                return (str(exc), *listing(), "")
            return (f"{doc_id}: {t['removed'] if removed else '?'}", *listing(), "")

        remove.click(
            remove_doc,
            [chosen, lang],
            [docs_status, table, chosen, full_text],
            concurrency_limit=1,
            concurrency_id="ingest",
            api_visibility="private",
        )
        refresh.click(listing, None, [table, chosen], api_visibility="private")
        docs_tab.select(listing, None, [table, chosen], api_visibility="private")

        def show_text(doc_id: str | None) -> str:
            found = library.document(doc_id) if doc_id else None
            return found[0] if found else ""

        chosen.change(show_text, [chosen], [full_text], api_visibility="private")

        # -- API-only endpoint (gradio_client): one question, the Answer as JSON -----------------

        def ask(question: str, history: list[dict[str, Any]] | None = None) -> dict[str, Any]:
            """Answer a question; history is a list of {question, answer, searched} turns."""
            turns = [Turn.model_validate(h) for h in history or []]
            return assistant.answer(question, turns).model_dump()

        gr.api(ask, api_name="ask", concurrency_limit=limit, concurrency_id="answer")

        # -- language --------------------------------------------------------------------------

        labelled = [
            chat_tab,
            docs_tab,
            chatbot,
            question,
            send,
            comment,
            send_comment,
            clear,
            table,
            files,
            add,
            refresh,
            chosen,
            remove,
            docs_status,
            full_text,
            lang,
            examples.dataset,
        ]

        def relabel(choice: str):
            t = TEXT[code(choice)]
            return [
                gr.update(label=t["chat_tab"]),
                gr.update(label=t["docs_tab"]),
                gr.update(label=t["chatbot"]),
                gr.update(label=t["question"], placeholder=t["placeholder"]),
                gr.update(value=t["send"]),
                gr.update(label=t["comment"]),
                gr.update(value=t["send_comment"]),
                gr.update(value=t["clear"]),
                gr.update(headers=t["cols"].split(",")),
                gr.update(label=t["files"]),
                gr.update(value=t["add"]),
                gr.update(value=t["refresh"]),
                gr.update(label=t["doc"]),
                gr.update(value=t["remove"]),
                gr.update(label=t["status"]),
                gr.update(label=t["text"]),
                gr.update(label=t["language"]),
                gr.update(label=t["examples"]),
            ]

        def rerender(kept: list[dict[str, Any]], choice: str) -> str:
            last = Answer.model_validate(kept[-1]) if kept else None
            return sources_html(last, library, code(choice))

        lang.input(relabel, [lang], labelled, api_visibility="private", queue=False).then(
            rerender, [answers, lang], [sources], api_visibility="private", queue=False
        )

        def initial(request: gr.Request):
            code_ = fixed or language_from_header(
                request.headers.get("accept-language", "") if request else ""
            )
            choice = next(k for k, v in LANGUAGES.items() if v == code_)
            return [
                *relabel(choice)[:-2],
                gr.update(label=TEXT[code_]["language"], value=choice),
                gr.update(label=TEXT[code_]["examples"]),
            ]

        demo.load(initial, None, labelled, api_visibility="private", queue=False)
    demo.queue(default_concurrency_limit=limit, max_size=settings.server.queue_size)
    return demo


def _answer_position(index: Any) -> int | None:
    """Which answer a chatbot message index points at (user and assistant messages alternate)."""
    if isinstance(index, (list, tuple)):
        index = index[0]
    if not isinstance(index, int) or index % 2 != 1:
        return None
    return index // 2


# ---------------------------------------------------------------------------------- server


def create_app(settings: Settings, assistant: Assistant | None = None) -> FastAPI:
    """The API and the chat in one FastAPI app, with authentication and upload limits."""
    assistant = assistant or get_assistant(settings)
    library = Library(assistant)
    feedback = FeedbackStore.in_data_dir(settings.data_dir)
    app = create_api(assistant, library, feedback)
    server = settings.server
    credentials = Credentials(server.users, server.api_tokens)
    demo = build_ui(assistant, library, feedback)
    max_bytes = int(server.max_upload_mb * 1024 * 1024)
    data_dir = str(Path(settings.data_dir).resolve())
    app = gr.mount_gradio_app(
        app,
        demo,
        path="/",
        server_name=server.host,
        server_port=server.port,
        auth_dependency=(lambda request: request_user(request.scope)) if credentials.enabled else None,
        allowed_paths=[],
        blocked_paths=[data_dir],
        max_file_size=max_bytes,
        footer_links=["api", "settings"],
        run_history=False,
        ssr_mode=False,
        mcp_server=False,
        css=CSS,
        show_error=True,
        theme=gr.themes.Default(),
    )
    app.add_middleware(BodyLimit, max_bytes=max_bytes + 1024 * 1024)  # multipart overhead on top
    app.add_middleware(SameOrigin)
    app.add_middleware(AuthMiddleware, credentials=credentials, title=TITLE)
    app.state.assistant = assistant
    app.state.feedback = feedback
    app.state.library = library
    return app


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_binding(settings: Settings) -> str | None:
    """Why the configured host may not be bound (None when it may): without authentication only
    loopback, unless server.allow_remote is set."""
    server = settings.server
    if server.users or server.api_tokens or is_loopback(server.host):
        return None
    if server.allow_remote:
        print(
            f"warning: serving on {server.host} without authentication (server.allow_remote is set); "
            "anyone who can reach this port can use the assistant",
            file=sys.stderr,
        )
        return None
    return (
        f"refusing to listen on {server.host} without authentication: add users "
        "(ip-assistant hash-password) or api_tokens, or set IP_ASSISTANT_SERVER_ALLOW_REMOTE=true"
    )


def serve(settings: Settings) -> int:
    """Run the chat and API with uvicorn until interrupted."""
    import uvicorn

    problem = check_binding(settings)
    if problem:
        print(f"ip-assistant: {problem}", file=sys.stderr)
        return 2
    app = create_app(settings)
    print(
        f"chat on http://{settings.server.host}:{settings.server.port}/ (API docs at /docs)", file=sys.stderr
    )
    uvicorn.run(app, host=settings.server.host, port=settings.server.port, log_level="warning")
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
