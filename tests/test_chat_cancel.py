"""The chat under load. A question stops being worked on when its page goes away: the browser's
event stream closes and Gradio lets the session's running events go (assistant.server.web.cancel);
before, the answer ran to its end (up to answer.timeout_s) for nobody. And a ready answer is not
streamed out piece by piece while other questions wait for the cores."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant.pipeline import Assistant
from assistant.server import create_app, running
from assistant.settings import Settings
from assistant.warmup import warm_up
from tests.endless import Endless

QUESTION = "大连有效商标注册量是多少?"


@pytest.fixture(scope="module")
def served(bundled_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Assistant]]:
    data = tmp_path_factory.mktemp("cancel") / "data"
    shutil.copytree(bundled_index, data)
    app = create_app(Settings(data_dir=data))
    warm_up(app.state.assistant)  # as serve() does: the first question loads nothing
    with running(app) as url:
        yield url, app.state.assistant


def _fn_index(url: str, api_name: str) -> int:
    config = httpx.get(f"{url}/config", timeout=30).json()
    return next(int(d["id"]) for d in config["dependencies"] if d.get("api_name") == api_name)


def _ask_then_leave(url: str, api_name: str, data: list[Any], session: str, working: threading.Event) -> None:
    """What a browser does: join the queue and read the session's event stream; once the answer
    is being worked on, the page is closed (the stream's connection goes)."""
    body = {"data": data, "fn_index": _fn_index(url, api_name), "session_hash": session, "event_data": None}
    joined = httpx.post(f"{url}/gradio_api/queue/join", json=body, timeout=30)
    assert joined.status_code == 200, joined.text
    params = {"session_hash": session}
    with httpx.stream("GET", f"{url}/gradio_api/queue/data", params=params, timeout=30) as stream:
        for line in stream.iter_lines():
            if line.startswith("data:") and json.loads(line[5:]).get("msg") == "process_starts":
                break
        assert working.wait(120), "the question was being answered"


@pytest.mark.parametrize(
    ("api_name", "data"), [("chat", [QUESTION, [], [], "English"]), ("ask", [QUESTION, []])]
)
def test_work_stops_when_the_page_goes(
    served: tuple[str, Assistant], monkeypatch: pytest.MonkeyPatch, api_name: str, data: list[Any]
):
    url, assistant = served
    endless = Endless()
    monkeypatch.setattr(assistant, "answerer", endless)
    monkeypatch.setattr(assistant.settings.answer, "timeout_s", 120.0)
    _ask_then_leave(url, api_name, data, f"leaving-{api_name}", endless.started)
    # Gradio looks whether the stream's client is there between its waits (at most 10 s apart).
    assert endless.stopped.wait(30), "the answer was still being worked on after its page went"


def _updates(url: str, data: list[Any], session: str) -> int:
    """How many updates the chat sends for one question, read from the session's event stream."""
    body = {"data": data, "fn_index": _fn_index(url, "chat"), "session_hash": session, "event_data": None}
    assert httpx.post(f"{url}/gradio_api/queue/join", json=body, timeout=30).status_code == 200
    count = 0
    params = {"session_hash": session}
    with httpx.stream("GET", f"{url}/gradio_api/queue/data", params=params, timeout=120) as stream:
        for line in stream.iter_lines():
            msg = json.loads(line[5:]).get("msg") if line.startswith("data:") else None
            count += msg in ("process_generating", "process_completed")
            if msg == "process_completed":
                break
    return count


def test_a_ready_answer_is_not_streamed_piece_by_piece_while_others_wait(
    served: tuple[str, Assistant], monkeypatch: pytest.MonkeyPatch
):
    """Each streamed piece costs a round of Gradio work (about 13 per answer): under load the
    chat answered 3 questions a second where the API answered 21 (bench_load --during-ingest)."""
    from assistant.gate import Gate

    url, _ = served
    data = [QUESTION, [], [], "English"]
    calm = _updates(url, data, "calm")
    monkeypatch.setattr(Gate, "waiting", property(lambda self: 1))  # others wait for their turn
    busy = _updates(url, data, "busy")
    assert calm > 5 and busy <= 2, (calm, busy)


def test_a_ready_answer_is_sent_whole_while_other_chats_are_answered(
    served: tuple[str, Assistant], monkeypatch: pytest.MonkeyPatch
):
    """With answering processes (answer.processes > 1) no question waits at the serving
    process's gate, so that alone never stopped the streaming: 30 chats at once were all streamed
    piece by piece (7.9 answers a second where the API gave 70). Other chat answers in progress
    count: here they are held in `answer`, as if answered in other processes."""
    from assistant.server.web.chat import STREAMED_AT_ONCE

    url, assistant = served
    release, started = threading.Event(), threading.Semaphore(0)
    real = assistant.answer

    def answer(question: str, history: Any = None, **kwargs: Any) -> Any:
        if question.startswith("hold "):
            started.release()
            release.wait(60)
        return real(question, history, **kwargs)

    monkeypatch.setattr(assistant, "answer", answer)
    held = [[f"hold {QUESTION}", [], [], "English"] for _ in range(STREAMED_AT_ONCE)]
    others = [
        threading.Thread(target=_updates, args=(url, data, f"other-{k}"), daemon=True)
        for k, data in enumerate(held)
    ]
    for thread in others:
        thread.start()
    try:
        for _ in others:
            assert started.acquire(timeout=60), "the other chats were being answered"
        busy = _updates(url, [QUESTION, [], [], "English"], "one-more")
    finally:
        release.set()
        for thread in others:
            thread.join(60)
    assert busy <= 2, busy


def test_a_busy_chat_answer_has_no_placeholder_round(
    served: tuple[str, Assistant], monkeypatch: pytest.MonkeyPatch
):
    """Each round of `process_api` (the function's step, postprocessing, the session state's hash,
    the streaming diff, a message) is Gradio's own work in the serving process: while busy an
    answer was three rounds (the placeholder showing the question, the answer, the generator's
    end), the front end 19 ms of CPU per answer where the API's is 4. Now no placeholder round:
    the answer, then the generator's end (which sends the last values again)."""
    from gradio.blocks import Blocks

    from assistant.gate import Gate

    url, _ = served
    chat_fn = _fn_index(url, "chat")
    rounds: list[list[Any]] = []
    process_api = Blocks.process_api

    async def counted(
        self: Blocks, block_fn: Any, inputs: list[Any], *args: Any, **kwargs: Any
    ) -> dict[str, Any]:
        result = await process_api(self, block_fn, inputs, *args, **kwargs)
        fn_id = block_fn if isinstance(block_fn, int) else block_fn._id
        if fn_id == chat_fn:
            rounds.append(result["data"])
        return result

    monkeypatch.setattr(Blocks, "process_api", counted)
    _updates(url, [QUESTION, [], [], "English"], "rounds-calm")
    calm_rounds, rounds[:] = len(rounds), []
    monkeypatch.setattr(Gate, "waiting", property(lambda self: 1))  # others wait for their turn
    assert _updates(url, [QUESTION, [], [], "English"], "rounds-busy") == 2
    placeholders = [data for data in rounds if data[1][-1]["content"] == [{"text": "…", "type": "text"}]]
    assert calm_rounds > 5 and len(rounds) == 2 and not placeholders, (calm_rounds, rounds)


def test_the_queue_does_not_summarise_its_events_after_each_answer(
    served: tuple[str, Assistant], monkeypatch: pytest.MonkeyPatch
):
    """Gradio's queue rebuilt a pandas table of its last 10,000 events after every event (for a
    monitoring page the app does not serve): 28 ms an answer once 1,000 had been asked."""
    from gradio.queueing import Queue

    url, _ = served
    tables: list[int] = []
    build = Queue._get_df

    def counted(records: Any) -> Any:
        tables.append(1)
        return build(records)

    monkeypatch.setattr(Queue, "_get_df", staticmethod(counted))
    for k in range(2):
        assert _updates(url, [QUESTION, [], [], "English"], f"summary-{k}") >= 1
    assert tables == []
