"""Server mode: the store on a real `chroma run` server, shared by several processes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import Assistant, Settings
from index.ingest import ingest, ingest_records
from index.search import Searcher
from index.store import Store, StoreError
from tests.chroma_server import ChromaServer, free_port

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "docs" / "articles"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    running = ChromaServer(tmp_path_factory.mktemp("chroma-server") / "db").start()
    try:
        yield running
    finally:
        running.stop()


def server_settings(server: ChromaServer, data_dir: Path, collection: str) -> Settings:
    return Settings(
        data_dir=data_dir,
        chroma={
            "host": "127.0.0.1",
            "port": server.port,
            "collection": collection,
            "timeout_s": 20.0,
            "retries": 1,
        },
    )


def test_environment_selects_the_server(
    server: ChromaServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("IP_ASSISTANT_CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("IP_ASSISTANT_CHROMA_PORT", str(server.port))
    monkeypatch.setenv("IP_ASSISTANT_CHROMA_COLLECTION", "env-selected")
    monkeypatch.setenv("IP_ASSISTANT_CHROMA_HEADERS", '{"X-Chroma-Token": "secret"}')
    settings = Settings()
    assert (settings.chroma.host, settings.chroma.port) == ("127.0.0.1", server.port)
    assert settings.chroma.headers == {"X-Chroma-Token": "secret"}
    store = Store(settings)
    assert store.state()["chunks"] == 0
    assert "env-selected" in [c.name for c in store.client.list_collections()]
    assert not (settings.data_dir / "chroma").exists(), "server mode must not open an embedded store"


def test_ingest_ask_and_reingest_against_a_server(
    server: ChromaServer, tmp_path: Path, bundled_settings: Settings
):
    settings = server_settings(server, tmp_path / "replica-a", "ingest-ask")
    first = ingest([ARTICLES], settings)
    assert len(first.added) == 5 and not first.rejected
    # The server holds what an embedded ingest of the same articles holds.
    assert Store(settings).state()["chunks"] == Store(bundled_settings).state()["chunks"] == first.chunks

    ans = Assistant(settings).answer("大连有效商标注册量是多少?")
    assert ans.answerable and ans.citations[0].doc_id.startswith("dalian")

    again = ingest([ARTICLES], settings)
    assert again.chunks == 0 and len(again.unchanged) == 5
    # Another replica with an empty data folder builds its keyword index from the server alone.
    other = Assistant(server_settings(server, tmp_path / "replica-b", "ingest-ask"))
    assert other.answer("大连有效商标注册量是多少?").answer == ans.answer


_INGEST_SCRIPT = """
import sys
from assistant.settings import Settings
from index.ingest import ingest_records
report = ingest_records([(sys.argv[1], sys.argv[2], {"title": "新闻"})], Settings())
print(report.summary())
"""


def test_another_process_ingest_is_noticed_within_refresh(server: ChromaServer, tmp_path: Path):
    collection = f"shared-{uuid.uuid4().hex[:8]}"
    settings = server_settings(server, tmp_path / "reader", collection)
    ingest_records(
        [("base", "青岛市2023年专利授权量达到两万件。青岛知识产权保护中心负责快速预审。", {})], settings
    )
    searcher = Searcher(settings, refresh_s=0.5)
    before = searcher.keyword
    assert all(h.doc_id == "base" for h in searcher.search("苏州商标质押融资", k=3))
    assert searcher.keyword is before, "an unchanged collection is not rebuilt per query"

    env = dict(
        os.environ,
        IP_ASSISTANT_DATA_DIR=str(tmp_path / "writer"),
        IP_ASSISTANT_CHROMA_HOST="127.0.0.1",
        IP_ASSISTANT_CHROMA_PORT=str(server.port),
        IP_ASSISTANT_CHROMA_COLLECTION=collection,
        PYTHONPATH=str(ROOT),
    )
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            _INGEST_SCRIPT,
            "suzhou",
            "苏州市2024年商标质押融资金额为三十亿元，同比增长一成。",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "added 1" in done.stdout

    deadline = time.monotonic() + 60  # the refresh runs at the lowest priority (index.refresher)
    hits = []
    while time.monotonic() < deadline and not any(h.doc_id == "suzhou" for h in hits):
        time.sleep(0.3)
        hits = searcher.search("苏州商标质押融资", k=3)
    assert hits and hits[0].doc_id == "suzhou"
    assert searcher.keyword is not before
    assert searcher.keyword.state["generation"] == before.state["generation"] + 1


def test_keyword_refresh_runs_in_a_process_of_its_own_at_the_lowest_priority(
    server: ChromaServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Before, the serving process rebuilt the index in a thread, holding the interpreter for
    seconds at a time while questions waited (bench_load --during-ingest, py-spy)."""
    import index.keyword as keyword

    collection = f"refresher-{uuid.uuid4().hex[:8]}"
    reader = server_settings(server, tmp_path / "reader", collection)
    writer = server_settings(server, tmp_path / "writer", collection)
    ingest_records([("base", "青岛市2023年专利授权量达到两万件。", {})], writer)
    searcher = Searcher(reader, refresh_s=0.2)
    before = searcher.keyword
    ingest_records([("suzhou", "苏州市2024年商标质押融资金额为三十亿元，同比增长一成。", {})], writer)
    built_here: list[int] = []
    original = keyword.build_from_store
    monkeypatch.setattr(
        keyword, "build_from_store", lambda *a, **k: built_here.append(1) or original(*a, **k)
    )
    deadline = time.monotonic() + 120
    hits = []
    while time.monotonic() < deadline and not any(h.doc_id == "suzhou" for h in hits):
        time.sleep(0.3)
        hits = searcher.search("苏州商标质押融资", k=3)
    assert hits and hits[0].doc_id == "suzhou", "the new document is found"
    assert searcher.keyword is not before and built_here == [], "built in another process"
    pid = searcher._refresher.pid if searcher._refresher else None
    assert pid is not None and os.getpriority(os.PRIO_PROCESS, pid) == 19
    assert os.sched_getscheduler(pid) == os.SCHED_BATCH
    searcher._refresher.close()


