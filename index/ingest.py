"""Ingestion: article files in, chunks with vectors and offsets out, into the store.

Incremental and idempotent: a document whose content, metadata, chunking and embedder are unchanged
is skipped; a changed one has its chunks replaced. Each document is written as pending, then its
chunks, then marked ready, so a crash mid-way leaves the store readable and the next ingest
redoes that document. One writer at a time, guarded by a file lock in the data folder.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout
from pydantic import BaseModel, Field

from index.analysis import search_form
from index.chunking import Span, chunk_spans
from index.cleaning import content_spans
from index.embedders import Embedder, make_embedder
from index.figures import find_figures
from index.metadata import DocumentMeta, build_meta, load_manifest
from index.readers import SUPPORTED_SUFFIXES, UnreadableFile, read_file
from index.settings import IndexSettings
from index.store import STATUS_PENDING, STATUS_READY, Store

Progress = Callable[[int, int, str], None]  # (done, total, current file)


class IngestLocked(RuntimeError):
    """Another ingest holds the data folder."""


class Rejected(BaseModel):
    path: str
    reason: str


class IngestReport(BaseModel):
    added: list[str] = Field(default_factory=list)
    updated: list[str] = Field(default_factory=list)
    unchanged: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    rejected: list[Rejected] = Field(default_factory=list)
    chunks: int = Field(0, description="Chunks written by this ingest")
    seconds: float = 0.0

    def summary(self) -> str:
        return (f"added {len(self.added)}, updated {len(self.updated)}, unchanged {len(self.unchanged)}, "
                f"removed {len(self.removed)}, rejected {len(self.rejected)}, chunks {self.chunks}, "
                f"{self.seconds:.2f} s")


@dataclass(frozen=True)
class SourceFile:
    path: Path
    doc_id: str
    given: dict[str, str]


@dataclass(frozen=True)
class PreparedDocument:
    meta: DocumentMeta
    text: str
    spans: list[Span]
    content_hash: str


def collect(paths: Iterable[Path]) -> tuple[list[SourceFile], list[Rejected]]:
    """The article files under `paths`, with ids relative to the folder given (stable across runs)."""
    found: dict[str, SourceFile] = {}
    rejected: list[Rejected] = []
    for root in paths:
        root = Path(root)
        if root.is_file():
            files, base = [root], root.parent
        elif root.is_dir():
            files = sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith("."))
            base = root
        else:
            rejected.append(Rejected(path=str(root), reason="no such file or folder"))
            continue
        manifests: dict[Path, dict[str, dict[str, str]]] = {}
        for path in files:
            if path.name == "manifest.json":
                continue
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                rejected.append(Rejected(path=str(path), reason=f"unsupported file type {path.suffix or '(none)'}"))
                continue
            if path.parent not in manifests:
                try:
                    manifests[path.parent] = load_manifest(path.parent)
                except ValueError as exc:
                    rejected.append(Rejected(path=str(path.parent / "manifest.json"), reason=str(exc)))
                    manifests[path.parent] = {}
            doc_id = path.relative_to(base).with_suffix("").as_posix()
            found[doc_id] = SourceFile(path, doc_id, manifests[path.parent].get(path.name, {}))
    return list(found.values()), rejected


def prepare(source: SourceFile, settings: IndexSettings, embedder_signature: str) -> PreparedDocument:
    text, declared = read_file(source.path, int(settings.max_file_mb * 1024 * 1024))
    spans = content_spans(text)
    if not spans:
        raise UnreadableFile("nothing but page chrome")
    kept_lines = [line for s in spans for line in text[s.start : s.end].splitlines() if line.strip()]
    meta = build_meta(source.doc_id, str(source.path), text, kept_lines, {**declared, **source.given})
    chunking = settings.chunking
    fingerprint = json.dumps(
        [text, meta.model_dump(exclude={"path"}), chunking.model_dump(), embedder_signature, 1],
        ensure_ascii=False, sort_keys=True,
    )
    digest = hashlib.sha256(fingerprint.encode()).hexdigest()
    chunks = chunk_spans(text, spans, chunking.max_tokens, chunking.overlap_tokens)
    return PreparedDocument(meta, text, chunks, digest)


def ingest(
    paths: Iterable[Path],
    settings: IndexSettings,
    *,
    prune: bool = False,
    rebuild: bool = False,
    embedder: Embedder | None = None,
    store: Store | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Bring the store in line with the article files under `paths`."""
    started = time.perf_counter()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(settings.data_dir / "ingest.lock"))
    try:
        lock.acquire(timeout=settings.lock_timeout_s)
    except Timeout:
        raise IngestLocked(
            f"another ingest is writing to {settings.data_dir}; wait for it to finish "
            "(or set IP_ASSISTANT_LOCK_TIMEOUT_S to wait)"
        ) from None
    try:
        embedder = embedder or make_embedder(settings.embedder)
        store = store or Store(settings)
        if rebuild:
            store.reset()
        store.check_embedder(embedder.signature)
        report = _ingest_locked(list(paths), settings, embedder, store, prune, progress)
    finally:
        lock.release()
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _ingest_locked(paths: list[Path], settings: IndexSettings, embedder: Embedder, store: Store,
                   prune: bool, progress: Progress | None) -> IngestReport:
    report = IngestReport()
    sources, rejected = collect(paths)
    report.rejected.extend(rejected)
    records = store.document_records()
    changed = False
    batch = _Batch(store, embedder)
    for done, source in enumerate(sources):
        if progress:
            progress(done, len(sources), source.doc_id)
        try:
            doc = prepare(source, settings, embedder.signature)
        except UnreadableFile as exc:
            report.rejected.append(Rejected(path=str(source.path), reason=str(exc)))
            continue
        old = records.get(source.doc_id)
        if old and old.get("hash") == doc.content_hash and old.get("status") == STATUS_READY:
            report.unchanged.append(source.doc_id)
            continue
        batch.add(doc, bool(old), report)
        changed = True
    batch.flush(report)
    if progress:
        progress(len(sources), len(sources), "")
    if prune:
        present = {s.doc_id for s in sources}
        for doc_id in sorted(set(records) - present):
            store.delete_document(doc_id)
            report.removed.append(doc_id)
            changed = True
    state = store.state()
    if changed or state["embedder"] != embedder.signature:
        store.set_state(embedder.signature, state["generation"] + 1)
    return report


