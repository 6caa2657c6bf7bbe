"""How an ingest's chunks get their vectors when embedding is the slow part (e5: a few chunks per
second per core): from the embedding cache when their text was embedded before, else from worker
processes that embed documents ahead of the writer while it writes Chroma.

Processes, not threads: the model runs one text per call on one core, so two cores need two
processes. The writer receives documents in their original order, with `vectors` filled.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from index.embedders import Embedder, make_embedder
from index.embedders.cache import FILE_NAME, EmbeddingCache
from index.settings import EmbedderSettings, IndexSettings

T = TypeVar("T")
POOL_MIN_CHUNKS = 16  # fewer chunks to embed are embedded here: a worker takes ~1 s to start
AHEAD_CHUNKS = 256  # chunks submitted to the workers beyond what the writer has taken


class CachedEmbedder:
    """An embedder whose document vectors are looked up in an EmbeddingCache before being computed."""

    def __init__(self, inner: Embedder, cache: EmbeddingCache) -> None:
        self.inner, self.cache = inner, cache

    @property
    def signature(self) -> str:
        return self.inner.signature

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return embed_missing(self.inner, self.cache, texts).tolist()  # type: ignore[no-any-return]

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


def cached(embedder: Embedder, settings: IndexSettings) -> Embedder:
    """`embedder` with the data folder's embedding cache, for the embedders that are slower than a
    lookup (all but the hashing one)."""
    if getattr(embedder, "signature", "").startswith("hashing") or isinstance(embedder, CachedEmbedder):
        return embedder
    return CachedEmbedder(embedder, EmbeddingCache(Path(settings.data_dir) / FILE_NAME, embedder.signature))


def embed_missing(embedder: Embedder, cache: EmbeddingCache, texts: list[str]) -> np.ndarray:
    known = cache.get(texts)
    missing = [i for i, v in enumerate(known) if v is None]
    if missing:
        fresh = np.asarray(embedder.embed_documents([texts[i] for i in missing]), dtype=np.float32)
        cache.put([texts[i] for i in missing], fresh)
        for i, vector in zip(missing, fresh, strict=True):
            known[i] = vector
    return np.asarray(known, dtype=np.float32).reshape(len(texts), -1)


@dataclasses.dataclass
class _Entry:
    item: Any
    texts: list[str] = dataclasses.field(default_factory=list)
    known: list[np.ndarray | None] = dataclasses.field(default_factory=list)
    missing: list[int] = dataclasses.field(default_factory=list)
    future: Future[Any] | None = None
    embed: bool = False  # False: passed to the writer as it came


def embedded_ahead(items: Iterable[T], embedder: Embedder) -> Iterator[T]:
    """`items` in order, prepared documents (items with `text` and `spans`) given their chunks'
    vectors, for an in-process embedder behind a cache (CachedEmbedder); anything else passes as is
    and is embedded by the writer."""
    inner = getattr(embedder, "inner", None)
    if not isinstance(embedder, CachedEmbedder) or not getattr(inner, "in_process", False):
        yield from items
        return
    pool = _Pool(getattr(inner, "settings", EmbedderSettings()), embedder)
    pending: deque[_Entry] = deque()
    try:
        for item in items:
            spans = getattr(item, "spans", None)
            if not spans or getattr(item, "vectors", None) is not None:
                pending.append(_Entry(item))
            else:
                text: str = item.text  # type: ignore[attr-defined]
                texts = [text[s.start : s.end] for s in spans]
                known = embedder.cache.get(texts)
                missing = [i for i, v in enumerate(known) if v is None]
                future = pool.submit([texts[i] for i in missing]) if missing else None
                pending.append(_Entry(item, texts, known, missing, future, embed=True))
            while pending and (pool.in_flight > AHEAD_CHUNKS or _ready(pending[0].future)):
                yield _finished(pending.popleft(), embedder, pool)
        while pending:
            yield _finished(pending.popleft(), embedder, pool)
    finally:
        pool.close()


def _ready(future: Future[Any] | None) -> bool:
    return future is None or future.done()


def _finished(entry: _Entry, embedder: CachedEmbedder, pool: _Pool) -> Any:
    if not entry.embed:
        return entry.item
    known, missing = entry.known, entry.missing
    if missing:
        fresh = pool.result(entry.future, [entry.texts[i] for i in missing])
        embedder.cache.put([entry.texts[i] for i in missing], fresh)
        for i, vector in zip(missing, fresh, strict=True):
            known[i] = vector
    return dataclasses.replace(entry.item, vectors=np.asarray(known, dtype=np.float32))


class _Pool:
    """Worker processes started on the first `POOL_MIN_CHUNKS` chunks to embed; below that (or on
    one core) the chunks are embedded in this process."""

    def __init__(self, settings: EmbedderSettings, embedder: CachedEmbedder) -> None:
        self.settings, self.embedder = settings, embedder
        self.workers = settings.workers or os.cpu_count() or 1
        self.executor: ProcessPoolExecutor | None = None
        self.queued = 0  # chunks waiting for a pool not started yet
        self.in_flight = 0

    def submit(self, texts: list[str]) -> Future[Any] | None:
        self.queued += len(texts)
        if self.executor is None and self.workers > 1 and self.queued >= POOL_MIN_CHUNKS:
            self.executor = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(self.settings.model_dump(),),
            )
        if self.executor is None:
            return None
        self.in_flight += len(texts)
        return self.executor.submit(_embed, texts)

    def result(self, future: Future[Any] | None, texts: list[str]) -> np.ndarray:
        if future is None:  # not sent to a worker: embed here
            return np.asarray(self.embedder.inner.embed_documents(texts), dtype=np.float32)
        self.in_flight -= len(texts)
        return future.result()  # type: ignore[no-any-return]

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)


_worker: Embedder | None = None


def _start_worker(settings: dict[str, Any]) -> None:
    global _worker
    os.environ["OMP_NUM_THREADS"] = "1"
    _worker = make_embedder(EmbedderSettings(**settings))


def _embed(texts: list[str]) -> np.ndarray:
    assert _worker is not None
    return np.asarray(_worker.embed_documents(texts), dtype=np.float32)
