"""The HTTP API and the chat server: through FastAPI's TestClient and through a real uvicorn server
on a free 127.0.0.1 port (gradio_client, streaming, authentication of every route)."""

from __future__ import annotations

import base64
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from assistant.server import check_binding, create_app, running
from assistant.server.middleware import hash_password
from assistant.settings import Settings

TRADEMARKS = "大连有效商标注册量是多少?"
PLEDGE_EN = "How much did Dalian's IP pledge loans reach in 2021?"
PASSWORD = "correct horse battery"
TOKEN = "test-token-1234567890"


def _copy(bundled_index: Path, factory: pytest.TempPathFactory, name: str) -> Path:
    folder = factory.mktemp(name) / "data"
    shutil.copytree(bundled_index, folder)
    return folder


@pytest.fixture(scope="module")
def open_settings(bundled_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        data_dir=_copy(bundled_index, tmp_path_factory, "api-open"), server={"max_upload_mb": 0.05}
    )


@pytest.fixture(scope="module")
def client(open_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(open_settings), base_url="http://127.0.0.1") as c:
        yield c


@pytest.fixture(scope="module")
def live_url(open_settings: Settings) -> Iterator[str]:
    with running(create_app(open_settings)) as url:
        yield url


@pytest.fixture(scope="module")
def auth_settings(bundled_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        data_dir=_copy(bundled_index, tmp_path_factory, "api-auth"),
        server={"users": {"alice": hash_password(PASSWORD, rounds=4)}, "api_tokens": [TOKEN]},
    )


@pytest.fixture(scope="module")
def auth_url(auth_settings: Settings) -> Iterator[str]:
    with running(create_app(auth_settings)) as url:
        yield url


# ---------------------------------------------------------------------------------- /api/ask


def test_ask_returns_answer_whose_citations_slice_the_document(client: TestClient):
    r = client.post("/api/ask", json={"question": TRADEMARKS})
    assert r.status_code == 200
    ans = r.json()
    assert ans["answerable"] and ans["citations"] and "[1]" in ans["answer"]
    cite = ans["citations"][0]
    doc = client.get(f"/api/documents/{cite['doc_id']}").json()
    assert doc["text"][cite["start"] : cite["end"]] == cite["quote"]


def test_follow_up_is_searched_with_the_earlier_question(client: TestClient):
    first = client.post("/api/ask", json={"question": TRADEMARKS}).json()
    turn = {"question": TRADEMARKS, "answer": first["answer"], "searched": first["searched_question"]}
    follow = client.post("/api/ask", json={"question": "那长沙呢?", "history": [turn]}).json()
    assert follow["searched_question"] != follow["question"]
    assert "长沙" in follow["searched_question"] or "長沙" in follow["searched_question"]
    assert "商标" in follow["searched_question"]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({}, 422, "invalid_request"),
        ({"question": ""}, 400, "empty_question"),
        ({"question": " \t\n?? "}, 400, "empty_question"),
        ({"question": 42}, 422, "invalid_request"),
        ({"question": ["大连"]}, 422, "invalid_request"),
        ({"question": TRADEMARKS, "history": "earlier"}, 422, "invalid_request"),
        ({"question": TRADEMARKS, "history": [{"answer": "no question"}]}, 422, "invalid_request"),
        ({"question": TRADEMARKS, "colour": "blue"}, 422, "invalid_request"),
        ({"question": "专利" * 1001}, 413, "question_too_long"),
    ],
)
def test_bad_ask_requests_get_json_4xx(client: TestClient, body: dict, status: int, code: str):
    r = client.post("/api/ask", json=body)
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert error["code"] == code and error["message"]