def write_document(store: Store, embedder: Embedder, doc: PreparedDocument) -> int:
    """Replace one document's chunks; the document is marked ready only once all are written."""
    return write_documents(store, embedder, [doc])


# Documents written together: each Chroma write is one SQLite transaction, so writing document by
# document spent most of an ingest committing (7 chunks/s); a batch costs four writes.
BATCH_DOCUMENTS = 200
BATCH_CHUNKS = 2000


def write_documents(store: Store, embedder: Embedder, docs: list[PreparedDocument]) -> int:
    """Replace the chunks of several documents: all are marked pending, their old chunks deleted,
    the new ones added, and only then are they marked ready, so a crash leaves them pending."""
    if not docs:
        return 0
    records = {d.meta.doc_id: d.meta.model_dump() | {"hash": d.content_hash, "chunks": len(d.spans)}
               for d in docs}
    store.put_documents([(d.meta.doc_id, d.text, records[d.meta.doc_id] | {"status": STATUS_PENDING})
                         for d in docs])
    store.delete_chunks_of_many([d.meta.doc_id for d in docs])
    ids: list[str] = []
    texts: list[str] = []
    metas: list[dict[str, object]] = []
    for doc in docs:
        meta = doc.meta
        for i, span in enumerate(doc.spans):
            text = doc.text[span.start : span.end]
            ids.append(f"{meta.doc_id}#{i}")
            texts.append(text)
            metas.append({
                "doc_id": meta.doc_id, "title": meta.title, "source": meta.source,
                "published": meta.published, "language": meta.language, "region": meta.region,
                "start": span.start, "end": span.end, "chunk": i,
                "figures": json.dumps([f.key for f in find_figures(search_form(text))]),
            })
    if texts:
        vectors = embedder.embed_documents(texts)
        store.add_chunks(ids, texts, metas, vectors)
    store.set_document_status([d.meta.doc_id for d in docs], STATUS_READY)
    return len(texts)


