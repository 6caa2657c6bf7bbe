"""With authentication on, only admins (settings: server.admins, server.admin_tokens) change the
library: upload and delete, through the API and the chat's documents tab."""

from __future__ import annotations

import base64
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.server import create_app
from assistant.server.middleware import hash_password
from assistant.settings import Settings

PASSWORD = "correct horse battery"
ARTICLE = ("a.txt", "青岛市2023年专利授权量达到两万件。".encode(), "text/plain")


def _basic(user: str) -> dict[str, str]:
    return {"authorization": "Basic " + base64.b64encode(f"{user}:{PASSWORD}".encode()).decode()}


@pytest.fixture
def client(bundled_index: Path, tmp_path: Path) -> Iterator[TestClient]:
    data = tmp_path / "data"
    shutil.copytree(bundled_index, data)
    users = {name: hash_password(PASSWORD, rounds=4) for name in ("alice", "bob")}
    server = {
        "users": users,
        "admins": ["alice"],
        "api_tokens": ["user-token"],
        "admin_tokens": ["admin-token"],
    }
    with TestClient(
        create_app(Settings(data_dir=data, server=server), ui=False), base_url="http://127.0.0.1"
    ) as c:
        yield c


def test_only_admins_upload_and_delete_documents(client: TestClient):
    for who in (_basic("bob"), {"authorization": "Bearer user-token"}):
        r = client.post("/api/documents", files={"file": ARTICLE}, headers=who)
        assert r.status_code == 403 and r.json()["error"]["code"] == "admin_required"
        assert client.delete("/api/documents/dalian-ip-city-2025", headers=who).status_code == 403
        assert client.get("/api/documents", headers=who).status_code == 200  # reading stays open
    assert client.post("/api/documents", files={"file": ARTICLE}, headers=_basic("alice")).status_code == 201
    assert (
        client.delete("/api/documents/a", headers={"authorization": "Bearer admin-token"}).status_code == 200
    )


def test_the_documents_tab_refuses_changes_from_users_who_are_not_admins(client: TestClient):
    import gradio as gr

    from assistant.server.web import build_ui

    app = client.app
    state = app.state  # type: ignore[attr-defined]
    demo = build_ui(state.assistant, state.library, state.feedback, "t", is_admin=state.credentials.is_admin)
    handlers = {f.name: f.fn for f in demo.fns.values()}
    doc = "dalian-ip-city-2025"
    status, *_ = handlers["remove_doc"](doc, "English", gr.Request(username="bob"))
    assert "admin" in status and state.library.document(doc) is not None
    status, *_ = handlers["add_files"](["/nonexistent/a.txt"], "English", gr.Request(username="bob"))
    assert "admin" in status
    status, *_ = handlers["remove_doc"](doc, "English", gr.Request(username="alice"))
    assert state.library.document(doc) is None


def test_the_documents_tab_shows_only_to_admins(client: TestClient):
    import gradio as gr

    from assistant.server.web import build_ui

    state = client.app.state  # type: ignore[attr-defined]
    demo = build_ui(state.assistant, state.library, state.feedback, "t", is_admin=state.credentials.is_admin)
    admin_view = next(f.fn for f in demo.fns.values() if f.name == "admin_view")
    assert admin_view(gr.Request(username="bob"))["visible"] is False
    assert admin_view(gr.Request(username="alice"))["visible"] is True
