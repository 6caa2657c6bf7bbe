"""The page's language: the visitor's browser language on load (unless the server fixes one), and the
switch, which relabels every component and re-renders the sources."""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.library import Library
from assistant.models import Answer
from assistant.render.ui_text import LANGUAGES, TEXT, language_from_header
from assistant.render.web import sources_html
from assistant.server.web.layout import Layout


def _labelled(ui: Layout) -> list[Any]:
    return [
        ui.chat_tab,
        ui.docs_tab,
        ui.chatbot,
        ui.question,
        ui.send,
        ui.comment,
        ui.send_comment,
        ui.clear,
        ui.table,
        ui.files,
        ui.add,
        ui.refresh,
        ui.chosen,
        ui.remove,
        ui.docs_status,
        ui.full_text,
        ui.lang,
        ui.examples.dataset,
    ]


def labels(t: dict[str, str]) -> list[Any]:
    """Updates for the components of `_labelled`, in its order."""
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


def wire_language(ui: Layout, library: Library, demo: gr.Blocks) -> None:
    labelled = _labelled(ui)

    def relabel(choice: str):
        return labels(TEXT[ui.code(choice)])

    def rerender(kept: list[dict[str, Any]], choice: str) -> str:
        last = Answer.model_validate(kept[-1]) if kept else None
        return sources_html(last, library, ui.code(choice))

    ui.lang.input(relabel, [ui.lang], labelled, api_visibility="private", queue=False).then(
        rerender, [ui.answers, ui.lang], [ui.sources], api_visibility="private", queue=False
    )

    def initial(request: gr.Request):
        code_ = ui.fixed or language_from_header(
            request.headers.get("accept-language", "") if request else ""
        )
        choice = next(k for k, v in LANGUAGES.items() if v == code_)
        return [
            *relabel(choice)[:-2],
            gr.update(label=TEXT[code_]["language"], value=choice),
            gr.update(label=TEXT[code_]["examples"]),
        ]

    demo.load(initial, None, labelled, api_visibility="private", queue=False)
