"""The chat tab's events: asking (streamed when the server is calm), showing an answer's sources, rating and commenting,
clearing; and the `ask` endpoint for gradio_client."""

from __future__ import annotations

import contextlib
import itertools
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
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
# ... nor while more than STREAMED_AT_ONCE questions were asked within the last RECENT_S: under load
# most of a chat question's time is spent in Gradio's queue and event stream, outside the functions
# that `InProgress` counts, so 30 clients at once often found only their own answer in progress and
# two thirds of their answers took the streamed path, a join and two rounds more than a whole one.
RECENT_S = 1.0


class InProgress:
    """How many chat answers the server is working on or streaming out, and how many questions
    were asked lately."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.count = 0
        self.clock = clock
        self._asked: deque[float] = deque()
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

    def asked(self) -> int:
        """Count a question asked now; how many were asked within the last RECENT_S, this one too."""
        now = self.clock()
        with self._lock:
            self._asked.append(now)
            while self._asked[0] < now - RECENT_S:
                self._asked.popleft()
            return len(self._asked)


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


class Asking:
    """Asking is two events. `start` (a plain function: one round of Gradio work) answers whole while
    busy, or for an API caller; else it shows the question with a placeholder and hands it to
    `follow` through `ui.asked`, whose change runs `follow`, which streams the answer in. Gradio
    fixes per event whether its function is a generator, and a generator costs a round per value
    plus one for its end: a busy answer was two rounds (docs/performance.md, session 8)."""

    def __init__(self, ui: Layout, assistant: Assistant, library: Library, demo: gr.Blocks) -> None:
        self.ui, self.assistant, self.library, self.demo = ui, assistant, library, demo
        self.chats = InProgress()
        self.handed = itertools.count()  # each hand-over differs from the last: `ui.asked` changes

    def busy(self, asked_lately: int = 0) -> bool:
        """Whether others wait: a ready answer shown piece by piece is for show, not then."""
        return (
            self.assistant.gate.waiting > 0
            or self.chats.count > STREAMED_AT_ONCE
            or asked_lately > STREAMED_AT_ONCE
        )

    def start(
        self,
        text: str,
        chat: list[dict[str, Any]],
        kept: list[dict[str, Any]],
        choice: str,
        request: gr.Request,
        evt: gr.EventData,
    ):
        lang_code = self.ui.code(choice)
        text = text or ""
        chat = [*chat, {"role": "user", "content": md_text(text)}, {"role": "assistant", "content": "…"}]
        limit = self.assistant.settings.answer.max_question_chars
        try:  # a question without words is told off in the page's language, not the assistant's default
            valid_question(text, limit, ANSWER_LANGUAGE[lang_code])
        except QuestionRejected as exc:
            refused = exc.answer()  # kept like any answer: the chat's messages and answers stay paired
            chat[-1] = {"role": "assistant", "content": answer_markdown(refused, lang_code)}
            return "", chat, [*kept, refused.model_dump()], gr.skip(), gr.skip(), gr.skip()
        lately = self.chats.asked()
        with self.chats.held():
            # The page names what triggered the event (the button, the question box) and runs
            # `follow` when `ui.asked` changes; an API call names nothing and gets the answer whole.
            if getattr(evt, "target", None) is not None and not (
                self.assistant.llm is None and self.busy(lately)
            ):
                return "", chat, gr.skip(), gr.skip(), gr.skip(), {"question": text, "n": next(self.handed)}
            final = self.assistant.answer(text, _history(kept), stop=AskerGone(self.demo, request))
        return "", *self.shown(final, chat, kept, lang_code), gr.skip()

    def follow(
        self,
        asked: dict[str, Any] | None,
        chat: list[dict[str, Any]],
        kept: list[dict[str, Any]],
        choice: str,
        request: gr.Request,
    ):
        """The streaming event: the answer to the question `start` handed over, shown as it comes."""
        if not asked or not chat:
            return
        lang_code = self.ui.code(choice)
        with self.chats.held():
            final = yield from self.stream(
                asked["question"], _history(kept), chat, AskerGone(self.demo, request)
            )
        if final is None:  # nobody is reading the pieces any more
            return
        yield self.shown(final, chat, kept, lang_code)

    def shown(self, final: Answer, chat: list[dict[str, Any]], kept: list[dict[str, Any]], lang_code: str):
        """What a final answer updates: the chat's last message, the kept answers, the sources panel
        and the comment row (shown)."""
        chat[-1] = {"role": "assistant", "content": answer_markdown(final, lang_code)}
        return (
            chat,
            [*kept, final.model_dump()],
            sources_html(final, self.library, lang_code),
            gr.update(visible=True),
        )

    def stream(self, text: str, history: list[Turn], chat: list[dict[str, Any]], gone: AskerGone):
        """Show the answer as it comes; the final Answer (None if the asker went)."""
        shown = ""
        last = time.monotonic()
        for piece in self.assistant.answer_stream(text, history, stop=gone):
            if isinstance(piece, Answer):
                return piece
            if gone.is_set():
                return None
            if self.assistant.llm is None and self.busy():
                continue
            shown += piece
            # Each update costs a round of Gradio processing: at most one per STREAM_INTERVAL_S. An
            # answer that is ready at once (extractive) is shown at that pace too, so that it is
            # seen coming in rather than appearing after a pause.
            time.sleep(max(0.0, STREAM_INTERVAL_S - (time.monotonic() - last)))
            last = time.monotonic()
            chat[-1] = {"role": "assistant", "content": md_text(shown)}
            yield chat, gr.skip(), gr.skip(), gr.skip()
        raise AssertionError("answer_stream ended without an Answer")


def wire_asking(ui: Layout, assistant: Assistant, library: Library, demo: gr.Blocks) -> None:
    asking = Asking(ui, assistant, library, demo)
    limit = assistant.settings.server.concurrency
    ask_args = {
        "fn": asking.start,
        "inputs": [ui.question, ui.chatbot, ui.answers, ui.lang],
        "outputs": [ui.question, ui.chatbot, ui.answers, ui.sources, ui.comment_row, ui.asked],
        "concurrency_limit": limit,
        "concurrency_id": "answer",
    }
    ui.send.click(api_name="chat", **ask_args)  # type: ignore[arg-type]
    ui.question.submit(api_visibility="private", **ask_args)  # type: ignore[arg-type]
    ui.asked.change(
        asking.follow,
        [ui.asked, ui.chatbot, ui.answers, ui.lang],
        [ui.chatbot, ui.answers, ui.sources, ui.comment_row],
        concurrency_limit=limit,
        concurrency_id="answer",
        api_visibility="private",
    )
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
