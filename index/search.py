"""Hybrid search: BM25 over search tokens and dense search in Chroma, fused by reciprocal rank."""

from __future__ import annotations

import logging
import math
import threading
import time
import weakref
from dataclasses import dataclass, field
from typing import Any

from index import reranking
from index.analysis import search_tokens
from index.crossing import Crossing
from index.embedders import Embedder, make_embedder
from index.keyword import KeywordIndex, collection_state, load_saved, open_keyword_index
from index.metadata import detect_language
from index.normalize import to_simplified, to_traditional
from index.refresher import Refresher
from index.settings import IndexSettings
from index.store import Store, StoreError

logger = logging.getLogger(__name__)
# Best of 0.2-3.0 on the validation articles of CMRC and DRCD dev together, whole collections, e5
# (docs/performance.md).
SCALED_DENSE_WEIGHT = 0.7
# The hashing embedder's fusion: BM25 share + this x cosine. Its vectors hold the glossary's
# concepts, so its cosines cross languages: with a neural embedder they rank another language's
# passages (docs/performance.md).
HASHING_DENSE_WEIGHT = 0.2
# A chunk shorter than about one sentence (a heading, a byline, a lead-in such as "X强调:") gets
# that fraction of its scaled dense part: e5 rates such a fragment on the names it shares with the
# question, though it holds no answer (docs/performance.md).
DENSE_FULL_CHARS = 30
# A Chinese passage is compared with the question written in the passage's script: e5 prefers the
# question's own script by about as much as its cosines spread (docs/performance.md).
SCRIPTS = {"zh-Hans": to_simplified, "zh-Hant": to_traditional}


@dataclass
class Hit:
    chunk_id: str
    text: str
    meta: dict[str, Any]
    score: float
    bm25: float = 0.0
    dense: float = 0.0
    ranks: dict[str, int] = field(default_factory=dict)
    # The hashing embedder's cosine where `dense` is another embedder's (set by Searcher.search for
    # the dense hits it returns): the scale the answer selector was trained on.
    hashing_dense: float | None = None
    # What the hashing embedder's fusion would score this chunk (its BM25 share + HASHING_DENSE_WEIGHT
    # x hashing_dense) where the ranking is another embedder's: see `base_score`.
    hashing_score: float | None = None

    @property
    def doc_id(self) -> str:
        return str(self.meta.get("doc_id", ""))

    @property
    def base_dense(self) -> float:
        """The dense similarity on the default (hashing) embedder's scale. e5's cosines sit higher
        (about 0.65-1.0): read as hashing cosines they make the selector surer of any answer
        (docs/performance.md, session 7)."""
        return self.dense if self.hashing_dense is None else self.hashing_dense

    @property
    def base_score(self) -> float:
        """The fused score on the default (hashing) fusion's scale, which answering reads (the rules'
        candidate scores and the selector were set on it). e5's scaled fusion can put a chunk that it
        alone prefers up to 0.7 above the one BM25 ranks first: read on the hashing scale, answering
        quoted that chunk's near-miss sentence (docs/performance.md, session 10)."""
        return self.score if self.hashing_score is None else self.hashing_score


