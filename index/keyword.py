"""The keyword index: BM25 (bm25s) over search tokens of every chunk, beside Chroma.

It is derived data: a snapshot of the chunk collection (texts, metadata, tokens) plus the BM25
matrices, persisted in the data folder with the collection state it was built from. When Chroma's
generation or chunk count differs, it is rebuilt from Chroma. It is never rebuilt per query.
"""

from __future__ import annotations

import contextlib
import functools
import json
import pickle
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bm25s
import numpy as np

from index.analysis import fingerprint, search_tokens
from index.store import STATUS_READY, Store

_FORMAT = 2


@dataclass
class KeywordIndex:
    state: dict[str, Any]
    ids: list[str]
    texts: list[str]
    metas: list[dict[str, Any]]
    retriever: bm25s.BM25 | None
    vocab: dict[str, int] = field(default_factory=dict)
    token_lists: list[tuple[str, ...]] = field(default_factory=list)  # search tokens of each chunk
    position: dict[str, int] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.position = {cid: i for i, cid in enumerate(self.ids)}

    def __len__(self) -> int:
        return len(self.ids)

    def search(
        self, tokens: list[str] | tuple[str, ...], k: int, weights: dict[str, float] | None = None
    ) -> list[tuple[int, float]]:
        """Top chunks for query tokens: (position, BM25 score). `weights` scales single tokens."""
        if self.retriever is None or not self.ids:
            return []
        known = [t for t in dict.fromkeys(tokens) if t in self.vocab]
        if not known:
            return []
        scores = np.zeros(len(self.ids), dtype=np.float32)
        for token in known:
            scores += np.asarray(self.retriever.get_scores([token]), dtype=np.float32) * float(
                (weights or {}).get(token, 1.0)
            )
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]

    def idf(self, token: str) -> float:
        """Inverse document frequency of a token over the chunks (0 for unknown tokens)."""
        if self.retriever is None or token not in self.vocab:
            return 0.0
        n = len(self.ids)
        df = self.document_frequency.get(token, 0)
        return float(np.log(1 + (n - df + 0.5) / (df + 0.5)))

    @functools.cached_property
    def document_frequency(self) -> dict[str, int]:
        """How many chunks hold each token."""
        counts: dict[str, int] = {}
        for tokens in self.token_lists:
            for t in set(tokens):
                counts[t] = counts.get(t, 0) + 1
        return counts


def _build(
    state: dict[str, Any],
    ids: list[str],
    texts: list[str],
    metas: list[dict[str, Any]],
    token_lists: list[tuple[str, ...]] | None = None,
) -> KeywordIndex:
    if token_lists is None:
        token_lists = [_analysed(t) for t in texts]
    retriever: bm25s.BM25 | None = None
    vocab: dict[str, int] = {}
    if ids:
        vocab = {}
        for tokens in token_lists:
            for t in tokens:
                vocab.setdefault(t, len(vocab))
        empty = np.array([vocab.setdefault("\0", len(vocab))], dtype=np.int32)
        # One int32 array a chunk: lists of Python ints cost about 36 bytes a token (680 MB at
        # 100k chunks) while the index is built.
        corpus = [
            np.fromiter((vocab[t] for t in tokens), dtype=np.int32, count=len(tokens)) if tokens else empty
            for tokens in token_lists
        ]
        retriever = bm25s.BM25(k1=1.2, b=0.75)
        retriever.index(bm25s.tokenization.Tokenized(ids=corpus, vocab=vocab), show_progress=False)
    return KeywordIndex(state, ids, texts, metas, retriever, vocab, token_lists)


def _state(store: Store) -> dict[str, Any]:
    """What a keyword index must match: Chroma's state and the text analysis it was built with."""
    return store.state() | {"analysis": fingerprint()}