def test_malformed_json_gets_422(client: TestClient):
    r = client.post("/api/ask", content=b'{"question": ', headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["error"]["message"]


def test_requests_from_another_sites_page_are_refused(client: TestClient):
    evil = client.post("/api/ask", json={"question": TRADEMARKS}, headers={"origin": "http://evil.example"})
    assert evil.status_code == 403 and evil.json()["error"]["code"] == "cross_origin"
    upload = client.post(
        "/api/documents",
        files={"file": ("x.txt", "大连专利。".encode(), "text/plain")},
        headers={"origin": "http://evil.example"},
    )
    assert upload.status_code == 403
    same = client.post("/api/ask", json={"question": TRADEMARKS}, headers={"origin": "http://127.0.0.1"})
    assert same.status_code == 200


# ---------------------------------------------------------------------------------- documents


def test_documents_listed_with_metadata(client: TestClient):
    docs = {d["doc_id"]: d for d in client.get("/api/documents").json()}
    assert {"dalian-ip-city-2025", "changsha-ip-2025", "dalian-ip-city-2022-en"} <= set(docs)
    changsha = docs["changsha-ip-2025"]
    assert changsha["language"] == "zh-Hant" and changsha["published"] == "2025-02" and changsha["chunks"] > 0
    assert client.get("/api/documents/no-such-doc").status_code == 404


def test_health_reports_the_index(client: TestClient):
    health = client.get("/api/health").json()
    assert health["status"] == "ok" and health["chunks"] > 0


def test_upload_is_indexed_answerable_and_removable(client: TestClient):
    text = (
        "锦州市知识产权局2024年工作总结\n锦州市2024年专利质押融资登记金额达到3.7亿元,同比增长45%。"
        "锦州市有效发明专利拥有量达到4321件。\n"
    )
    r = client.post("/api/documents", files={"file": ("jinzhou-2024.txt", text.encode(), "text/plain")})
    assert r.status_code == 201, r.text
    assert r.json()["added"] == ["jinzhou-2024"]
    ans = client.post("/api/ask", json={"question": "锦州市有效发明专利拥有量是多少?"}).json()
    assert ans["answerable"] and ans["citations"][0]["doc_id"] == "jinzhou-2024"
    assert client.delete("/api/documents/jinzhou-2024").json() == {"removed": ["jinzhou-2024"]}
    assert client.delete("/api/documents/jinzhou-2024").status_code == 404
    assert "jinzhou-2024" not in {d["doc_id"] for d in client.get("/api/documents").json()}


@pytest.mark.parametrize(
    ("name", "data", "status", "code"),
    [
        ("big.txt", "专利".encode() * 20000, 413, "file_too_large"),  # 120 kB > 0.05 MB
        ("tool.exe", b"MZ\x90\x00", 415, "unsupported_type"),
        ("noext", b"plain words here", 415, "unsupported_type"),
        ("fake.txt", b"%PDF-1.4 binary", 422, "unreadable_file"),
        ("dalian-ip-city-2025.txt", "大连知识产权。".encode(), 409, "id_taken"),
    ],
)
def test_bad_uploads_are_refused(client: TestClient, name: str, data: bytes, status: int, code: str):
    before = client.get("/api/documents").json()
    r = client.post("/api/documents", files={"file": (name, data, "application/octet-stream")})
    assert r.status_code == status, r.text
    assert r.json()["error"]["code"] == code
    assert client.get("/api/documents").json() == before  # nothing lost, nothing added


def test_gradio_upload_route_has_the_same_size_limit(client: TestClient):
    big = client.post("/gradio_api/upload", files={"files": ("big.txt", b"x" * 120_000, "text/plain")})
    assert big.status_code == 413
    small = client.post("/gradio_api/upload", files={"files": ("small.txt", b"x" * 1000, "text/plain")})
    assert small.status_code == 200


def test_body_over_the_limit_is_refused_before_reading(client: TestClient):
    r = client.post("/api/documents", files={"file": ("huge.txt", b"x" * (2 * 1024 * 1024), "text/plain")})
    assert r.status_code == 413 and r.json()["error"]["code"] == "body_too_large"


# ---------------------------------------------------------------------------------- OpenAI-compatible


def test_openai_chat_completion_has_citations_in_text_and_field(client: TestClient):
    r = client.post(
        "/v1/chat/completions",
        json={
            "model": "ip-assistant",
            "temperature": 0,
            "messages": [
                {"role": "system", "content": "Answer from the articles."},
                {"role": "user", "content": PLEDGE_EN},
            ],
        },
    )
    assert r.status_code == 200, r.text
    body = r.json()
    message = body["choices"][0]["message"]
    assert message["role"] == "assistant" and "[1]" in message["content"]
    assert "Sources:" in message["content"]
    assert body["citations"] and body["citations"] == message["citations"]
    assert any(c["quote"] in message["content"] for c in body["citations"])


def _events(text: str) -> list[dict | str]:
    out: list[dict | str] = []
    for block in text.strip().split("\n\n"):
        assert block.startswith("data: ")
        data = block[len("data: ") :]
        out.append(data if data == "[DONE]" else json.loads(data))
    return out


def test_openai_streaming_sends_chunks_then_citations_then_done(client: TestClient):
    with client.stream(
        "POST",
        "/v1/chat/completions",
        json={"stream": True, "messages": [{"role": "user", "content": PLEDGE_EN}]},
    ) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        events = _events(r.read().decode())
    assert events[-1] == "[DONE]"
    chunks = [e for e in events if isinstance(e, dict)]
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    assert len(chunks) > 3 and "[1]" in text and "Sources:" in text
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop" and chunks[-1]["citations"]


def test_openai_follow_up_uses_earlier_messages(client: TestClient):
    first = client.post(
        "/v1/chat/completions", json={"messages": [{"role": "user", "content": TRADEMARKS}]}
    ).json()["choices"][0]["message"]["content"]
    body = client.post(
        "/v1/chat/completions",
        json={
            "messages": [
                {"role": "user", "content": TRADEMARKS},
                {"role": "assistant", "content": first},
                {"role": "user", "content": "那长沙呢?"},
            ]
        },
    ).json()
    assert body["searched_question"] != "那长沙呢?"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"messages": []}, 422),
        ({"model": "x"}, 422),
        (
            {"messages": [{"role": "user", "content": TRADEMARKS}, {"role": "assistant", "content": "ok"}]},
            400,
        ),
        ({"messages": [{"role": "wizard", "content": "hi"}]}, 422),
        ({"messages": [{"role": "user", "content": ""}]}, 400),
        ({"messages": [{"role": "user", "content": ""}], "stream": True}, 400),
        ({"messages": [{"role": "user", "content": "专" * 3000}], "stream": True}, 413),
    ],
)
def test_bad_openai_requests_get_json_4xx(client: TestClient, body: dict, status: int):
    r = client.post("/v1/chat/completions", json=body)
    assert r.status_code == status, r.text
    assert r.json()["error"]["message"]


