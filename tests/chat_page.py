"""The chat asked as its page asks it, over Gradio's queue protocol, for tests and bench_load.

A question joins the queue (`POST /gradio_api/queue/join`, naming the button that triggered it)
and its messages come over the session's event stream (`GET /gradio_api/queue/data`) until the
event completes. Where the completed event changed a session state that another event listens to
(`changed_state_ids`: the asking event hands the question to the streaming one), the page runs
that event next, with the chat as the first event left it; so does `PageChat.ask`.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

import httpx


class PageChat:
    """One page (one Gradio session) asking through the `chat` event and what it triggers."""

    def __init__(self, url: str, config: dict[str, Any] | None = None, timeout: float = 120) -> None:
        self.config = config if config is not None else httpx.get(f"{url}/config", timeout=60).json()
        self.prefix = self.config.get("api_prefix", "/gradio_api").rstrip("/")
        self.http = httpx.Client(base_url=url, timeout=timeout)
        self.session = secrets.token_hex(6)
        self.asking = next(d for d in self.config["dependencies"] if d.get("api_name") == "chat")

    def listeners(self, state_id: int) -> list[dict[str, Any]]:
        return [d for d in self.config["dependencies"] if [state_id, "change"] in d["targets"]]

    def run(self, dependency: dict[str, Any], data: list[Any], trigger: int | None) -> list[dict[str, Any]]:
        """One event: its messages on the event stream, up to and including its completion."""
        body = {
            "data": data,
            "fn_index": dependency["id"],
            "trigger_id": trigger,
            "event_data": None,
            "session_hash": self.session,
        }
        joined = self.http.post(f"{self.prefix}/queue/join", json=body)
        joined.raise_for_status()
        event_id = joined.json()["event_id"]
        messages = []
        params = {"session_hash": self.session}
        with self.http.stream("GET", f"{self.prefix}/queue/data", params=params) as stream:
            for line in stream.iter_lines():
                if not line.startswith("data:"):
                    continue
                message = json.loads(line[5:])
                if message.get("event_id") != event_id:
                    continue
                messages.append(message)
                if message["msg"] == "process_completed":
                    if not message.get("success"):
                        raise ValueError(f"the chat event failed: {message.get('output')}")
                    return messages
        raise ValueError("the event stream ended before the event completed")

    def ask(
        self, question: str, language: str = "English", chat: list[Any] | None = None
    ) -> list[dict[str, Any]]:
        """Every message of the events one question runs; the chat is the last completion's."""
        # inputs: the question, the chat so far, the answers (session state: not sent), the language
        messages = self.run(self.asking, [question, chat or [], None, language], self.asking["targets"][0][0])
        output = messages[-1]["output"]
        for state_id in output.get("changed_state_ids") or []:
            for dependency in self.listeners(state_id):
                # inputs: the state handed over, the chat as shown now, the answers, the language
                messages += self.run(dependency, [None, output["data"][1], None, language], state_id)
        return messages


def final_chat(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The chat the page shows once the question's events are done."""
    for message in reversed(messages):
        data = (message.get("output") or {}).get("data") or []
        if message["msg"] == "process_completed" and data and isinstance(data[0], list):
            return data[0]  # the streaming event's outputs start with the chat
        if message["msg"] == "process_completed" and len(data) > 1 and isinstance(data[1], list):
            return data[1]  # the asking event's: the question box, then the chat
    return []


def answer_text(messages: list[dict[str, Any]]) -> str:
    """The text of the chat's last answer once the question's events are done ("" if none)."""
    chat = final_chat(messages)
    if not chat or chat[-1]["role"] != "assistant":
        return ""
    content = chat[-1]["content"]
    return content if isinstance(content, str) else "".join(p.get("text", "") for p in content)


def updates(messages: list[dict[str, Any]]) -> int:
    """How many updates of the page the messages carry (each a round of Gradio's work)."""
    return sum(m["msg"] in ("process_generating", "process_completed") for m in messages)
