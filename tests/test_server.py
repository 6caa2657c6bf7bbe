"""The server's assembly: the API alone starts without gradio, and the chat mounts on top of it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient

from assistant.server import create_app
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parents[1]

# Runs `ip-assistant serve --api-only` with uvicorn.run replaced, then reports what was imported.
SERVE_API_ONLY = """
import json, sys
import uvicorn
served = {}
def fake_run(app, host, port, **kw):
    served["paths"] = sorted(app.openapi()["paths"])
uvicorn.run = fake_run
from assistant import cli
code = cli.main(["--data-dir", sys.argv[1], "serve", "--api-only", "--no-ingest"])
print(json.dumps({"code": code, "gradio": "gradio" in sys.modules, **served}))
"""


def test_api_only_server_starts_without_importing_gradio(tmp_path: Path):
    done = subprocess.run(
        [sys.executable, "-c", SERVE_API_ONLY, str(tmp_path / "data")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=True,
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["code"] == 0 and report["gradio"] is False
    assert "/api/ask" in report["paths"] and "/v1/chat/completions" in report["paths"]


def test_api_only_app_answers_and_has_no_chat_page(tmp_path: Path):
    with TestClient(
        create_app(Settings(data_dir=tmp_path / "data"), ui=False), base_url="http://127.0.0.1"
    ) as client:
        assert client.get("/api/health").json()["status"] == "ok"
        assert client.post("/api/ask", json={"question": " "}).json()["error"]["code"] == "empty_question"
        assert client.get("/").status_code == 404
