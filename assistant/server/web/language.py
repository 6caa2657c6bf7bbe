"""The page's language: the visitor's browser language on load (unless the server fixes one), and the
switch, which relabels every component and re-renders the sources."""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.library import Library
from assistant.models import Answer
from assistant.render.ui_text import LANGUAGES, TEXT, language_from_header
from assistant.render.web import answer_markdown, md_text, sources_html
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


def chat_messages(kept: list[dict[str, Any]], lang: str) -> list[dict[str, str]]:
    """The conversation as the chat shows it, in the page's language `lang`."""
    messages = []
    for kept_answer in kept:
        ans = Answer.model_validate(kept_answer)
        messages.append({"role": "user", "content": md_text(ans.question)})
        messages.append({"role": "assistant", "content": answer_markdown(ans, lang)})
    return messages


def wire_language(ui: Layout, library: Library, demo: gr.Blocks) -> None:
    labelled = _labelled(ui)

    def relabel(choice: str):
        t = TEXT[ui.code(choice)]
        return [*labels(t), gr.update(value=t["logout"]), gr.update(value=t["footer"])]

    def rerender(kept: list[dict[str, Any]], choice: str):
        last = Answer.model_validate(kept[-1]) if kept else None
        lang = ui.code(choice)
        return sources_html(last, library, lang), chat_messages(kept, lang) if kept else gr.skip()

    ui.lang.input(
        relabel, [ui.lang], [*labelled, ui.logout, ui.footer], api_visibility="private", queue=False
    ).then(rerender, [ui.answers, ui.lang], [ui.sources, ui.chatbot], api_visibility="private", queue=False)

    def initial(request: gr.Request):
        code_ = ui.fixed or language_from_header(
            request.headers.get("accept-language", "") if request else ""
        )
        choice = next(k for k, v in LANGUAGES.items() if v == code_)
        t = TEXT[code_]
        signed_in = bool(getattr(request, "username", None)) and ui.login_form
        return [
            *labels(t)[:-2],
            gr.update(label=t["language"], value=choice),
            gr.update(label=t["examples"]),
            gr.update(value=t["logout"], visible=signed_in),
            gr.update(value=t["footer"]),
            sources_html(None, library, code_),
        ]

    demo.load(
        initial,
        None,
        [*labelled, ui.logout, ui.footer, ui.sources],
        api_visibility="private",
        queue=False,
    )
