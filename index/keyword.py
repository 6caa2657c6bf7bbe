"""The keyword index: BM25 over search tokens of every chunk, beside Chroma.

It is derived data: a snapshot of the chunk collection (ids, texts, metadata, search tokens) plus
the BM25 matrix, persisted in the data folder with the collection state it was built from. When
Chroma's generation or chunk count differs, it is rebuilt from Chroma, reusing the tokens of
unchanged chunks. It is never rebuilt per query.

Memory: everything per chunk or per token lives in NumPy arrays (token ids, the BM25 matrix, texts
and metadata as UTF-8 bytes with offsets), memory-mapped from the persisted files, so a served
100k-chunk index costs the process tens of megabytes, not hundreds; only ids and the vocabulary are
Python objects. The scores are those of bm25s's "lucene" BM25 (k1 1.2, b 0.75), computed the same
way (tests hold them equal), built here from the token-id arrays without bm25s's per-chunk Python
structures.
"""

from __future__ import annotations

import array
import json
import logging
import math
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from index.analysis import chunk_tokens, fingerprint
from index.collection_glossary import load_collection_glossary
from index.columns import Column, ColumnWriter, decode_meta, decode_text, encode_meta, encode_text
from index.mapped import DamagedFile, MappedFiles, read_checked, record
from index.store import STATUS_READY, Store

_FORMAT = 4  # 4: index.json records each file's size and checksum
K1 = 1.2
B = 0.75
EMPTY = "\0"  # the one token of a chunk without search tokens (counts in the average length)
_BLOCK = 4096  # chunks per block while building the matrix: bounds the temporary arrays

T = TypeVar("T")
logger = logging.getLogger(__name__)


@dataclass
class Matrix:
    """BM25 scores as a compressed sparse column matrix: chunks × tokens, one column per token."""

    data: np.ndarray  # float32 score of each (chunk, token) pair, column by column
    indices: np.ndarray  # int32 chunk position of each score
    indptr: np.ndarray  # int64, column t is data[indptr[t]:indptr[t + 1]]


@dataclass
class KeywordIndex:
    state: dict[str, Any]
    ids: list[str]
    texts: Column[str]
    metas: Column[dict[str, Any]]
    vocab: dict[str, int]  # token -> column
    tokens: np.ndarray  # int32 token ids of all chunks, one after another
    token_offsets: np.ndarray  # int64, chunk i's tokens are tokens[token_offsets[i]:token_offsets[i + 1]]
    matrix: Matrix | None
    mapped: MappedFiles | None = None  # the files the arrays are mapped from (None: in memory)
    position: dict[str, int] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.position = {cid: i for i, cid in enumerate(self.ids)}

    def __len__(self) -> int:
        return len(self.ids)

    def damage(self) -> str | None:
        """Why the files this index was read from are no longer as written (None while they are).
        The index itself reads private copies of them (index.mapped), which nothing else changes."""
        return self.mapped.problem() if self.mapped is not None else None

    def search(
        self, tokens: list[str] | tuple[str, ...], k: int, weights: dict[str, float] | None = None
    ) -> list[tuple[int, float]]:
        """Top chunks for query tokens: (position, BM25 score). `weights` scales single tokens."""
        if self.matrix is None or not self.ids:
            return []
        known = [t for t in dict.fromkeys(tokens) if t in self.vocab]
        if not known:
            return []
        m = self.matrix
        scores = np.zeros(len(self.ids), dtype=np.float32)
        for token in known:
            column = self.vocab[token]
            start, end = int(m.indptr[column]), int(m.indptr[column + 1])
            # A chunk appears at most once in a column, so this adds the same float32 values as
            # adding the token's whole score vector (zeros elsewhere) times the weight.
            scores[m.indices[start:end]] += m.data[start:end] * float((weights or {}).get(token, 1.0))
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]

    def idf(self, token: str) -> float:
        """Inverse document frequency of a token over the chunks (0 for unknown tokens)."""
        if self.matrix is None or token not in self.vocab:
            return 0.0
        n = len(self.ids)
        column = self.vocab[token]
        df = 0 if token == EMPTY else int(self.matrix.indptr[column + 1] - self.matrix.indptr[column])
        return float(np.log(1 + (n - df + 0.5) / (df + 0.5)))

    def neighbours(self, doc_id: str, chunk: int, before: int, after: int) -> list[tuple[int, str]]:
        """(start offset in the document, text) of the chunks `before` before to `after` after chunk
        number `chunk` of a document, those the index holds, in order."""
        found = []
        for i in range(chunk - before, chunk + after + 1):
            pos = self.position.get(f"{doc_id}#{i}")
            if pos is not None:
                found.append((int(self.metas[pos]["start"]), self.texts[pos]))
        return found

    def chunk_token_ids(self, i: int) -> np.ndarray:
        return self.tokens[int(self.token_offsets[i]) : int(self.token_offsets[i + 1])]