def test_unreachable_server_is_a_clear_error_within_the_timeout(tmp_path: Path):
    port = free_port()  # nothing listens there
    settings = Settings(
        data_dir=tmp_path / "data", chroma={"host": "127.0.0.1", "port": port, "timeout_s": 1.0, "retries": 1}
    )
    started = time.monotonic()
    with pytest.raises(StoreError, match=f"127.0.0.1:{port}"):
        Store(settings)
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("documents", [False, True])
def test_a_collection_naming_an_embedding_function_is_refused_before_chromadb_builds_it(
    server: ChromaServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, documents: bool
):
    """Anyone who can reach an unauthenticated `chroma run` can store a collection configuration
    that chromadb's client builds on add and query (GHSA-f4j7-r4q5-qw2c: a model repository with
    trust_remote_code): this assistant never sets one, so it refuses such a collection."""
    import httpx
    from chromadb.utils.embedding_functions import sentence_transformer_embedding_function as st

    built: list[object] = []
    monkeypatch.setattr(
        st.SentenceTransformerEmbeddingFunction, "__init__", lambda self, **k: built.append(k)
    )
    collection = f"planted-{uuid.uuid4().hex[:8]}"
    planted = {
        "type": "known",
        "name": "sentence_transformer",
        "config": {"model_name": "attacker/repo", "kwargs": {"trust_remote_code": True}},
    }
    url = f"{server.url}/api/v2/tenants/default_tenant/databases/default_database/collections"
    name = f"{collection}-documents" if documents else collection
    reply = httpx.post(url, json={"name": name, "configuration": {"embedding_function": planted}}, timeout=30)
    assert reply.status_code == 200, reply.text
    settings = server_settings(server, tmp_path / "data", collection)
    with pytest.raises(StoreError, match="embedding function"):
        ingest_records([("a", "青岛市2023年专利授权量达到两万件。", {})], settings)
    assert built == []
