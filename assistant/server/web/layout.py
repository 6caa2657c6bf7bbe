"""The chat page's components: a header with the language switch, the chat tab and the documents tab.
Labels start in the fixed or English language; `language.py` relabels them for each visitor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr

from assistant.library import Library
from assistant.render.ui_text import EXAMPLES, LANGUAGES, TEXT
from assistant.render.web import SOURCES_JS, md_text, sources_html
from assistant.settings import Settings
from index.readers import SUPPORTED_SUFFIXES

CHAT_HEIGHT_PX = 480
DOC_COLUMN_WIDTHS: list[str | int] = ["18%", "38%", "16%", "10%", "9%", "9%"]


def document_rows(library: Library) -> list[list[Any]]:
    return [
        [d["doc_id"], d["title"], d["source"], d["published"], d["language"], d["chunks"]]
        for d in library.documents()
    ]


@dataclass
class Layout:
    """Every component the event handlers read or update, and the language the server fixes (if any)."""

    fixed: str | None
    login_form: bool = False  # users sign in with the login form (a logout button makes sense)
    answers: Any = None  # gr.State: one Answer (as a dict) per assistant message, in order
    rated: Any = None  # gr.State: id of the feedback row a comment goes to
    asked: Any = None  # gr.State: the question handed to the streaming event (its change runs it)
    lang: Any = None
    chat_tab: Any = None
    chatbot: Any = None
    question: Any = None
    send: Any = None
    examples: Any = None
    comment_row: Any = None
    comment: Any = None
    send_comment: Any = None
    feedback_status: Any = None
    clear: Any = None
    sources: Any = None
    docs_tab: Any = None
    table: Any = None
    files: Any = None
    add: Any = None
    refresh: Any = None
    chosen: Any = None
    remove: Any = None
    docs_status: Any = None
    full_text: Any = None
    logout: Any = None
    footer: Any = None

    def code(self, choice: str | None) -> str:
        """The language code of a choice in the language switch."""
        return LANGUAGES.get(choice or "", self.fixed or "en")


def _header(ui: Layout, title: str, t0: dict[str, str]) -> None:
    with gr.Row(elem_id="ipa-header"):
        gr.Markdown(f"## {md_text(title)}", elem_id="ipa-title")
        ui.lang = gr.Radio(
            list(LANGUAGES),
            value=next(k for k, v in LANGUAGES.items() if v == (ui.fixed or "en")),
            label=t0["language"],
            elem_id="ipa-lang",
            scale=0,
            min_width=340,
        )
        # Shown once the page knows the visitor signed in with the login form (language.py).
        ui.logout = gr.Button(
            t0["logout"],
            link="logout",
            visible=False,
            elem_id="ipa-logout",
            size="sm",
            scale=0,
            min_width=100,
        )


def _chat_tab(ui: Layout, settings: Settings, library: Library, t0: dict[str, str]) -> None:
    # The sources sit beside the chat and its question box, and right after them on a narrow screen;
    # examples and feedback come below both.
    with gr.Tab(t0["chat_tab"], id="chat") as ui.chat_tab:
        with gr.Row(elem_id="ipa-chat-row"):
            with gr.Column(scale=3):
                ui.chatbot = gr.Chatbot(
                    label=t0["chatbot"],
                    elem_id="ipa-chat",
                    height=CHAT_HEIGHT_PX,
                    sanitize_html=True,
                    allow_tags=False,
                    render_markdown=True,
                    latex_delimiters=[],
                    feedback_options=("Like", "Dislike"),
                    buttons=["copy"],
                )
                with gr.Row():
                    ui.question = gr.Textbox(
                        label=t0["question"],
                        placeholder=t0["placeholder"],
                        elem_id="ipa-question",
                        scale=5,
                        lines=1,
                        max_lines=4,
                        max_length=settings.answer.max_question_chars,
                    )
                    ui.send = gr.Button(t0["send"], variant="primary", elem_id="ipa-send", scale=1)
            with gr.Column(scale=2):
                ui.sources = gr.HTML(
                    sources_html(None, library, ui.fixed or "en"),
                    elem_id="ipa-sources",
                    js_on_load=SOURCES_JS,
                )
        ui.examples = gr.Examples(EXAMPLES, inputs=[ui.question], label=t0["examples"])
        # Feedback is about an answer: hidden until there is one (the status until it has news).
        with gr.Row(visible=False) as ui.comment_row:
            ui.comment = gr.Textbox(label=t0["comment"], elem_id="ipa-comment", scale=4, lines=1)
            ui.send_comment = gr.Button(t0["send_comment"], elem_id="ipa-send-comment", scale=1)
        ui.feedback_status = gr.Textbox(
            show_label=False, interactive=False, elem_id="ipa-feedback", container=False, visible=False
        )
        ui.clear = gr.Button(t0["clear"], elem_id="ipa-clear", size="sm")


def _docs_tab(ui: Layout, library: Library, t0: dict[str, str]) -> None:
    with gr.Tab(t0["docs_tab"], id="docs") as ui.docs_tab:
        ui.table = gr.Dataframe(
            value=document_rows(library),
            headers=t0["cols"].split(","),
            interactive=False,
            wrap=True,
            elem_id="ipa-docs",
            datatype="str",
            column_widths=DOC_COLUMN_WIDTHS,
        )
        with gr.Row():
            ui.files = gr.File(
                label=t0["files"],
                file_count="multiple",
                type="filepath",
                file_types=list(SUPPORTED_SUFFIXES),
                elem_id="ipa-files",
            )
            with gr.Column():
                ui.add = gr.Button(t0["add"], variant="primary", elem_id="ipa-add")
                ui.refresh = gr.Button(t0["refresh"], elem_id="ipa-refresh")
        with gr.Row():
            ui.chosen = gr.Dropdown(
                [r[0] for r in document_rows(library)],
                label=t0["doc"],
                value=None,
                elem_id="ipa-doc",
                scale=3,
            )
            ui.remove = gr.Button(t0["remove"], variant="stop", elem_id="ipa-remove", scale=1)
        ui.docs_status = gr.Textbox(label=t0["status"], interactive=False, elem_id="ipa-docs-status")
        ui.full_text = gr.Textbox(
            label=t0["text"], interactive=False, lines=12, max_lines=30, elem_id="ipa-doc-text"
        )


def build_layout(settings: Settings, library: Library, title: str) -> Layout:
    """The components, created inside the caller's `gr.Blocks`."""
    fixed = settings.server.language if settings.server.language in TEXT else None
    t0 = TEXT[fixed or "en"]
    ui = Layout(
        fixed=fixed,
        login_form=bool(settings.server.users),
        answers=gr.State([]),
        rated=gr.State(None),
        asked=gr.State(None),
    )
    _header(ui, title, t0)
    _chat_tab(ui, settings, library, t0)
    _docs_tab(ui, library, t0)
    return ui


def add_footer(ui: Layout) -> None:
    """The page's footer, below every tab (Gradio's own footer would not follow the page's language)."""
    ui.footer = gr.Markdown(TEXT[ui.fixed or "en"]["footer"], elem_id="ipa-footer")
