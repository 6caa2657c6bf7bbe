"""The chat tab's events: asking (streamed), showing an answer's sources, rating and commenting,
clearing; and the `ask` endpoint for gradio_client."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from typing import Any

import gradio as gr

from assistant.feedback import FeedbackStore
from assistant.library import Library
from assistant.models import Answer, Turn
from assistant.pipeline import Assistant
from assistant.render.ui_text import ANSWER_LANGUAGE, TEXT
from assistant.render.web import answer_markdown, md_text, sources_html
from assistant.server.web.cancel import AskerGone
from assistant.server.web.layout import Layout
from assistant.validation import QuestionRejected, valid_question

STREAM_INTERVAL_S = 0.05  # fewest seconds between two streamed chat updates
# A ready (extractive) answer is streamed piece by piece only while at most this many chat answers
# are in progress in the server; beyond, it is sent whole. Each piece is a round of Gradio work in
# the serving process (about 13 rounds an answer): 30 chats at once answered 7.9 a second streamed
# (docs/performance.md, session 7).
STREAMED_AT_ONCE = 2


class InProgress:
    """How many chat answers the server is working on or streaming out."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        with self._lock:
            self.count += 1
        try:
            yield
        finally:
            with self._lock:
                self.count -= 1


def answer_position(index: Any) -> int | None:
    """Which answer a chatbot message index points at (user and assistant messages alternate)."""
    if isinstance(index, (list, tuple)):
        index = index[0]
    if not isinstance(index, int) or index % 2 != 1:
        return None
    return index // 2


def _history(kept: list[dict[str, Any]]) -> list[Turn]:
    return [
        Turn(question=a["question"], answer=a["answer"], searched=a.get("searched_question") or None)
        for a in kept
        if not a.get("error")
    ]


def wire_asking(ui: Layout, assistant: Assistant, library: Library, demo: gr.Blocks) -> None:
    limit = assistant.settings.server.concurrency
    chats = InProgress()

    def busy() -> bool:
        """Whether others wait: a ready answer shown piece by piece is for show, not then."""
        return assistant.gate.waiting > 0 or chats.count > STREAMED_AT_ONCE

    def stream(
        text: str,
        history: list[Turn],
        chat: list[dict[str, Any]],
        kept: list[Any],
        gone: AskerGone,
        whole: bool,
    ):
        """Show the answer as it comes, unless `whole`; the final Answer (None if the asker went)."""
        shown = ""
        last = time.monotonic()
        for piece in assistant.answer_stream(text, history, stop=gone):
            if isinstance(piece, Answer):
                return piece
            if gone.is_set():
                return None
            if whole or (assistant.llm is None and busy()):
                continue
            shown += piece
            # Each update costs a round of Gradio processing: at most one per STREAM_INTERVAL_S. An
            # answer that is ready at once (extractive) is shown at that pace too, so that it is
            # seen coming in rather than appearing after a pause.
            time.sleep(max(0.0, STREAM_INTERVAL_S - (time.monotonic() - last)))
            last = time.monotonic()
            chat[-1] = {"role": "assistant", "content": md_text(shown)}
            yield gr.skip(), chat, kept, gr.skip(), gr.skip()
        raise AssertionError("answer_stream ended without an Answer")

    def respond(
        text: str, chat: list[dict[str, Any]], kept: list[dict[str, Any]], choice: str, request: gr.Request
    ):
        lang_code = ui.code(choice)
        gone = AskerGone(demo, request)
        text = text or ""
        history = _history(kept)
        chat = [*chat, {"role": "user", "content": md_text(text)}, {"role": "assistant", "content": "…"}]
        with chats.held():
            # While busy a ready answer is two rounds of Gradio work, not three: no placeholder
            # round first (the question shows with its answer), the answer whole, the generator's end.
            whole = assistant.llm is None and busy()
            cleared = "" if whole else gr.skip()  # the question box: emptied once, by the first update
            if not whole:
                yield "", chat, kept, gr.skip(), gr.skip()
            try:  # a question without words is told off in the page's language, not the assistant's default
                valid_question(text, assistant.settings.answer.max_question_chars, ANSWER_LANGUAGE[lang_code])
            except QuestionRejected as exc:
                refused = exc.answer()  # kept like any answer: the chat's messages and answers stay paired
                chat[-1] = {"role": "assistant", "content": answer_markdown(refused, lang_code)}
                yield cleared, chat, [*kept, refused.model_dump()], gr.skip(), gr.skip()
                return
            final = yield from stream(text, history, chat, kept, gone, whole)
        if final is None:  # nobody is reading the pieces any more
            return
        chat[-1] = {"role": "assistant", "content": answer_markdown(final, lang_code)}
        kept = [*kept, final.model_dump()]
        yield cleared, chat, kept, sources_html(final, library, lang_code), gr.update(visible=True)

    chat_args = {
        "fn": respond,
        "inputs": [ui.question, ui.chatbot, ui.answers, ui.lang],
        "outputs": [ui.question, ui.chatbot, ui.answers, ui.sources, ui.comment_row],
        "concurrency_limit": limit,
        "concurrency_id": "answer",
    }
    ui.send.click(api_name="chat", **chat_args)  # type: ignore[arg-type]
    ui.question.submit(api_visibility="private", **chat_args)  # type: ignore[arg-type]
    wire_source_choice(ui, library)