class Searcher:
    """Search over one index. Thread-safe; notices when the collection changes (generation).

    Questions never wait for a keyword index to be rebuilt after an ingest: the rebuild runs in the
    background and the new index replaces the old one when it is ready. Over a Chroma server it
    runs in a process of its own at the lowest CPU priority (index.refresher), so that it takes
    neither the interpreter nor the cores from the questions; over an embedded store, in a thread.

    A `follow`ing Searcher (an answering process of assistant.pool) never refreshes by itself: it
    starts from the index saved in the data folder and takes a newer saved one when told to
    (`adopt_saved`); another process's Searcher keeps that one fresh."""

    def __init__(
        self,
        settings: IndexSettings,
        store: Store | None = None,
        embedder: Embedder | None = None,
        refresh_s: float = 2.0,
        *,
        follow: bool = False,
    ) -> None:
        self.settings = settings
        self.store = store or Store(settings)
        self.embedder = embedder or make_embedder(settings.embedder)
        self.store.check_embedder(self.embedder.signature)
        self.refresh_s = math.inf if follow else refresh_s
        self._build_lock = threading.Lock()  # one build at a time
        self._worker_lock = threading.Lock()
        self._worker: threading.Thread | None = None
        saved = load_saved(self.store) if follow else None
        self._keyword = saved or open_keyword_index(self.store)
        self._next_check = time.monotonic() + self.refresh_s
        self._refresher = Refresher(settings) if settings.chroma.host and not follow else None
        self._languages: tuple[KeywordIndex | None, frozenset[str]] = (None, frozenset())
        if self._refresher is not None:
            weakref.finalize(self, self._refresher.close)

    @property
    def keyword(self) -> KeywordIndex:
        """The keyword index. It reads private copies of its files (index.mapped), so nothing done
        to the cache on disk reaches it and it needs no check per use; Chroma's state is looked at
        at most every `refresh_s`, by a background rebuild."""
        if time.monotonic() >= self._next_check:
            self._start_worker()
        return self._keyword

    def damage(self) -> str | None:
        """Why the keyword cache on disk is not as written (None when it is). The index in use is
        not affected (it reads its own copies); the cache is written again in the background."""
        problem = self._keyword.damage()
        if problem is not None:
            self._start_worker(now=True)
        return problem

    def refresh(self) -> None:
        """Bring the keyword index up to date now (after this process changed the collection)."""
        self._rebuild()
        self._next_check = time.monotonic() + self.refresh_s

    def adopt_saved(self) -> dict[str, Any]:
        """Use the index saved in the data folder when it is another than the one in use (a
        follower's refresh); the state of the index in use afterwards."""
        fresh = load_saved(self.store)
        if fresh is not None and fresh.state != self._keyword.state:
            self._keyword = fresh
        return self._keyword.state

    def _rebuild(self) -> None:
        with self._build_lock:
            self._keyword = open_keyword_index(self.store, self._keyword)

    def _start_worker(self, now: bool = False) -> None:
        with self._worker_lock:
            if self._worker is not None and self._worker.is_alive():
                return
            if not now and time.monotonic() < self._next_check:
                return
            self._next_check = float("inf")  # set again when this rebuild ends
            self._worker = threading.Thread(target=self._refresh_worker, name="keyword-refresh", daemon=True)
            self._worker.start()

    def _refresh_elsewhere(self, refresher: Refresher) -> None:
        """Have the refreshing process save an up-to-date index, then open it from the folder."""
        current = self._keyword
        if current.state == collection_state(self.store) and current.damage() is None:
            return
        saved = refresher.refresh()
        fresh = load_saved(self.store)
        if fresh is not None and fresh.state == saved:
            self._keyword = fresh

    def _refresh_worker(self) -> None:
        started = time.monotonic()
        try:
            if self._refresher is not None:
                self._refresh_elsewhere(self._refresher)
            else:
                self._rebuild()
        except StoreError as exc:
            # The store is unreachable: keep the snapshot, try again after refresh_s.
            logger.warning("keyword index not refreshed: %s", exc)
        except Exception:
            logger.exception("keyword index not refreshed")
        finally:
            # A rebuild that took long waits as long again before the next: during a long ingest
            # rebuilds take at most about half a core from the questions.
            self._next_check = time.monotonic() + max(self.refresh_s, time.monotonic() - started)

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
        """Top `k` chunks for `query`, BM25 and dense search fused (see `fuse`)."""
        found = self.candidates(query, depth, extra_tokens, token_weights, dense_weight > 0)
        form = "scaled" if fusion == "learned" else fusion
        crossing = Crossing(query)
        hits = fuse(*found, fusion=form, dense_weight=dense_weight, rrf_k=rrf_k, crossing=crossing)
        if fusion == "learned":
            hits = _learned(found[0], hits, found[3], self.embedder.signature, crossing)
        hits = hits[:k]
        if not self.embedder.signature.startswith("hashing"):
            top = found[1][0][1] if found[1] else 1.0
            for hit, cosine in zip(hits, crossing.of(hits), strict=True):
                if "dense" in hit.ranks:
                    hit.hashing_dense = cosine
                hit.hashing_score = hit.bm25 / top + HASHING_DENSE_WEIGHT * max(cosine, 0.0)
        return hits

    def candidates(
        self,
        query: str,
        depth: int = 50,
        extra_tokens: tuple[str, ...] = (),
        token_weights: dict[str, float] | None = None,
        dense: bool = True,
    ) -> tuple[KeywordIndex, list[tuple[int, float]], list[tuple[str, float]], str]:
        """What `fuse` ranks: the keyword index, its BM25 hits, the dense hits (when `dense`) and the
        query's language."""
        keyword = self.keyword
        if not len(keyword):
            return keyword, [], [], ""
        tokens = search_tokens(query) + tuple(extra_tokens)
        bm25 = keyword.search(tokens, depth, token_weights)
        near: list[tuple[str, float]] = []
        language = detect_language(query) if query.strip() else ""
        if dense:
            near = self.store.query(self.embedder.embed_query(query), min(depth, len(keyword)))
            if language in SCRIPTS and not self.embedder.signature.startswith("hashing"):
                near = self._in_passage_script(keyword, query, language, near, min(depth, len(keyword)))
        return keyword, bm25, near, language

    def _in_passage_script(
        self, keyword: KeywordIndex, query: str, language: str, near: list[tuple[str, float]], depth: int
    ) -> list[tuple[str, float]]:
        """`near` with the passages of the other Chinese script compared with `query` written in
        their script (a neural embedder rates a passage higher for sharing the question's script)."""
        other = next(s for s in SCRIPTS if s != language)
        written = SCRIPTS[other](query)
        if written == query or other not in self._index_languages(keyword):
            return near

        def script(cid: str) -> str:
            where = keyword.position.get(cid)
            return "" if where is None else str(keyword.metas[where].get("language", ""))

        theirs = self.store.query(self.embedder.embed_query(written), depth)
        mixed = [(c, s) for c, s in near if script(c) != other] + [
            (c, s) for c, s in theirs if script(c) == other
        ]
        return sorted(mixed, key=lambda pair: -pair[1])[:depth]

    def _index_languages(self, keyword: KeywordIndex) -> frozenset[str]:
        """The languages of `keyword`'s passages (looked at once per keyword index)."""
        seen, languages = self._languages
        if seen is not keyword:
            languages = frozenset(str(m.get("language", "")) for m in keyword.metas)
            self._languages = (keyword, languages)
        return languages

    def fusion_defaults(self) -> tuple[str, float]:
        """The fusion and dense weight measured best for this embedder (docs/performance.md): the
        hashing embedder's cosines settle near-ties of BM25; a neural embedder's sit in a narrow
        band (e5: about 0.65-1.0), so they are min-max scaled and weigh more; for the embedder the
        shipped learned order was fitted for (e5) that order, which answered no bundled set worse than
        hashing and CMRC's held-out articles 2.4 points better (docs/performance.md, session 10)."""
        if self.embedder.signature.startswith("hashing"):
            return "score", HASHING_DENSE_WEIGHT
        model = reranking.shipped()
        if model is not None and model.meta.get("embedder") == self.embedder.signature:
            return "learned", SCALED_DENSE_WEIGHT
        return "scaled", SCALED_DENSE_WEIGHT

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