# ---------------------------------------------------------------------------------- docs, files, feedback


def test_openapi_schema_and_offline_docs_page(client: TestClient):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/ask", "/api/documents", "/api/health", "/v1/chat/completions"} <= set(paths)
    page = client.get("/docs")
    assert page.status_code == 200 and "/api/ask" in page.text
    assert "<script" not in page.text  # no CDN scripts: the machine may be offline


def test_file_routes_serve_nothing_outside_the_app(client: TestClient, open_settings: Settings):
    secret = Path(open_settings.data_dir) / "feedback.sqlite"
    assert secret.exists()
    for target in ("/etc/passwd", str(secret), str(Path(__file__).resolve())):
        for route in (f"/gradio_api/file={target}", f"/file={target}"):
            r = client.get(route)
            assert r.status_code in (403, 404), (route, r.status_code)


def test_feedback_is_stored_and_exported_as_jsonl(
    client: TestClient, open_settings: Settings, tmp_path: Path
):
    from assistant.cli import main

    ans = client.post("/api/ask", json={"question": TRADEMARKS}).json()
    r = client.post("/api/feedback", json={"rating": -1, "comment": "wrong year", "answer": ans})
    assert r.status_code == 201
    assert client.post("/api/feedback", json={"rating": 5, "answer": ans}).status_code == 422
    out = tmp_path / "feedback.jsonl"
    assert main(["--data-dir", str(open_settings.data_dir), "feedback", "export", "--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    row = next(r for r in rows if r["comment"] == "wrong year")
    assert row["rating"] == -1 and row["question"] == TRADEMARKS and row["answer"] == ans["answer"]
    assert row["citations"][0]["quote"] == ans["citations"][0]["quote"]


# ---------------------------------------------------------------------------------- real server


def test_live_server_answers_and_streams(live_url: str):
    with httpx.Client(base_url=live_url, timeout=30) as http:
        assert http.get("/api/health").json()["status"] == "ok"
        assert http.post("/api/ask", json={"question": ""}).status_code == 400
        ans = http.post("/api/ask", json={"question": PLEDGE_EN}).json()
        assert ans["answerable"] and ans["citations"]
        with http.stream(
            "POST",
            "/v1/chat/completions",
            json={"stream": True, "messages": [{"role": "user", "content": PLEDGE_EN}]},
        ) as r:
            lines = [line for line in r.iter_lines() if line]
        assert lines[-1] == "data: [DONE]" and len(lines) > 3


def test_official_openai_client_reads_plain_and_streamed_replies(live_url: str):
    openai = pytest.importorskip("openai")  # installed with the [llm] extra
    client = openai.OpenAI(base_url=f"{live_url}/v1", api_key="unused", max_retries=0, timeout=60)
    reply = client.chat.completions.create(
        model="ip-assistant", messages=[{"role": "user", "content": PLEDGE_EN}]
    )
    assert "[1]" in reply.choices[0].message.content
    assert reply.model_extra["citations"][0]["quote"] in reply.choices[0].message.content
    stream = client.chat.completions.create(
        model="ip-assistant", stream=True, messages=[{"role": "user", "content": PLEDGE_EN}]
    )
    pieces = [chunk.choices[0].delta.content or "" for chunk in stream]
    assert "".join(pieces) == reply.choices[0].message.content


def test_gradio_client_asks_through_the_queue(live_url: str):
    from gradio_client import Client

    client = Client(live_url, verbose=False, download_files=False)
    ans = client.predict(TRADEMARKS, [], api_name="/ask")
    assert ans["answerable"] and ans["citations"][0]["doc_id"].startswith("dalian")
    _, chat, html = client.predict(TRADEMARKS, [], "English", api_name="/chat")
    content = chat[-1]["content"]
    text = content if isinstance(content, str) else "".join(p.get("text", "") for p in content)
    assert chat[-1]["role"] == "assistant" and "\\[1\\]" in text  # Markdown-escaped
    assert "<mark>" in html


# ---------------------------------------------------------------------------------- authentication


PROTECTED = [
    ("GET", "/api/health"),
    ("GET", "/api/documents"),
    ("GET", "/api/documents/changsha-ip-2025"),
    ("POST", "/api/ask"),
    ("POST", "/api/documents"),
    ("DELETE", "/api/documents/changsha-ip-2025"),
    ("POST", "/api/feedback"),
    ("POST", "/v1/chat/completions"),
    ("GET", "/v1/models"),
    ("GET", "/openapi.json"),
    ("GET", "/docs"),
    ("GET", "/config"),
    ("GET", "/gradio_api/info"),
    ("GET", "/gradio_api/openapi.json"),
    ("POST", "/gradio_api/queue/join"),
    ("GET", "/gradio_api/queue/data"),
    ("POST", "/gradio_api/upload"),
    ("POST", "/gradio_api/call/ask"),
    ("POST", "/gradio_api/run/ask"),
    ("GET", "/gradio_api/file=/etc/passwd"),
    ("GET", "/gradio_api/file=/tmp/gradio/x.txt"),
    ("GET", "/file=/etc/passwd"),
    ("GET", "/theme.css"),
    ("GET", "/assets/index.js"),
    ("GET", "/gradio_api/upload_progress"),
    ("GET", "/monitoring"),
    ("GET", "/?view=api"),
]


def test_auth_refuses_every_route_to_anonymous_requests(auth_url: str):
    with httpx.Client(base_url=auth_url, timeout=30) as http:
        for method, path in PROTECTED:
            r = http.request(method, path, json={"question": TRADEMARKS})
            if path == "/?view=api":
                assert "gradio_config" not in r.text and "/api/ask" not in r.text
                continue
            assert r.status_code == 401, (method, path, r.status_code)
        page = http.get("/")
        assert page.status_code == 200 and "password" in page.text
        assert "gradio_config" not in page.text and "gradio_api_info" not in page.text
        bad = {"authorization": "Bearer nope"}
        assert http.get("/api/health", headers=bad).status_code == 401
        wrong = base64.b64encode(b"alice:wrong").decode()
        assert http.get("/api/health", headers={"authorization": f"Basic {wrong}"}).status_code == 401


def test_auth_accepts_token_password_and_login_session(auth_url: str):
    with httpx.Client(base_url=auth_url, timeout=30) as http:
        token = {"authorization": f"Bearer {TOKEN}"}
        assert http.post("/api/ask", json={"question": TRADEMARKS}, headers=token).json()["answerable"]
        basic = base64.b64encode(f"alice:{PASSWORD}".encode()).decode()
        assert http.get("/api/documents", headers={"authorization": f"Basic {basic}"}).status_code == 200
        assert http.post("/login", data={"username": "alice", "password": "nope"}).status_code == 401
        assert http.post("/login", data={"username": "alice", "password": PASSWORD}).status_code == 200
        assert http.get("/config").status_code == 200  # the session cookie now opens Gradio's routes
        assert "gradio_config" in http.get("/").text
        http.get("/logout")
        assert http.get("/config").status_code == 401


def test_gradio_client_logs_in_or_uses_a_token(auth_url: str):
    from gradio_client import Client

    ans = Client(auth_url, auth=("alice", PASSWORD), verbose=False).predict(TRADEMARKS, [], api_name="/ask")
    assert ans["answerable"]
    with_token = Client(auth_url, headers={"Authorization": f"Bearer {TOKEN}"}, verbose=False)
    assert with_token.predict(TRADEMARKS, [], api_name="/ask")["answerable"]
    with pytest.raises(Exception):  # noqa: B017 - gradio_client raises its own error types
        Client(auth_url, auth=("alice", "wrong"), verbose=False)


def test_remote_binding_needs_auth_or_allow_remote(tmp_path: Path):
    local = Settings(data_dir=tmp_path)
    assert check_binding(local) is None
    remote = local.with_overrides(**{"server.host": "0.0.0.0"})
    assert "refusing" in (check_binding(remote) or "")
    assert check_binding(remote.with_overrides(**{"server.allow_remote": True})) is None
    assert check_binding(remote.with_overrides(**{"server.api_tokens": ["t"]})) is None


def test_hash_password_command_makes_a_bcrypt_hash(monkeypatch: pytest.MonkeyPatch, capsys):
    import io

    import bcrypt

    from assistant.cli import main

    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret\n"))
    assert main(["hash-password", "--stdin"]) == 0
    hashed = capsys.readouterr().out.strip()
    assert bcrypt.checkpw(b"s3cret", hashed.encode())
