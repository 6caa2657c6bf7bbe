"""Whether the asker of a running Gradio event is still there.

Gradio marks a session's running events as no longer alive when the session's event stream
closes (the page was closed or reloaded, the network went, gradio_client let go) or the event is
cancelled; it then stops reading a generator's output, but a function that is busy (answering
a question) runs on to its end. `AskerGone` reads that mark, so that an answer given it as its
`stop` (Assistant.answer, answer_stream) ends at its next checkpoint, also while it waits its
turn (assistant.gate).

It reads the queue's running jobs (`Blocks._queue.active_jobs`, `Event.session_hash`,
`Event.alive`): Gradio gives a running function no public handle on its own event.
tests/test_chat_cancel.py holds this against the installed Gradio.
"""

from __future__ import annotations

from typing import Any

import gradio as gr


class AskerGone:
    """`is_set()` once every running event of the session has been let go by Gradio."""

    def __init__(self, demo: gr.Blocks, request: gr.Request | None) -> None:
        self.demo = demo
        self.session = getattr(request, "session_hash", None) if request is not None else None

    def _events(self) -> list[Any]:
        queue = getattr(self.demo, "_queue", None)
        jobs = list(getattr(queue, "active_jobs", None) or [])
        return [event for job in jobs if job for event in job if event.session_hash == self.session]

    def is_set(self) -> bool:
        if self.session is None:
            return False
        events = self._events()
        return bool(events) and not any(event.alive for event in events)


__all__ = ["AskerGone"]