def fuse(
    keyword: KeywordIndex,
    bm25: list[tuple[int, float]],
    dense: list[tuple[str, float]],
    language: str = "",
    *,
    fusion: str = "score",
    dense_weight: float = 0.5,
    rrf_k: int = 60,
    query: str = "",
    crossing: Crossing | None = None,
) -> list[Hit]:
    """BM25 hits (keyword positions) and dense hits (chunk ids, cosine similarity), best first.

    fusion "score": BM25 scores scaled to [0, 1] by the best one, plus dense_weight x cosine
    similarity: the dense ranking decides between passages BM25 scores alike, and brings in
    passages BM25 missed. "scaled": the same with the cosines min-max scaled over the dense hits
    in the question's language (`language`; Chinese scripts count as one); a passage in another
    language is scored as the hashing fusion scores it (its BM25 share + HASHING_DENSE_WEIGHT x
    the hashing embedder's cosine, times 1 + dense_weight), and not at all when BM25 did not find
    it. A neural embedder prefers the question's own language (alone it ranks an unrelated
    same-language passage first) and its cross-language cosines order passages badly
    (docs/performance.md).
    A chunk shorter than DENSE_FULL_CHARS gets that fraction of its scaled part (and does not
    set the scale). "rrf": reciprocal rank fusion with constant rrf_k. ("learned", Searcher.search:
    "scaled", then its top reordered by index.reranking.) `crossing`: the hashing cosines to the
    question, shared with the caller (by default of `query`)."""
    crossing = crossing or Crossing(query)
    top = bm25[0][1] if bm25 else 1.0
    fused: dict[int, Hit] = {}
    for rank, (pos, score) in enumerate(bm25):
        hit = fused.setdefault(pos, Hit(keyword.ids[pos], keyword.texts[pos], keyword.metas[pos], 0.0))
        hit.score += 1.0 / (rrf_k + rank + 1) if fusion == "rrf" else score / top
        hit.bm25 = score
        hit.ranks["bm25"] = rank + 1
    if fusion == "scaled" and language:
        # Another language's passages: e5's cosines to the question are not comparable with its own
        # language's; the hashing embedder's, through the glossary's concepts, are.
        others = [h for h in fused.values() if _other_language(h.meta, language)]
        for hit, cosine in zip(others, crossing.of(others), strict=True):
            hit.score = (1.0 + dense_weight) * (hit.score + HASHING_DENSE_WEIGHT * max(cosine, 0.0))
        metas = [keyword.metas[w] if (w := keyword.position.get(c)) is not None else {} for c, _ in dense]
        dense = [pair for pair, meta in zip(dense, metas, strict=True) if not _other_language(meta, language)]
    weights = _fragment_weights(keyword, dense) if fusion == "scaled" else {}
    full = [s for c, s in dense if weights.get(c, 1.0) == 1.0] or [s for _, s in dense]
    low, high = (min(full), max(full)) if full else (0.0, 1.0)
    for rank, (cid, similarity) in enumerate(dense):
        where = keyword.position.get(cid)
        if where is None:  # written after our snapshot, or part of a half-written document
            continue
        if fusion == "rrf":
            part = 1.0 / (rrf_k + rank + 1)
        elif fusion == "scaled":
            scaled = (similarity - low) / ((high - low) or 1.0)
            part = min(max(scaled, 0.0), 1.0) * weights.get(cid, 1.0)
        else:
            part = max(similarity, 0.0)
        hit = fused.setdefault(
            where, Hit(keyword.ids[where], keyword.texts[where], keyword.metas[where], 0.0)
        )
        hit.score += dense_weight * part
        hit.dense = similarity
        hit.ranks["dense"] = rank + 1
    return sorted(fused.values(), key=lambda h: -h.score)