def bm25_matrix(tokens: np.ndarray, offsets: np.ndarray, n_vocab: int, empty: int) -> Matrix:
    """The BM25 matrix of chunks given as token ids (`tokens` sliced by `offsets`), equal to what
    bm25s (method "lucene") builds from the same ids: a chunk without tokens counts as one `empty`
    token. Two passes over blocks of chunks (document frequencies, then scores), so the temporary
    arrays stay a block's size and the result is written straight into its final place."""
    n = len(offsets) - 1
    lengths = np.diff(offsets)
    no_tokens = np.flatnonzero(lengths == 0)
    lengths = np.maximum(lengths, 1)

    def blocks() -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """(chunk, token, count) of each distinct pair, chunk by chunk, tokens ascending."""
        for first in range(0, n, _BLOCK):
            last = min(first + _BLOCK, n)
            ids = tokens[int(offsets[first]) : int(offsets[last])].astype(np.int64)
            chunk = np.repeat(np.arange(first, last, dtype=np.int64), np.diff(offsets[first : last + 1]))
            hollow = no_tokens[(no_tokens >= first) & (no_tokens < last)]
            if len(hollow):
                ids = np.concatenate([ids, np.full(len(hollow), empty, dtype=np.int64)])
                chunk = np.concatenate([chunk, hollow.astype(np.int64)])
            pairs, counts = np.unique(chunk * n_vocab + ids, return_counts=True)
            yield (pairs // n_vocab), (pairs % n_vocab), counts

    df = np.zeros(n_vocab, dtype=np.int64)
    for _, ids, _ in blocks():
        df += np.bincount(ids, minlength=n_vocab)
    # bm25s computes each idf in Python floats and stores it as float32; so does this.
    idf = np.array([math.log(1 + (n - d + 0.5) / (d + 0.5)) if d else 0.0 for d in df.tolist()], np.float32)
    average = lengths.mean()
    norm = K1 * ((1 - B) + B * lengths.astype(np.float64) / average)
    indptr = np.zeros(n_vocab + 1, dtype=np.int64)
    np.cumsum(df, out=indptr[1:])
    data = np.empty(int(indptr[-1]), dtype=np.float32)
    indices = np.empty(int(indptr[-1]), dtype=np.int32)
    heads = indptr[:-1].copy()  # where each column's next entry goes
    for chunk, ids, counts in blocks():
        tf = counts.astype(np.float64)
        scores = (idf[ids].astype(np.float64) * (tf / (norm[chunk] + tf))).astype(np.float32)
        order = np.argsort(ids, kind="stable")  # by column, chunks ascending within each
        ids = ids[order]
        per_column = np.bincount(ids, minlength=n_vocab)
        starts = np.cumsum(per_column) - per_column
        where = heads[ids] + (np.arange(len(ids)) - starts[ids])
        data[where] = scores[order]
        indices[where] = chunk[order]
        heads += per_column
    return Matrix(data, indices, indptr)


def _state(store: Store) -> dict[str, Any]:
    """What a keyword index must match: Chroma's state and the text analysis it was built with."""
    return store.state() | {"analysis": fingerprint()}


def collection_state(store: Store) -> dict[str, Any]:
    """The state a keyword index of `store` must have to be fresh (Chroma's, the analysis')."""
    load_collection_glossary(store.settings.data_dir)
    return _state(store)


def load_saved(store: Store) -> KeywordIndex | None:
    """The index saved in the data folder for this store's collection, checked; None when
    missing or damaged (index.refresher saves it from another process). The glossary the collection
    brought is in use first, as for a fresh index."""
    load_collection_glossary(store.settings.data_dir)
    return load(_folder(store))


def _analysed(text: str) -> tuple[str, ...]:
    return chunk_tokens(text)


def build_from_store(store: Store, previous: KeywordIndex | None = None) -> KeywordIndex:
    """A fresh index of the store's ready chunks, read page by page. Chunks whose text is unchanged
    since `previous` keep their search tokens: analysing text is most of the cost (about 1 ms a
    chunk), so after an ingest only the new chunks are analysed."""
    state = _state(store)
    if previous is not None and previous.state.get("analysis") != state["analysis"]:
        previous = None  # tokens of another analysis are of no use
    ready = {d for d, m in store.document_records().items() if m.get("status") == STATUS_READY}
    ids: list[str] = []
    texts, metas = ColumnWriter(encode_text), ColumnWriter(encode_meta)
    tokens, offsets = array.array("i"), array.array("q", [0])
    vocab: dict[str, int] = {}
    # Old token id -> new token id, filled as reused chunks meet their tokens (-1: not yet).
    remap = np.full(len(previous.vocab) if previous is not None else 0, -1, dtype=np.int64)
    old_words = list(previous.vocab) if previous is not None else []
    for chunk in store.all_chunks():
        if chunk.meta.get("doc_id") not in ready:  # chunks of a half-written document stay out
            continue
        pos = previous.position.get(chunk.id) if previous is not None else None
        if previous is not None and pos is not None and previous.texts[pos] == chunk.text:
            old = previous.chunk_token_ids(pos)
            for t in old[remap[old] < 0].tolist():  # in order, as a fresh analysis would add them
                if remap[t] < 0:
                    remap[t] = vocab.setdefault(old_words[t], len(vocab))
            tokens.frombytes(remap[old].astype(np.int32).tobytes())
        else:
            tokens.extend([vocab.setdefault(t, len(vocab)) for t in _analysed(chunk.text)])
        offsets.append(len(tokens))
        ids.append(chunk.id)
        texts.append(chunk.text)
        metas.append(chunk.meta)
    del remap, old_words
    token_ids, token_offsets = np.frombuffer(tokens, np.int32), np.frombuffer(offsets, np.int64)
    matrix = None
    if ids:
        empty = vocab.setdefault(EMPTY, len(vocab))
        matrix = bm25_matrix(token_ids, token_offsets, len(vocab), empty)
    return KeywordIndex(
        state,
        ids,
        texts.column(decode_text),
        metas.column(decode_meta, copy=dict),
        vocab,
        token_ids,
        token_offsets,
        matrix,
    )


def _folder(store: Store) -> Path:
    s = store.settings
    where = f"{s.chroma.host}-{s.chroma.port}" if s.chroma.host else "local"
    return s.data_dir / "keyword" / f"{where}-{s.chroma.collection}"


def _arrays(index: KeywordIndex) -> dict[str, np.ndarray]:
    out = {
        "texts": index.texts.data,
        "text_offsets": index.texts.offsets,
        "metas": index.metas.data,
        "meta_offsets": index.metas.offsets,
        "tokens": index.tokens,
        "token_offsets": index.token_offsets,
    }
    if index.matrix is not None:
        out |= {"data": index.matrix.data, "indices": index.matrix.indices, "indptr": index.matrix.indptr}
    return out


def save(index: KeywordIndex, folder: Path) -> None:
    """Write the index as .npy arrays and two JSON lists (ids, vocabulary) into a new folder that
    then replaces the old one: a process still reading the old files keeps them until it lets go.
    index.json records every file's size and checksum, checked before the files are mapped."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".tmp-"))
    try:
        names = ["ids.json", "vocab.json"]
        for name, values in _arrays(index).items():
            np.save(tmp / f"{name}.npy", values, allow_pickle=False)
            names.append(f"{name}.npy")
        (tmp / "ids.json").write_text(json.dumps(index.ids, ensure_ascii=False), encoding="utf-8")
        (tmp / "vocab.json").write_text(json.dumps(list(index.vocab), ensure_ascii=False), encoding="utf-8")
        head = {"format": _FORMAT, "state": index.state, "files": record(tmp, names)}
        (tmp / "index.json").write_text(json.dumps(head))
        (tmp / "state.json").write_text(json.dumps(index.state))
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = folder.with_name(folder.name + ".old")
    if folder.exists():
        shutil.rmtree(old, ignore_errors=True)
        folder.rename(old)
    tmp.rename(folder)
    shutil.rmtree(old, ignore_errors=True)


def _open(folder: Path, head: dict[str, Any]) -> KeywordIndex:
    """The index in `folder`, checked against the sizes and checksums in its head, its arrays
    memory-mapped (pages are read, and counted in the process's memory, only when a search or a
    refresh touches them). Raises DamagedFile or ValueError when the files are not as written."""
    files = head["files"]
    ids = json.loads(read_checked(folder / "ids.json", files["ids.json"]))
    words = json.loads(read_checked(folder / "vocab.json", files["vocab.json"]))
    vocab = {w: i for i, w in enumerate(words)}
    mapped = MappedFiles(files)
    a = {name[: -len(".npy")]: mapped.open_array(folder, name) for name in files if name.endswith(".npy")}
    matrix = Matrix(a["data"], a["indices"], a["indptr"]) if ids else None
    index = KeywordIndex(
        head["state"],
        ids,
        Column(a["texts"], a["text_offsets"], decode_text),
        Column(a["metas"], a["meta_offsets"], decode_meta, copy=dict),
        vocab,
        a["tokens"],
        a["token_offsets"],
        matrix,
        mapped,
    )
    n = len(ids)
    if not len(index.texts) == len(index.metas) == len(index.token_offsets) - 1 == n:
        raise ValueError(f"keyword index in {folder} is inconsistent")
    if matrix is not None and len(matrix.indptr) != len(vocab) + 1:
        raise ValueError(f"keyword index in {folder} is inconsistent")
    return index


def load(folder: Path) -> KeywordIndex | None:
    """The persisted index in `folder`, or None when it is missing, of another format or damaged."""
    try:
        head = json.loads((folder / "index.json").read_text())
        if head.get("format") != _FORMAT:
            return None
        return _open(folder, head)
    except DamagedFile as exc:
        logger.warning("keyword index in %s is damaged (%s): rebuilding it", folder, exc)
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _persisted_state(folder: Path) -> dict[str, Any] | None:
    try:
        state = json.loads((folder / "state.json").read_text())
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) else None


def open_keyword_index(store: Store, current: KeywordIndex | None = None) -> KeywordIndex:
    """The keyword index matching the store's current state: `current` if still fresh, else the
    persisted one if fresh, else rebuilt from Chroma (and persisted). The glossary the collection
    brought (stored beside its index) is in use first: the index's text analysis depends on it."""
    load_collection_glossary(store.settings.data_dir)
    state = _state(store)
    folder = _folder(store)
    if current is not None and current.state == state:
        if current.damage() is None:
            return current
        # Its files on disk changed; the private copies it reads did not: write them out again.
        return _persist(current, folder)
    persisted: KeywordIndex | None = None
    # Load the persisted snapshot only when it is fresh or there is nothing in memory to reuse:
    # a stale copy beside `current` would only add a third index to memory during the rebuild.
    if current is None or _persisted_state(folder) == state:
        persisted = load(folder)
        if persisted is not None and persisted.state == state:
            return persisted
    index = build_from_store(store, current if current is not None else persisted)
    del persisted
    return _persist(index, folder)


def _persist(index: KeywordIndex, folder: Path) -> KeywordIndex:
    """`index` saved in `folder` and opened from there (memory-mapped), or itself when the folder
    cannot be written (a read-only data folder still gets a working in-memory index)."""
    try:
        save(index, folder)
    except OSError:
        return index
    # The built arrays are in memory; the saved ones are the same bytes, memory-mapped.
    try:
        return _open(folder, json.loads((folder / "index.json").read_text()))
    except (OSError, ValueError, KeyError):  # changed since it was written: keep the built one
        return index