def wire_source_choice(ui: Layout, library: Library) -> None:
    """A click on an earlier answer in the chat shows that answer's sources."""

    def show_sources(kept: list[dict[str, Any]], choice: str, evt: gr.SelectData):
        position = answer_position(evt.index)
        if position is None or position >= len(kept):
            return gr.skip()
        return sources_html(Answer.model_validate(kept[position]), library, ui.code(choice))

    ui.chatbot.select(show_sources, [ui.answers, ui.lang], [ui.sources], api_visibility="private")


def wire_feedback(ui: Layout, library: Library, feedback: FeedbackStore) -> None:
    def rate(kept: list[dict[str, Any]], note: str, choice: str, request: gr.Request, evt: gr.LikeData):
        t = TEXT[ui.code(choice)]
        position = answer_position(evt.index)
        if position is None or position >= len(kept) or evt.liked not in (True, False):
            return gr.skip(), gr.skip()  # a like removed again, or not an answer
        user = getattr(request, "username", None) or ""  # set by auth_dependency when auth is on
        row = feedback.add(1 if evt.liked else -1, kept[position], note or "", str(user))
        return row, gr.update(value=t["thanks"], visible=True)

    ui.chatbot.like(
        rate, [ui.answers, ui.comment, ui.lang], [ui.rated, ui.feedback_status], api_visibility="private"
    )

    def save_comment(row: int | None, note: str, choice: str):
        t = TEXT[ui.code(choice)]
        if row is None:
            return gr.update(value=t["rate_first"], visible=True), gr.skip()
        feedback.set_comment(row, note or "")
        return gr.update(value=t["comment_saved"], visible=True), ""

    ui.send_comment.click(
        save_comment,
        [ui.rated, ui.comment, ui.lang],
        [ui.feedback_status, ui.comment],
        api_visibility="private",
    )

    def restart(choice: str):
        hidden = gr.update(value="", visible=False)
        return [], [], None, sources_html(None, library, ui.code(choice)), hidden, gr.update(visible=False)

    ui.clear.click(
        restart,
        [ui.lang],
        [ui.chatbot, ui.answers, ui.rated, ui.sources, ui.feedback_status, ui.comment_row],
        api_visibility="private",
    )


def add_ask_endpoint(assistant: Assistant, demo: gr.Blocks) -> None:
    """API-only endpoint (gradio_client): one question, the Answer as JSON."""

    def ask(
        question: str, history: list[dict[str, Any]] | None = None, request: gr.Request | None = None
    ) -> dict[str, Any]:
        """Answer a question; history is a list of {question, answer, searched} turns."""
        turns = [Turn.model_validate(h) for h in history or []]
        return assistant.answer(question, turns, stop=AskerGone(demo, request)).model_dump()

    limit = assistant.settings.server.concurrency
    gr.api(ask, api_name="ask", concurrency_limit=limit, concurrency_id="answer")
