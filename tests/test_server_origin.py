"""Other sites cannot use a chat on the visitor's machine: no `Origin: null`, no rebound host
names, no framing."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.server import create_app
from assistant.settings import Settings

QUESTION = {"question": "大连有效商标注册量是多少?"}


def _client(bundled_index: Path, tmp_path: Path, **server: object) -> TestClient:
    data = tmp_path / "data"
    shutil.copytree(bundled_index, data)
    return TestClient(
        create_app(Settings(data_dir=data, server=server), ui=False), base_url="http://127.0.0.1"
    )


@pytest.fixture
def local(bundled_index: Path, tmp_path: Path) -> Iterator[TestClient]:
    with _client(bundled_index, tmp_path) as client:
        yield client


def test_origin_null_is_refused_for_state_changing_requests(local: TestClient):
    refused = local.post("/api/ask", json=QUESTION, headers={"origin": "null"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "cross_origin"
    deleted = local.delete("/api/documents/dalian-ip-city-2025", headers={"origin": "null"})
    assert deleted.status_code == 403
    assert local.post("/api/ask", json=QUESTION).status_code == 200


@pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
def test_a_rebound_host_name_is_refused_without_auth(local: TestClient, method: str):
    # A page at http://evil.example:7860 whose name now resolves to 127.0.0.1 is same-origin with
    # itself: Origin and Host agree, only the Host name tells it apart.
    headers = {"host": "evil.example:7860", "origin": "http://evil.example:7860"}
    path = "/api/documents/dalian-ip-city-2025" if method == "DELETE" else "/api/documents"
    r = local.request(method, path, headers=headers)
    assert r.status_code == 403 and r.json()["error"]["code"] == "host_not_allowed"
    for host in ("127.0.0.1:7860", "localhost:7860", "[::1]:7860"):
        assert local.get("/api/health", headers={"host": host}).status_code == 200, host


def test_configured_host_names_are_the_only_ones_accepted(bundled_index: Path, tmp_path: Path):
    with _client(bundled_index, tmp_path, allowed_hosts=["ipa.example.org"]) as client:
        assert client.get("/api/health", headers={"host": "ipa.example.org"}).status_code == 200
        assert client.get("/api/health", headers={"host": "evil.example"}).status_code == 403


def test_pages_may_not_be_framed_by_other_sites(local: TestClient):
    for path in ("/api/health", "/docs"):
        r = local.get(path)
        assert r.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
