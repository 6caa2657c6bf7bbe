"""The Chroma store of an index: a chunk collection (vectors, texts, metadata) and a document
collection (each article's full original text and metadata). Chroma is the single source of truth;
everything else in the data folder is derived from it and can be rebuilt.

Collection metadata holds the embedder signature (vector spaces never mix) and a generation
number that every committed change bumps, so other processes can see that the collection changed.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import chromadb
import httpx
import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.collection_configuration import CreateHNSWConfiguration
from chromadb.api.models.Collection import Collection
from chromadb.config import Settings as ChromaClientSettings
from chromadb.errors import InternalError, RateLimitError

from index.collection_config import planted
from index.settings import IndexSettings

T = TypeVar("T")
logger = logging.getLogger(__name__)
STATUS_PENDING = "pending"
STATUS_READY = "ready"
# The chunk collection's HNSW graph, fixed when the collection is created (an existing collection
# keeps the settings it was made with). Chroma's defaults are ef_construction 100 and 16 neighbours;
# inserting into the graph was the largest single cost of ingest, and the dense ranking only settles
# near-ties of BM25 (fusion weight 0.2): a cheaper graph is measured to lose nothing (performance.md).
CHUNK_HNSW: CreateHNSWConfiguration = {"space": "cosine", "ef_construction": 40, "max_neighbors": 12}
# Document fields every chunk of a document shares: kept once, in the document record, joined into
# each chunk's metadata when chunks are read (older stores also hold them on each chunk).
DOCUMENT_FIELDS = ("title", "source", "published", "language", "region")


class StoreError(RuntimeError):
    """The store cannot be reached or is not usable as configured."""


class EmbedderMismatch(StoreError):
    """The index was built with another embedder than the one configured."""


@dataclass(frozen=True)
class StoredChunk:
    id: str
    text: str
    meta: dict[str, Any]


def make_client(settings: IndexSettings) -> ClientAPI:
    """An embedded client on the data folder, or an HTTP client of a Chroma server (chroma.host)."""
    if settings.chroma.host:
        return _http_client(settings)
    path = settings.data_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(
        path=str(path), settings=ChromaClientSettings(anonymized_telemetry=False, allow_reset=False)
    )


def _http_client(settings: IndexSettings) -> ClientAPI:
    """An HTTP client whose requests time out after chroma.timeout_s.

    chromadb 1.5's HttpClient builds its httpx session with timeout=None, so a server that accepts
    connections but stops answering (a paused process, a dead proxy) would hang a question forever.
    The session's timeout is set once the client exists; the requests its constructor makes are
    covered by a bounded heartbeat just before."""
    chroma = settings.chroma
    host = str(chroma.host)
    where = f"{'https' if chroma.ssl else 'http'}://{host}:{chroma.port}"
    last: Exception | None = None
    for attempt in range(1 + max(0, chroma.retries)):
        try:
            httpx.get(
                f"{where}/api/v2/heartbeat", headers=chroma.headers, timeout=chroma.timeout_s
            ).raise_for_status()
            client = chromadb.HttpClient(
                host=host,
                port=chroma.port,
                ssl=chroma.ssl,
                headers=dict(chroma.headers) or None,
                settings=ChromaClientSettings(anonymized_telemetry=False, allow_reset=False),
            )
            session = getattr(getattr(client, "_server", None), "_session", None)
            if isinstance(session, httpx.Client):
                session.timeout = httpx.Timeout(chroma.timeout_s)
            else:
                logger.warning("cannot bound Chroma requests: this chromadb has no httpx session")
            return client
        except _RETRYABLE as exc:
            last = exc
            time.sleep(min(2.0, 0.2 * (attempt + 1)))
        except Exception as exc:  # HTTP errors (auth), chromadb's ValueError/ChromaError variants
            raise StoreError(f"cannot use the Chroma server at {where}: {exc}") from exc
    raise StoreError(
        f"cannot reach the Chroma server at {where} "
        f"({1 + max(0, chroma.retries)} tries, {chroma.timeout_s:g} s each): {last}"
    ) from last


# Failures worth another try: the request never got an answer, or the server says try again.
_RETRYABLE: tuple[type[Exception], ...] = (httpx.TransportError, InternalError, RateLimitError)


class Store:
    def __init__(self, settings: IndexSettings, client: ClientAPI | None = None) -> None:
        self.settings = settings
        self.client = client or make_client(settings)
        self._max_batch: int | None = None
        name = settings.chroma.collection
        self.chunks: Collection = self._call(
            lambda: self.client.get_or_create_collection(
                name, configuration={"hnsw": CHUNK_HNSW}, embedding_function=None
            )
        )
        self.documents: Collection = self._call(
            lambda: self.client.get_or_create_collection(f"{name}-documents", embedding_function=None)
        )
        if problem := planted(self.chunks) or planted(self.documents):
            raise StoreError(problem)

    # -- resilience -----------------------------------------------------------------------

    def _call(self, fn: Callable[[], T]) -> T:
        """Run a Chroma call. Against a server, a request that fails in transport (refused,
        timed out, cut) or with a transient server error is retried chroma.retries times; every
        request is bounded by chroma.timeout_s, so a call never waits longer than about
        (1 + retries) * timeout_s. Failures become `StoreError` with the reason."""
        chroma = self.settings.chroma
        attempts = 1 + (max(0, chroma.retries) if chroma.host else 0)
        for attempt in range(attempts):
            try:
                return fn()
            except (ValueError, KeyError, TypeError):
                raise
            except _RETRYABLE as exc:
                if attempt + 1 >= attempts:
                    where = f" at {chroma.host}:{chroma.port}" if chroma.host else ""
                    raise StoreError(
                        f"the Chroma server{where} did not answer ({attempts} tries, "
                        f"{chroma.timeout_s:g} s each): {type(exc).__name__}: {exc}"
                    ) from exc
                time.sleep(min(2.0, 0.2 * (attempt + 1)))
            except Exception as exc:
                raise StoreError(f"Chroma request failed: {type(exc).__name__}: {exc}") from exc
        raise AssertionError("unreachable")

    # -- collection state -----------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        """Embedder signature, generation and chunk count, read fresh from Chroma."""
        collection = self._call(
            lambda: self.client.get_collection(self.settings.chroma.collection, embedding_function=None)
        )
        meta = dict(collection.metadata or {})
        return {
            "embedder": meta.get("embedder"),
            "generation": int(meta.get("generation", 0)),
            "chunks": self._call(collection.count),
            "reembedding": bool(meta.get("reembedding", False)),
        }

    def set_state(self, embedder: str, generation: int, reembedding: bool = False) -> None:
        """Record the embedder signature and generation; `reembedding` marks a collection whose
        documents are being embedded again from their stored texts (index.ingest.reembed)."""
        meta: dict[str, str | int | bool] = {"embedder": embedder, "generation": generation}
        if reembedding:
            meta["reembedding"] = True
        self._call(lambda: self.chunks.modify(metadata=meta))  # type: ignore[arg-type]

    def check_embedder(self, signature: str) -> None:
        state = self.state()
        if state["reembedding"] or (state["embedder"] and state["embedder"] != signature):
            if state["reembedding"] or upgradable(state["embedder"], signature):
                raise EmbedderMismatch(
                    f"this index was built with {state['embedder']!r}, an earlier version of the "
                    f"default embedder ({signature!r} now); `ip-assistant ingest` (or `make chat`) "
                    "embeds its documents again from their stored texts"
                )
            raise EmbedderMismatch(
                f"this index was built with embedder {state['embedder']!r}, but {signature!r} is "
                "configured; rebuild it with `ip-assistant ingest --rebuild` or switch back"
            )

    def reset_chunks(self) -> None:
        """Drop and recreate the chunk collection only (documents and their texts stay)."""
        name = self.settings.chroma.collection
        with contextlib.suppress(StoreError, ValueError):  # absent already
            self._call(functools.partial(self.client.delete_collection, name))
        self.__init__(self.settings, self.client)  # type: ignore[misc]

    def reset(self) -> None:
        """Drop both collections (for a rebuild with another embedder)."""
        name = self.settings.chroma.collection
        for collection in (name, f"{name}-documents"):
            with contextlib.suppress(StoreError, ValueError):  # absent already
                self._call(functools.partial(self.client.delete_collection, collection))
        self.__init__(self.settings, self.client)  # type: ignore[misc]

    # -- documents ------------------------------------------------------------------------

    def document_records(self) -> dict[str, dict[str, Any]]:
        """Every document's metadata, by id."""
        out: dict[str, dict[str, Any]] = {}
        for ids, metas, _ in self._pages(self.documents, include=["metadatas"]):
            for doc_id, meta in zip(ids, metas, strict=True):
                out[doc_id] = dict(meta or {})
        return out

    def document(self, doc_id: str) -> tuple[str, dict[str, Any]] | None:
        got = self._call(lambda: self.documents.get(ids=[doc_id], include=["documents", "metadatas"]))
        if not got["ids"]:
            return None
        return (got["documents"] or [""])[0] or "", dict((got["metadatas"] or [{}])[0] or {})

    def documents_with_texts(self, doc_ids: Sequence[str]) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """(id, full text, metadata) of the given documents, a page at a time."""
        for start in range(0, len(doc_ids), 500):
            part = list(doc_ids[start : start + 500])
            got = self._call(lambda: self.documents.get(ids=part, include=["documents", "metadatas"]))  # noqa: B023
            texts = got["documents"] or [""] * len(got["ids"])
            metas = got["metadatas"] or [{}] * len(got["ids"])
            for doc_id, text, meta in zip(got["ids"], texts, metas, strict=True):
                yield doc_id, text or "", dict(meta or {})

    def put_document(self, doc_id: str, text: str, meta: dict[str, Any]) -> None:
        self.put_documents([(doc_id, text, meta)])

    def put_documents(self, items: Sequence[tuple[str, str, dict[str, Any]]]) -> None:
        """Upsert documents (id, full text, metadata), in as few requests as Chroma accepts:
        each write is one SQLite transaction, so one per document made ingestion crawl."""
        batch = self._write_batch(embedded=1000, remote=200)
        for start in range(0, len(items), batch):
            part = items[start : start + batch]
            self._call(
                functools.partial(
                    self.documents.upsert,
                    ids=[doc_id for doc_id, _, _ in part],
                    documents=[text for _, text, _ in part],
                    metadatas=[_chroma_meta(meta) for _, _, meta in part],  # type: ignore[misc]
                    embeddings=np.ones((len(part), 1), dtype=np.float32),
                )
            )

    def update_documents(self, doc_ids: Sequence[str], meta: Sequence[dict[str, Any]]) -> None:
        """Merge metadata into existing documents (their text is not rewritten)."""
        if doc_ids:
            self._call(
                lambda: self.documents.update(ids=list(doc_ids), metadatas=[_chroma_meta(m) for m in meta])
            )

    def set_document_status(self, doc_ids: Sequence[str], status: str) -> None:
        """Set the status of stored documents; an update sends no text, unlike an upsert."""
        for start in range(0, len(doc_ids), 1000):
            part = list(doc_ids[start : start + 1000])
            self._call(
                functools.partial(self.documents.update, ids=part, metadatas=[{"status": status}] * len(part))
            )

    def delete_document(self, doc_id: str) -> None:
        # Mark it pending first: a crash between the two deletes leaves a document that the next
        # ingest rewrites (or prunes), never a "ready" document without its chunks.
        self.update_documents([doc_id], [{"status": STATUS_PENDING}])
        self.delete_chunks_of(doc_id)
        self._call(lambda: self.documents.delete(ids=[doc_id]))

    # -- chunks ---------------------------------------------------------------------------

    def delete_chunks_of(self, *doc_ids: str) -> None:
        for start in range(0, len(doc_ids), 500):
            part = list(doc_ids[start : start + 500])
            where: dict[str, Any] = {"doc_id": part[0]} if len(part) == 1 else {"doc_id": {"$in": part}}
            self._call(functools.partial(self.chunks.delete, where=where))  # type: ignore[arg-type]

    def delete_chunks_of_many(self, doc_ids: Sequence[str]) -> None:
        self.delete_chunks_of(*doc_ids)

    def add_chunks(
        self,
        ids: Sequence[str],
        texts: Sequence[str],
        metas: Sequence[dict[str, Any]],
        embeddings: Sequence[Sequence[float]] | Any,
    ) -> None:
        """Add chunks through llama-index's ChromaVectorStore, in batches we size ourselves: its
        own batch (41,665) is larger than some SQLite builds accept (llama_index #20142)."""
        from llama_index.core.schema import BaseNode, NodeRelationship, RelatedNodeInfo, TextNode
        from llama_index.vector_stores.chroma import ChromaVectorStore

        vector_store = ChromaVectorStore(chroma_collection=self.chunks)
        batch = self._write_batch(embedded=5000, remote=1000)
        vectors = np.asarray(embeddings, dtype=np.float32)
        for start in range(0, len(ids), batch):
            nodes: list[BaseNode] = [
                TextNode(
                    id_=ids[i],
                    text=texts[i],
                    metadata=_chroma_meta(metas[i]),
                    embedding=vectors[i].tolist(),
                    # llama-index writes the source document's id into the "doc_id" metadata key.
                    relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=str(metas[i]["doc_id"]))},
                )
                for i in range(start, min(start + batch, len(ids)))
            ]
            self._call(functools.partial(vector_store.add, nodes))

    def _write_batch(self, embedded: int, remote: int) -> int:
        """Items per write. Against a server each request must finish within chroma.timeout_s, so
        requests stay smaller; a retried add is harmless (Chroma skips ids it already holds)."""
        return max(1, min(self.max_batch(), remote if self.settings.chroma.host else embedded))

    def max_batch(self) -> int:
        if self._max_batch is None:
            try:
                self._max_batch = int(self.client.get_max_batch_size())
            except Exception:  # older servers do not say
                self._max_batch = 1000
        return self._max_batch

    def all_chunks(self) -> Iterator[StoredChunk]:
        """Every chunk with its text and metadata, the document fields (title, source, ...) joined
        in from its document's record."""
        shared: dict[str, dict[str, Any]] = {}
        for doc_id, record in self.document_records().items():
            shared[doc_id] = {k: record[k] for k in DOCUMENT_FIELDS if record.get(k, "") != ""}
        for ids, metas, docs in self._pages(self.chunks, include=["metadatas", "documents"]):
            for cid, meta, text in zip(ids, metas, docs, strict=True):
                plain = _plain_meta(meta)
                yield StoredChunk(cid, text or "", shared.get(str(plain.get("doc_id", "")), {}) | plain)

    def chunk_doc_ids(self) -> set[str]:
        """The documents that chunks belong to, read from the chunks' metadata alone."""
        found: set[str] = set()
        for _, metas, _ in self._pages(self.chunks, include=["metadatas"]):
            found.update(str(_plain_meta(m).get("doc_id", "")) for m in metas)
        return found

    def query(self, vector: Sequence[float], k: int) -> list[tuple[str, float]]:
        """Nearest chunks to `vector`: (id, cosine similarity)."""
        if k <= 0:
            return []
        got = self._call(
            lambda: self.chunks.query(
                query_embeddings=np.asarray([vector], dtype=np.float32), n_results=k, include=["distances"]
            )
        )
        ids = (got["ids"] or [[]])[0]
        distances = (got.get("distances") or [[]])[0] or [0.0] * len(ids)
        return [(cid, 1.0 - float(d)) for cid, d in zip(ids, distances, strict=True)]

    def _pages(
        self, collection: Collection, include: list[str], page: int = 5000
    ) -> Iterator[tuple[list[str], list[Any], list[Any]]]:
        offset = 0
        while True:
            got = self._call(functools.partial(collection.get, include=include, limit=page, offset=offset))  # type: ignore[arg-type]
            ids = got["ids"]
            if not ids:
                return
            none: list[Any] = [None] * len(ids)
            metas: list[Any] = list(got.get("metadatas") or none)
            docs: list[Any] = list(got.get("documents") or none)
            yield list(ids), list(metas), list(docs)
            if len(ids) < page:
                return
            offset += len(ids)


def upgradable(stored: str | None, configured: str) -> bool:
    """Whether an index of embedder `stored` can be brought to `configured` by embedding its stored
    texts again, without asking: both are the hashing embedder, `stored` an earlier version."""
    old, new = (
        re.fullmatch(r"hashing-v(\d+)-\d+", stored or ""),
        re.fullmatch(r"hashing-v(\d+)-\d+", configured),
    )
    return bool(old and new and int(old.group(1)) < int(new.group(1)))


def _chroma_meta(meta: dict[str, Any]) -> dict[str, str | int | float | bool]:
    """Chroma accepts only str, int, float and bool metadata values."""
    return {k: v for k, v in meta.items() if isinstance(v, (str, int, float, bool))}


_LLAMA_KEYS = ("_node_content", "_node_type", "document_id", "doc_id_", "ref_doc_id")


def _plain_meta(meta: Any) -> dict[str, Any]:
    """Chunk metadata without the bookkeeping keys llama-index adds."""
    return {k: v for k, v in dict(meta or {}).items() if k not in _LLAMA_KEYS}
