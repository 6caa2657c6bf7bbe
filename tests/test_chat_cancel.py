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
from tests.chat_page import PageChat, answer_text, updates
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


@pytest.fixture(autouse=True)
def _no_questions_asked_lately(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's server is calm unless the test says otherwise: the questions of the tests before
    do not count as asked lately (the server is shared by the module's tests)."""
    from assistant.server.web import chat

    monkeypatch.setattr(chat, "RECENT_S", 0.0)


def _fn_index(url: str, api_name: str) -> int:
    config = httpx.get(f"{url}/config", timeout=30).json()
    return next(int(d["id"]) for d in config["dependencies"] if d.get("api_name") == api_name)


def _ask_then_leave(
    url: str, fn: int, data: list[Any], session: str, working: threading.Event, trigger: int | None = None
) -> None:
    """What a browser does: join the queue and read the session's event stream; once the answer
    is being worked on, the page is closed (the stream's connection goes)."""
    body = {"data": data, "fn_index": fn, "trigger_id": trigger, "session_hash": session, "event_data": None}
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
    _ask_then_leave(url, _fn_index(url, api_name), data, f"leaving-{api_name}", endless.started)
    # Gradio looks whether the stream's client is there between its waits (at most 10 s apart).
    assert endless.stopped.wait(30), "the answer was still being worked on after its page went"


def test_work_stops_when_the_page_goes_while_the_answer_streams(
    served: tuple[str, Assistant], monkeypatch: pytest.MonkeyPatch
):
    """On a calm server the page's question is answered by the streaming event that the asking
    event hands it to: closing the page stops that event's work too."""
    url, assistant = served
    endless = Endless()
    monkeypatch.setattr(assistant, "answerer", endless)
    monkeypatch.setattr(assistant.settings.answer, "timeout_s", 120.0)
    page = PageChat(url)
    page.session = "leaving-streamed"
    asked = page.run(page.asking, [QUESTION, [], None, "English"], page.asking["targets"][0][0])
    output = asked[-1]["output"]
    (state_id,) = output["changed_state_ids"]
    (follow,) = page.listeners(state_id)
    data = [None, output["data"][1], None, "English"]
    _ask_then_leave(url, follow["id"], data, page.session, endless.started, trigger=state_id)
    assert endless.stopped.wait(30), "the answer was still being worked on after its page went"


def _updates(url: str, data: list[Any], session: str) -> int:
    """How many updates the chat sends for one question asked as the page asks it (the asking
    event and, where it hands the question over, the streaming one), read from the event stream."""
    page = PageChat(url)
    page.session = session
    question, _, _, language = data
    return updates(page.ask(question, language))


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


def test_a_ready_answer_is_sent_whole_while_others_asked_lately(
    served: tuple[str, Assistant], monkeypatch: pytest.MonkeyPatch
):
    """Under load most of a chat question's time goes by in Gradio's queue and event stream, where
    no answer is counted in progress: with 30 clients asking at once two thirds of the answers
    found at most two in progress and were streamed (a join and two rounds more each; 13.7 ms of
    front-end CPU per chat answer against 2.8 for the API). Questions asked lately count too."""
    from assistant.server.web import chat

    url, _ = served
    data = [QUESTION, [], [], "English"]
    assert _updates(url, data, "lately-calm") > 5  # one visitor: streamed
    monkeypatch.setattr(chat, "RECENT_S", 600.0)  # as if these had come within a second
    for k in range(chat.STREAMED_AT_ONCE):
        _updates(url, data, f"lately-{k}")
    assert _updates(url, data, "lately-busy") <= 2


def test_the_questions_asked_lately_are_counted_within_their_window(monkeypatch: pytest.MonkeyPatch):
    from assistant.server.web import chat
    from assistant.server.web.chat import InProgress

    RECENT_S = 1.0
    monkeypatch.setattr(chat, "RECENT_S", RECENT_S)
    now = [100.0]
    chats = InProgress(clock=lambda: now[0])
    assert [chats.asked() for _ in range(3)] == [1, 2, 3]
    now[0] += RECENT_S / 2
    assert chats.asked() == 4
    now[0] += RECENT_S * 0.75  # the first three are older than the window now
    assert chats.asked() == 2


def test_a_busy_chat_answer_is_one_round(served: tuple[str, Assistant], monkeypatch: pytest.MonkeyPatch):
    """Each round of `process_api` (the function's step, postprocessing, the session state's hash,
    the streaming diff, a message) is Gradio's own work in the serving process. While busy an
    answer was two rounds of a generator (the answer, the generator's end, which sends the last
    values again): the chat's front end spent 13 ms of CPU per answer where the API's spent 4.
    Now the asking event is a plain function: one round, the question shown with its whole answer;
    a calm server still streams (the asking event hands the question to the streaming one)."""
    from gradio.blocks import Blocks

    from assistant.gate import Gate

    url, _ = served
    rounds: list[tuple[int, list[Any]]] = []
    process_api = Blocks.process_api

    async def counted(
        self: Blocks, block_fn: Any, inputs: list[Any], *args: Any, **kwargs: Any
    ) -> dict[str, Any]:
        result = await process_api(self, block_fn, inputs, *args, **kwargs)
        rounds.append((block_fn if isinstance(block_fn, int) else block_fn._id, result["data"]))
        return result

    monkeypatch.setattr(Blocks, "process_api", counted)
    calm = PageChat(url).ask(QUESTION)
    calm_rounds, rounds[:] = len(rounds), []
    monkeypatch.setattr(Gate, "waiting", property(lambda self: 1))  # others wait for their turn
    busy = PageChat(url).ask(QUESTION)
    placeholders = [data for _, data in rounds if data[1][-1]["content"] == [{"text": "…", "type": "text"}]]
    assert updates(busy) == 1 and len(rounds) == 1 and not placeholders, rounds
    assert answer_text(busy) == answer_text(calm) and "\\[1\\]" in answer_text(busy)
    assert calm_rounds > 5, calm_rounds  # streamed: the placeholder, the pieces, the answer, the end


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
