"""Hybrid search: BM25 over search tokens and dense search in Chroma, fused by reciprocal rank."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from index.analysis import search_tokens
from index.embedders import Embedder, make_embedder
from index.keyword import KeywordIndex, open_keyword_index
from index.settings import IndexSettings
from index.store import Store, StoreError

logger = logging.getLogger(__name__)


@dataclass
class Hit:
    chunk_id: str
    text: str
    meta: dict[str, Any]
    score: float
    bm25: float = 0.0
    dense: float = 0.0
    ranks: dict[str, int] = field(default_factory=dict)

    @property
    def doc_id(self) -> str:
        return str(self.meta.get("doc_id", ""))


class Searcher:
    """Search over one index. Thread-safe; notices when the collection changes (generation)."""

    def __init__(
        self,
        settings: IndexSettings,
        store: Store | None = None,
        embedder: Embedder | None = None,
        refresh_s: float = 2.0,
    ) -> None:
        self.settings = settings
        self.store = store or Store(settings)
        self.embedder = embedder or make_embedder(settings.embedder)
        self.store.check_embedder(self.embedder.signature)
        self.refresh_s = refresh_s
        self._lock = threading.Lock()
        self._keyword = open_keyword_index(self.store)
        self._checked = time.monotonic()

    @property
    def keyword(self) -> KeywordIndex:
        """The keyword index, re-checked against Chroma's state at most every `refresh_s`."""
        if time.monotonic() - self._checked >= self.refresh_s:
            with self._lock:
                if time.monotonic() - self._checked >= self.refresh_s:
                    try:
                        self._keyword = open_keyword_index(self.store, self._keyword)
                    except StoreError as exc:
                        # The store is unreachable: keep the snapshot rather than fail here too, and
                        # wait refresh_s before trying again so each question pays the timeout once.
                        logger.warning("keyword index not refreshed: %s", exc)
                    self._checked = time.monotonic()
        return self._keyword

    def refresh(self) -> None:
        with self._lock:
            self._keyword = open_keyword_index(self.store, self._keyword)
            self._checked = time.monotonic()

    def search(
        self,
        query: str,
        k: int = 10,
        depth: int = 50,
        rrf_k: int = 60,
        dense_weight: float = 0.5,
        extra_tokens: tuple[str, ...] = (),
        token_weights: dict[str, float] | None = None,
        fusion: str = "score",
    ) -> list[Hit]:
        """Top `k` chunks for `query`.

        fusion "score": BM25 scores scaled to [0, 1] by the best one, plus dense_weight x cosine
        similarity: the dense ranking decides between passages BM25 scores alike, and brings in
        passages BM25 missed. fusion "rrf": reciprocal rank fusion with constant rrf_k."""
        keyword = self.keyword
        if not len(keyword):
            return []
        tokens = search_tokens(query) + tuple(extra_tokens)
        bm25 = keyword.search(tokens, depth, token_weights)
        dense: list[tuple[str, float]] = []
        if dense_weight > 0:
            dense = self.store.query(self.embedder.embed_query(query), min(depth, len(keyword)))
        top = bm25[0][1] if bm25 else 1.0
        fused: dict[int, Hit] = {}
        for rank, (pos, score) in enumerate(bm25):
            hit = fused.setdefault(pos, Hit(keyword.ids[pos], keyword.texts[pos], keyword.metas[pos], 0.0))
            hit.score += 1.0 / (rrf_k + rank + 1) if fusion == "rrf" else score / top
            hit.bm25 = score
            hit.ranks["bm25"] = rank + 1
        for rank, (cid, similarity) in enumerate(dense):
            where = keyword.position.get(cid)
            if where is None:  # written after our snapshot, or part of a half-written document
                continue
            hit = fused.setdefault(
                where, Hit(keyword.ids[where], keyword.texts[where], keyword.metas[where], 0.0)
            )
            hit.score += dense_weight * (
                1.0 / (rrf_k + rank + 1) if fusion == "rrf" else max(similarity, 0.0)
            )
            hit.dense = similarity
            hit.ranks["dense"] = rank + 1
        return sorted(fused.values(), key=lambda h: -h.score)[:k]

    def neighbours(self, hit: Hit, before: int = 1, after: int = 1) -> list[tuple[str, dict[str, Any]]]:
        """Texts of the chunks around `hit` in its document."""
        keyword = self.keyword
        out = []
        doc, chunk = hit.doc_id, int(hit.meta.get("chunk", 0))
        for i in range(chunk - before, chunk + after + 1):
            pos = keyword.position.get(f"{doc}#{i}")
            if pos is not None:
                out.append((keyword.texts[pos], keyword.metas[pos]))
        return out
