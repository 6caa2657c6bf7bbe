"""What a client can make the server do: bodies, history and text fields, on a real uvicorn server
(API only, no chat) over a copy of the bundled index."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant.models import Turn
from assistant.pipeline import Assistant
from assistant.server import create_app, running
from assistant.settings import Settings
from tests.endless import Endless

PIECE = b"x" * (1 << 20)


@pytest.fixture(scope="module")
def served(bundled_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Assistant]]:
    data = tmp_path_factory.mktemp("limits") / "data"
    shutil.copytree(bundled_index, data)
    settings = Settings(data_dir=data, server={"max_upload_mb": 1})
    app = create_app(settings, ui=False)
    with running(app) as url:
        yield url, app.state.assistant


@pytest.fixture
def api(served: tuple[str, Assistant]) -> str:
    return served[0]


def _post(url: str, body: object, **kwargs: Any) -> httpx.Response:
    """JSON with \\u escapes, so that lone surrogates can be sent (httpx's json= refuses them)."""
    data = json.dumps(body).encode()
    return httpx.post(url, content=data, headers={"content-type": "application/json"}, **kwargs)


MULTIPART_HEAD = (
    b'--zzz\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n'
    b"Content-Type: text/plain\r\n\r\n"
)


def _chunked(
    url: str, path: str, total_mb: int, headers: dict[str, str], head: bytes = b""
) -> tuple[int | None, int]:
    """POST a body of `total_mb` MiB without a Content-Length (Transfer-Encoding: chunked); the
    status (None when the server closed the connection first) and the MiB the client got to send."""
    sent = 0

    def body() -> Iterator[bytes]:
        nonlocal sent
        yield head
        for _ in range(total_mb):
            sent += 1
            yield PIECE

    try:
        status: int | None = httpx.post(
            f"{url}{path}", content=body(), headers=headers, timeout=60
        ).status_code
    except httpx.HTTPError:
        status = None
    return status, sent


@pytest.mark.parametrize(
    ("path", "headers", "head"),
    [
        ("/api/ask", {"content-type": "application/json"}, b'{"question": "'),
        ("/api/documents", {"content-type": "multipart/form-data; boundary=zzz"}, MULTIPART_HEAD),
    ],
)
def test_a_chunked_body_over_the_limit_is_refused_before_it_is_read(
    api: str, path: str, headers: dict[str, str], head: bytes
):
    status, sent = _chunked(api, path, 200, headers, head)
    assert status in (413, None), status
    # The limit (1 MiB upload + 1 MiB multipart slack) plus what socket buffers hold.
    assert sent < 40, f"the server read {sent} MiB of a chunked body"
    assert httpx.get(f"{api}/api/health", timeout=30).status_code == 200


LONG = "长沙知识产权保护中心" * 20_000  # 200,000 characters
FOLLOWUP = "那大连呢?"


def test_a_history_over_the_limits_is_refused_at_once(api: str):
    started = time.monotonic()
    turn = {"question": LONG, "answer": "。"}
    r = _post(f"{api}/api/ask", {"question": FOLLOWUP, "history": [turn]}, timeout=60)
    assert r.status_code == 413 and r.json()["error"]["code"] == "history_too_long"
    many = [{"question": "大连有效商标注册量是多少?", "answer": "好" * 1500}] * 20  # 30,000 together
    r = _post(f"{api}/api/ask", {"question": FOLLOWUP, "history": many}, timeout=60)
    assert r.status_code == 413 and r.json()["error"]["code"] == "history_too_long"
    messages = [
        {"role": "user", "content": LONG},
        {"role": "assistant", "content": "。"},
        {"role": "user", "content": FOLLOWUP},
    ]
    for stream in (False, True):
        r = _post(f"{api}/v1/chat/completions", {"messages": messages, "stream": stream}, timeout=60)
        assert r.status_code == 413, stream
    assert time.monotonic() - started < 20


def test_the_library_works_on_no_more_history_than_its_limits(
    served: tuple[str, Assistant], monkeypatch: pytest.MonkeyPatch
):
    import assistant.pipeline as engine

    _, assistant = served
    limits = assistant.settings.answer
    seen: list[list[Turn]] = []
    original = engine.condense
    monkeypatch.setattr(
        engine, "condense", lambda text, history: seen.append(history) or original(text, history)
    )
    huge = [Turn(question=LONG * 5, answer=LONG, searched=LONG)] * 3
    assistant.answer(FOLLOWUP, huge)
    (history,) = seen
    assert history and all(len(t.question) <= limits.max_question_chars for t in history)
    assert all(len(t.searched or "") <= limits.max_question_chars for t in history)
    assert (
        sum(len(t.question) + len(t.answer) + len(t.searched or "") for t in history)
        <= limits.max_history_chars
    )


def test_an_answer_past_its_deadline_stops_with_a_503(served: tuple[str, Assistant], monkeypatch):
    url, assistant = served
    monkeypatch.setattr(assistant.settings.answer, "timeout_s", 0.0)
    r = _post(f"{url}/api/ask", {"question": "大连有效商标注册量是多少?"}, timeout=60)
    assert r.status_code == 503 and r.json()["error"]["code"] == "answer_timeout"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/ask", {"question": "大连有效商标注册量是多少?"}),
        ("/v1/chat/completions", {"messages": [{"role": "user", "content": "大连有效商标注册量是多少?"}]}),
        (
            "/v1/chat/completions",
            {"messages": [{"role": "user", "content": "大连有效商标注册量是多少?"}], "stream": True},
        ),
    ],
)
def test_work_stops_when_the_client_disconnects(
    served: tuple[str, Assistant], monkeypatch: pytest.MonkeyPatch, path: str, body: dict[str, Any]
):
    url, assistant = served
    endless = Endless()
    monkeypatch.setattr(assistant, "answerer", endless)
    with pytest.raises(httpx.ReadTimeout):
        _post(f"{url}{path}", body, timeout=1.5)
    assert endless.stopped.wait(10), "the answer was still being worked on after its client left"


BAD = "大连\ud800专利"  # a lone surrogate, as JSON may carry it


def test_lone_surrogates_in_text_fields_never_give_a_500(api: str):
    bad = json.loads(f'"{BAD}"')
    turn = {"question": bad, "answer": bad, "searched": bad}
    r = _post(f"{api}/api/ask", {"question": bad, "history": [turn]}, timeout=60)
    assert r.status_code == 200, r.text
    answer = r.json()
    r = _post(f"{api}/api/ask", {"question": 5, bad: bad}, timeout=60)
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request"
    r = _post(
        f"{api}/api/feedback", {"rating": 1, "comment": bad, "answer": answer | {"answer": bad}}, timeout=60
    )
    assert r.status_code == 201, r.text
    messages = [
        {"role": "user", "content": bad},
        {"role": "assistant", "content": bad},
        {"role": "user", "content": "那长沙呢?" + bad},
    ]
    r = _post(f"{api}/v1/chat/completions", {"messages": messages}, timeout=60)
    assert r.status_code == 200, r.text
    r = _post(f"{api}/v1/chat/completions", {"messages": messages, "stream": True}, timeout=60)
    assert r.status_code == 200 and r.text.rstrip().endswith("data: [DONE]"), r.text[-300:]