class _Batch:
    """Prepared documents waiting to be written together."""

    def __init__(self, store: Store, embedder: Embedder) -> None:
        self.store, self.embedder = store, embedder
        self.docs: list[tuple[PreparedDocument, bool]] = []
        self.chunks = 0

    def add(self, doc: PreparedDocument, existed: bool, report: IngestReport) -> None:
        if any(d.meta.doc_id == doc.meta.doc_id for d, _ in self.docs):
            self.flush(report)  # the same id twice: the later text wins, as one by one
        self.docs.append((doc, existed))
        self.chunks += len(doc.spans)
        if len(self.docs) >= BATCH_DOCUMENTS or self.chunks >= BATCH_CHUNKS:
            self.flush(report)

    def flush(self, report: IngestReport) -> None:
        report.chunks += write_documents(self.store, self.embedder, [d for d, _ in self.docs])
        for doc, existed in self.docs:
            (report.updated if existed else report.added).append(doc.meta.doc_id)
        self.docs, self.chunks = [], 0


def remove_documents(doc_ids: Iterable[str], settings: IndexSettings, store: Store | None = None) -> list[str]:
    """Remove documents and their chunks; returns the ids that existed."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(settings.data_dir / "ingest.lock"))
    try:
        lock.acquire(timeout=settings.lock_timeout_s)
    except Timeout:
        raise IngestLocked(f"another ingest is writing to {settings.data_dir}") from None
    try:
        store = store or Store(settings)
        records = store.document_records()
        removed = [d for d in doc_ids if d in records]
        for doc_id in removed:
            store.delete_document(doc_id)
        if removed:
            state = store.state()
            store.set_state(state["embedder"] or "", state["generation"] + 1)
        return removed
    finally:
        lock.release()


def ingest_records(records: Iterable[tuple[str, str, dict[str, str]]], settings: IndexSettings, *,
                   embedder: Embedder | None = None, store: Store | None = None,
                   progress: Progress | None = None) -> IngestReport:
    """Ingest texts that are not files (benchmark paragraphs): (doc_id, text, metadata)."""
    started = time.perf_counter()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(settings.data_dir / "ingest.lock"))
    try:
        lock.acquire(timeout=settings.lock_timeout_s)
    except Timeout:
        raise IngestLocked(f"another ingest is writing to {settings.data_dir}") from None
    report = IngestReport()
    try:
        embedder = embedder or make_embedder(settings.embedder)
        store = store or Store(settings)
        store.check_embedder(embedder.signature)
        existing = store.document_records()
        items = list(records)
        batch = _Batch(store, embedder)
        for done, (doc_id, text, given) in enumerate(items):
            if progress and done % 100 == 0:
                progress(done, len(items), doc_id)
            spans = content_spans(text)
            lines = [ln for s in spans for ln in text[s.start : s.end].splitlines() if ln.strip()]
            meta = build_meta(doc_id, "", text, lines, given)
            fingerprint = json.dumps([text, meta.model_dump(), settings.chunking.model_dump(),
                                      embedder.signature, 1], ensure_ascii=False, sort_keys=True)
            digest = hashlib.sha256(fingerprint.encode()).hexdigest()
            old = existing.get(doc_id)
            if old and old.get("hash") == digest and old.get("status") == STATUS_READY:
                report.unchanged.append(doc_id)
                continue
            chunks = chunk_spans(text, spans, settings.chunking.max_tokens, settings.chunking.overlap_tokens)
            batch.add(PreparedDocument(meta, text, chunks, digest), bool(old), report)
        batch.flush(report)
        state = store.state()
        if report.added or report.updated or state["embedder"] != embedder.signature:
            store.set_state(embedder.signature, state["generation"] + 1)
    finally:
        lock.release()
    report.seconds = round(time.perf_counter() - started, 3)
    return report