def _learned(
    keyword: KeywordIndex, hits: list[Hit], language: str, signature: str, crossing: Crossing
) -> list[Hit]:
    """`hits` with the top reranking.TOP_N of the question's language in the order of the learned
    fusion (index.reranking), where the model was fitted for the embedder of `signature`."""
    top = hits[: reranking.TOP_N]
    cosines = crossing.of(top)
    own = [not language or not _other_language(h.meta, language) for h in top]
    model = reranking.shipped()
    if model is None or model.meta.get("embedder") != signature or sum(own) < 2:
        return hits
    scores = model.scores(reranking.features(keyword, top, crossing.query, cosines))
    return reranking.reordered(top, scores, own) + hits[reranking.TOP_N :]


def _other_language(meta: dict[str, Any], language: str) -> bool:
    """Whether a passage (its metadata) is in another language than `language`, the question's;
    Simplified and Traditional Chinese count as one."""
    return (meta.get("language") == "en") != (language == "en")


def _fragment_weights(keyword: KeywordIndex, dense: list[tuple[str, float]]) -> dict[str, float]:
    """Chunk id -> the share of its dense part a chunk shorter than DENSE_FULL_CHARS keeps."""
    out = {}
    for cid, _ in dense:
        where = keyword.position.get(cid)
        if where is not None:
            size = len(keyword.texts[where].strip())
            if size < DENSE_FULL_CHARS:
                out[cid] = size / DENSE_FULL_CHARS
    return out
