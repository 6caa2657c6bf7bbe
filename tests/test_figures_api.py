"""GET /api/figures (JSON and CSV) and /api/figures.csv over the bundled articles, behind auth."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.server import create_app
from assistant.server.middleware import hash_password
from assistant.settings import Settings

TOKEN = "figures-token-1234567890"


@pytest.fixture(scope="module")
def client(bundled_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("figures-api") / "data"
    shutil.copytree(bundled_index, folder)
    settings = Settings(
        data_dir=folder, server={"users": {"alice": hash_password("pw", rounds=4)}, "api_tokens": [TOKEN]}
    )
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as c:
        yield c


AUTH = {"authorization": f"Bearer {TOKEN}"}


def test_figures_are_filtered_by_place_measure_and_year_in_any_language(client: TestClient):
    r = client.get("/api/figures", params={"place": "Dalian", "measure": "pledge loan"}, headers=AUTH)
    assert r.status_code == 200
    rows = r.json()
    amounts = {(row["doc_id"], row["value"], row["period"]) for row in rows}
    assert ("dalian-demo-city-2022", 1_495_000_000, "2021") in amounts
    assert ("dalian-ip-city-2022-en", 1_495_000_000, "2021") in amounts
    text = client.get(f"/api/documents/{rows[0]['doc_id']}", headers=AUTH).json()["text"]
    assert text[rows[0]["start"] : rows[0]["end"]] == rows[0]["text"]

    changsha = client.get("/api/figures", params={"place": "长沙", "year": 2024}, headers=AUTH).json()
    assert changsha and {row["place_key"] for row in changsha} == {"changsha"}
    assert all(row["year"] == 2024 for row in changsha)
    assert 76_100 in {row["value"] for row in changsha}


def test_figures_come_as_csv_from_either_address(client: TestClient):
    for path, params in (("/api/figures", {"format": "csv"}), ("/api/figures.csv", {})):
        r = client.get(path, params={**params, "measure": "有效商標註冊量"}, headers=AUTH)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(r.text)))
        assert {row["text"] for row in rows} >= {"137748件", "13.8万件"}
        assert {"measure", "place", "period", "normalised", "doc_id", "start", "end"} <= set(rows[0])


def test_a_bad_year_is_a_clean_422(client: TestClient):
    r = client.get("/api/figures", params={"year": "last"}, headers=AUTH)
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request"


def test_figures_need_authentication_when_the_server_has_users(client: TestClient):
    for path in ("/api/figures", "/api/figures.csv", "/api/figures?format=csv"):
        assert client.get(path).status_code == 401