def build_from_store(store: Store, previous: KeywordIndex | None = None) -> KeywordIndex:
    """A fresh index of the store's ready chunks. Chunks whose text is unchanged since `previous`
    keep their search tokens: analysing text is most of the cost (about 5 ms a chunk), so after an
    ingest only the new chunks are analysed."""
    state = _state(store)
    if previous is not None and previous.state.get("analysis") != state["analysis"]:
        previous = None  # tokens of another analysis are of no use
    ready = {d for d, m in store.document_records().items() if m.get("status") == STATUS_READY}
    ids, texts, metas, tokens = [], [], [], []
    old = previous if previous is not None and len(previous.token_lists) == len(previous.ids) else None
    for chunk in store.all_chunks():
        if chunk.meta.get("doc_id") in ready:  # chunks of a half-written document stay out
            ids.append(chunk.id)
            texts.append(chunk.text)
            metas.append(chunk.meta)
            pos = old.position.get(chunk.id) if old is not None else None
            if old is not None and pos is not None and old.texts[pos] == chunk.text:
                tokens.append(old.token_lists[pos])
            else:
                tokens.append(_analysed(chunk.text))
    return _build(state, ids, texts, metas, tokens)


def _analysed(text: str) -> tuple[str, ...]:
    """Search tokens of a chunk, interned: a token occurs in thousands of chunks, and one string
    object per occurrence made the token lists most of a large index's memory (about 9 KB a chunk)."""
    return tuple(map(sys.intern, search_tokens(text)))


def _folder(store: Store) -> Path:
    s = store.settings
    where = f"{s.chroma.host}-{s.chroma.port}" if s.chroma.host else "local"
    return s.data_dir / "keyword" / f"{where}-{s.chroma.collection}"


def save(index: KeywordIndex, folder: Path) -> None:
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".tmp-"))
    with open(tmp / "snapshot.pkl", "wb") as f:
        pickle.dump(
            {
                "format": _FORMAT,
                "state": index.state,
                "ids": index.ids,
                "texts": index.texts,
                "metas": index.metas,
                "vocab": index.vocab,
                "tokens": index.token_lists,
            },
            f,
            protocol=pickle.HIGHEST_PROTOCOL,
        )
    if index.retriever is not None:
        index.retriever.save(str(tmp / "bm25"))
    (tmp / "state.json").write_text(json.dumps(index.state))
    old = folder.with_name(folder.name + ".old")
    if folder.exists():
        shutil.rmtree(old, ignore_errors=True)
        folder.rename(old)
    tmp.rename(folder)
    shutil.rmtree(old, ignore_errors=True)


def load(folder: Path) -> KeywordIndex | None:
    try:
        with open(folder / "snapshot.pkl", "rb") as f:
            data = pickle.load(f)
        if data.get("format") != _FORMAT:
            return None
        retriever = bm25s.BM25.load(str(folder / "bm25")) if data["ids"] else None
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, KeyError):
        return None
    return KeywordIndex(
        data["state"], data["ids"], data["texts"], data["metas"], retriever, data["vocab"], data["tokens"]
    )


def _persisted_state(folder: Path) -> dict[str, Any] | None:
    try:
        state = json.loads((folder / "state.json").read_text())
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) else None


def open_keyword_index(store: Store, current: KeywordIndex | None = None) -> KeywordIndex:
    """The keyword index matching the store's current state: `current` if still fresh, else the
    persisted one if fresh, else rebuilt from Chroma (and persisted)."""
    state = _state(store)
    if current is not None and current.state == state:
        return current
    folder = _folder(store)
    persisted: KeywordIndex | None = None
    # Load the persisted snapshot only when it is fresh or there is nothing in memory to reuse:
    # a stale copy beside `current` would only add a third index to memory during the rebuild.
    if current is None or _persisted_state(folder) == state:
        persisted = load(folder)
        if persisted is not None and persisted.state == state:
            return persisted
    index = build_from_store(store, current if current is not None else persisted)
    del persisted
    with contextlib.suppress(OSError):  # a read-only data folder still gets a working in-memory index
        save(index, folder)
    return index
