"""Ingestion: article files in, chunks with vectors and offsets out, into the store.

Incremental and idempotent: a document whose content, metadata, chunking and embedder are unchanged
is skipped (a file whose bytes are unchanged is not even parsed again); a changed one has its
chunks replaced. Changed documents are written in batches: as pending, then their chunks, then
marked ready, so a crash mid-way leaves the store readable and the next ingest redoes them. One
writer at a time, guarded by a file lock in the data folder.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import pickle
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from filelock import FileLock, Timeout
from pydantic import BaseModel, Field

from index.chunking import Span, chunk_spans
from index.cleaning import content_spans
from index.collection_glossary import COLLECTION_FILE, bring_collection_glossaries
from index.embedders import Embedder, make_embedder
from index.embedders.hashing import HashingEmbedder
from index.embedding import cached, embedded_ahead
from index.figure_table import FigureTable, document_figures
from index.figure_table import sync as sync_figures
from index.glossary import collection_digest
from index.metadata import DocumentMeta, build_meta, load_manifest
from index.readers import SUPPORTED_SUFFIXES, UnreadableFile, read_file
from index.settings import IndexSettings
from index.store import DOCUMENT_FIELDS, STATUS_PENDING, STATUS_READY, Store, upgradable

logger = logging.getLogger(__name__)
Progress = Callable[[int, int, str], None]  # (done, total, current file)

_FORMAT = 1  # bump when chunk metadata changes, so every document is rewritten
BATCH_CHUNKS = 2000  # chunks per Chroma write
BATCH_DOCUMENTS = 500
PARALLEL_MIN_DOCUMENTS = 200  # fewer documents are prepared in the ingesting process itself
_GROUP = 32  # documents per message to the preparing worker
_AHEAD = 64  # messages sent ahead of the writer (about 2,000 documents)


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
    reembedded: int = Field(
        0, description="Documents embedded again first: the index was made by an earlier default embedder"
    )
    seconds: float = 0.0

    def summary(self) -> str:
        again = (
            f"re-embedded {self.reembedded} stored documents for the new default embedder, "
            if self.reembedded
            else ""
        )
        return (
            f"{again}added {len(self.added)}, updated {len(self.updated)}, unchanged {len(self.unchanged)}, "
            f"removed {len(self.removed)}, rejected {len(self.rejected)}, chunks {self.chunks}, "
            f"{self.seconds:.2f} s"
        )


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
    source_hash: str = ""
    vectors: Any = None  # (chunks, dim) array when embedded where it was prepared


@dataclass(frozen=True)
class Unchanged:
    """A file whose bytes, declared metadata and settings match its ready record: not parsed."""

    doc_id: str
    path: str


def _folder_files(root: Path, rejected: list[Rejected]) -> list[Path]:
    """The files under `root`, sorted. Hidden files and folders (.git, editor backups) are not
    articles; a link that leads outside `root` is refused (an article folder must not make ingest
    read /etc/passwd or a home folder), and linked folders are not entered."""
    inside = root.resolve()
    files: list[Path] = []
    for folder, dirs, names in os.walk(root, followlinks=False):
        here = Path(folder)
        for name in sorted(dirs):
            if name.startswith(".") or (here / name).is_symlink():
                dirs.remove(name)
                if not name.startswith(".") and not (here / name).resolve().is_relative_to(inside):
                    rejected.append(Rejected(path=str(here / name), reason="a link to outside the folder"))
        for name in names:
            path = here / name
            if name.startswith("."):
                continue
            if path.is_symlink() and not path.resolve().is_relative_to(inside):
                rejected.append(Rejected(path=str(path), reason="a link to outside the folder"))
            elif path.is_file():
                files.append(path)
    return sorted(files)


def collect(paths: Iterable[Path]) -> tuple[list[SourceFile], list[Rejected]]:
    """The article files under `paths`, with ids relative to the folder given (stable across runs)."""
    found: dict[str, SourceFile] = {}
    rejected: list[Rejected] = []
    for root in paths:
        root = Path(root)
        if root.is_file():
            files, base = [root], root.parent
        elif root.is_dir():
            files = _folder_files(root, rejected)
            base = root
        else:
            rejected.append(Rejected(path=str(root), reason="no such file or folder"))
            continue
        manifests: dict[Path, dict[str, dict[str, str]]] = {}
        for path in files:
            if path.name in ("manifest.json", COLLECTION_FILE):
                continue
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                rejected.append(
                    Rejected(path=str(path), reason=f"unsupported file type {path.suffix or '(none)'}")
                )
                continue
            if path.parent not in manifests:
                try:
                    manifests[path.parent] = load_manifest(path.parent)
                except ValueError as exc:
                    rejected.append(Rejected(path=str(path.parent / "manifest.json"), reason=str(exc)))
                    manifests[path.parent] = {}
            doc_id = path.relative_to(base).with_suffix("").as_posix()
            if doc_id in found and found[doc_id].path.resolve() != path.resolve():
                # a.txt beside a.md: one id, two files; keep the first rather than overwrite silently
                rejected.append(
                    Rejected(path=str(path), reason=f"same document id {doc_id!r} as {found[doc_id].path}")
                )
                continue
            found[doc_id] = SourceFile(path, doc_id, manifests[path.parent].get(path.name, {}))
    return list(found.values()), rejected


def _glossary() -> list[str]:
    """The concepts a collection brought change metadata and vectors (nothing when none, so that
    the hashes of a collection without a glossary stay as they were)."""
    digest = collection_digest()
    return [digest] if digest else []


def _fingerprint(text: str, meta: DocumentMeta, settings: IndexSettings, signature: str) -> str:
    # Everything that changes the chunks or their vectors, and nothing volatile (path, mtime).
    fingerprint = json.dumps(
        [
            text,
            meta.model_dump(exclude={"path"}),
            settings.chunking.model_dump(),
            signature,
            _FORMAT,
            *_glossary(),
        ],
        ensure_ascii=False,
        sort_keys=True,
    )
    return hashlib.sha256(fingerprint.encode()).hexdigest()


def prepare_text(
    doc_id: str, path: str, text: str, given: dict[str, str], settings: IndexSettings, embedder_signature: str
) -> PreparedDocument:
    """Clean, describe and chunk one document's text."""
    spans = content_spans(text)
    if not spans:
        raise UnreadableFile("nothing but page chrome")
    kept_lines = [line for s in spans for line in text[s.start : s.end].splitlines() if line.strip()]
    meta = build_meta(doc_id, path, text, kept_lines, given)
    digest = _fingerprint(text, meta, settings, embedder_signature)
    chunking = settings.chunking
    chunks = chunk_spans(text, spans, chunking.max_tokens, chunking.overlap_tokens)
    return PreparedDocument(meta, text, chunks, digest)


def source_hash(source: SourceFile, settings: IndexSettings, embedder_signature: str) -> str:
    """A hash of what a file's chunks depend on, computed without parsing it: its bytes, the
    manifest entry, the chunking settings and the embedder."""
    digest = hashlib.sha256()
    with open(source.path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    digest.update(
        json.dumps(
            [source.given, settings.chunking.model_dump(), embedder_signature, _FORMAT, *_glossary()],
            ensure_ascii=False,
            sort_keys=True,
        ).encode()
    )
    return digest.hexdigest()


def prepare(
    source: SourceFile, settings: IndexSettings, embedder_signature: str, raw_hash: str = ""
) -> PreparedDocument:
    text, declared = read_file(source.path, int(settings.max_file_mb * 1024 * 1024))
    doc = prepare_text(
        source.doc_id,
        str(source.path.resolve()),
        text,
        {**declared, **source.given},
        settings,
        embedder_signature,
    )
    return PreparedDocument(doc.meta, doc.text, doc.spans, doc.content_hash, raw_hash)


# What to prepare: a file (with its source hash) or a text given directly
# (doc_id, path, text, metadata).
_Job = tuple[SourceFile, str] | tuple[str, str, str, dict[str, str]]


def prepare_group(
    jobs: list[_Job], settings: IndexSettings, signature: str, embedder: Embedder | None
) -> list[PreparedDocument | Rejected]:
    """Prepare documents; embed their chunks too when given an embedder. Runs in a worker process
    for large ingests, so everything here is picklable and touches no store."""
    out: list[PreparedDocument | Rejected] = []
    for job in jobs:
        where = str(job[0].path) if isinstance(job[0], SourceFile) else job[0]
        try:
            if isinstance(job[0], SourceFile):
                out.append(prepare(job[0], settings, signature, str(job[1])))
            else:
                doc_id, path, text, given = job  # type: ignore[misc]
                out.append(prepare_text(doc_id, path, text, given, settings, signature))
        except UnreadableFile as exc:
            out.append(Rejected(path=where, reason=str(exc)))
        except OSError as exc:
            out.append(Rejected(path=where, reason=f"cannot read: {exc.strerror or exc}"))
        except Exception as exc:  # a parser bug on one odd file must not stop the batch
            out.append(Rejected(path=where, reason=f"unexpected {type(exc).__name__}: {exc}"))
    docs = [d for d in out if isinstance(d, PreparedDocument)]
    if embedder is not None and docs:
        vectors = np.asarray(
            embedder.embed_documents([d.text[s.start : s.end] for d in docs for s in d.spans]),
            dtype=np.float32,
        )
        edges = np.cumsum([0] + [len(d.spans) for d in docs])
        embedded = iter(
            [
                dataclasses.replace(d, vectors=vectors[a:b])
                for d, a, b in zip(docs, edges[:-1], edges[1:], strict=True)
            ]
        )
        out = [next(embedded) if isinstance(d, PreparedDocument) else d for d in out]
    return out


def _prepared(
    jobs: list[_Job], settings: IndexSettings, embedder: Embedder
) -> Iterator[PreparedDocument | Rejected]:
    """Prepared documents, in the order of `jobs`, embedded ahead of the writer where embedding is
    the slow part (index.embedding)."""
    return embedded_ahead(_prepared_documents(jobs, settings, embedder), embedder)


def _prepared_documents(
    jobs: list[_Job], settings: IndexSettings, embedder: Embedder
) -> Iterator[PreparedDocument | Rejected]:
    """Prepared documents, in the order of `jobs`. A large ingest on a machine with a spare core
    prepares them (reads, cleans, chunks and, with the hashing embedder, embeds) in a worker
    process while this one writes (index.preparing); a small one does it here, where the worker's
    start-up (about 1 CPU-second of imports) would not pay."""
    groups = [jobs[i : i + _GROUP] for i in range(0, len(jobs), _GROUP)]
    if len(jobs) < PARALLEL_MIN_DOCUMENTS or (os.cpu_count() or 1) < 2:
        for group in groups:
            yield from prepare_group(group, settings, embedder.signature, None)
        return
    # Embedding goes with preparation only for the hashing embedder: local, cheap to pickle, and
    # not counted or batched by a caller (other embedders embed in the writer, in larger batches).
    shipped = embedder if type(embedder) is HashingEmbedder else None
    package_root = str(Path(__file__).resolve().parents[1])
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])),
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "index.preparing"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
    )
    assert worker.stdin is not None and worker.stdout is not None
    try:
        pickle.dump((settings, embedder.signature, shipped), worker.stdin)
        sent = 0
        for received in range(len(groups)):
            # Keep the worker _AHEAD groups ahead of the writer; it buffers what it has prepared.
            while sent < len(groups) and sent - received < _AHEAD:
                pickle.dump(groups[sent], worker.stdin, protocol=pickle.HIGHEST_PROTOCOL)
                sent += 1
            if not worker.stdin.closed:
                worker.stdin.flush()
                if sent == len(groups):
                    worker.stdin.close()
            try:
                result: list[PreparedDocument | Rejected] = pickle.load(worker.stdout)
            except EOFError:
                raise RuntimeError(
                    f"the preparing worker ended early (exit status {worker.wait()})"
                ) from None
            yield from result
    finally:
        if worker.poll() is None:
            if not worker.stdin.closed:
                worker.stdin.close()
            try:
                worker.wait(timeout=5)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        worker.stdout.close()


def _acquire(settings: IndexSettings) -> FileLock:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(settings.data_dir / "ingest.lock"))
    try:
        lock.acquire(timeout=settings.lock_timeout_s)
    except Timeout:
        waited = f" for {settings.lock_timeout_s:g} s" if settings.lock_timeout_s > 0 else ""
        raise IngestLocked(
            f"another ingest is writing to {settings.data_dir} (waited{waited or ' not at all'}); "
            "let it finish, or set IP_ASSISTANT_LOCK_TIMEOUT_S to wait for it"
        ) from None
    return lock


def _open(
    settings: IndexSettings, embedder: Embedder | None, store: Store | None, rebuild: bool = False
) -> tuple[Embedder, Store, int]:
    """The embedder and store of an ingest, and how many documents were embedded again because
    the index was made by an earlier version of the default embedder."""
    embedder = cached(embedder or make_embedder(settings.embedder), settings)
    store = store or Store(settings)
    if rebuild:
        store.reset()
    reembedded = 0
    state = store.state()
    if state["reembedding"] or (
        state["embedder"] != embedder.signature and upgradable(state["embedder"], embedder.signature)
    ):
        reembedded = reembed(settings, embedder, store)
    store.check_embedder(embedder.signature)
    state = store.state()
    if not state["embedder"]:
        # Claim the vector space before the first chunk is written: an ingest killed mid-way must
        # still refuse a different embedder next time.
        store.set_state(embedder.signature, state["generation"])
    return embedder, store, reembedded


def reembed(settings: IndexSettings, embedder: Embedder, store: Store) -> int:
    """Embed every document again, from the text and metadata stored in Chroma, for an index made
    by an earlier version of the hashing embedder (the caller holds the lock). No file is read, so
    documents whose files are gone, or that never were files, are kept.

    Resumable: the documents are marked pending and the chunk collection is recreated with the new
    signature and a `reembedding` mark first; a killed run leaves them pending (not searchable),
    and the next ingest carries on with those not ready yet, then clears the mark."""
    state = store.state()
    if not state["reembedding"]:
        logger.warning(
            "index made with %s: embedding its documents again for %s", state["embedder"], embedder.signature
        )
        store.set_document_status(list(store.document_records()), STATUS_PENDING)
        store.reset_chunks()
        store.set_state(embedder.signature, state["generation"] + 1, reembedding=True)
    todo = [d for d, r in store.document_records().items() if r.get("status") != STATUS_READY]
    jobs: list[_Job] = []
    for doc_id, text, meta in store.documents_with_texts(todo):
        given = {k: str(meta[k]) for k in (*DOCUMENT_FIELDS, "published") if meta.get(k)}
        jobs.append((doc_id, str(meta.get("path") or ""), text, given))
    report = IngestReport()
    writer = _Writer(store, embedder, report)
    writer.run(_prepared(jobs, settings, embedder), len(jobs), None)
    for rejected in report.rejected:
        logger.warning("not embedded again: %s: %s", rejected.path, rejected.reason)
    writer.changed = True  # finish() then bumps the generation and clears the mark
    writer.finish()
    return len(report.added) + len(report.updated)


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
    lock = _acquire(settings)
    try:
        paths = list(paths)
        # The glossary beside the articles first: metadata, vectors and search tokens use it.
        taken = bring_collection_glossaries(paths, settings.data_dir, fresh=rebuild)
        embedder, store, reembedded = _open(settings, embedder, store, rebuild)
        sources, rejected = collect(paths)
        rejected += [Rejected(path=p, reason=r) for p, r in taken]
        report = IngestReport(rejected=rejected, reembedded=reembedded)
        writer = _Writer(store, embedder, report)

        def documents() -> Iterator[PreparedDocument | Rejected | Unchanged]:
            """Unchanged files first (told by their bytes, without parsing), then the others."""
            jobs: list[_Job] = []
            for source in sources:
                try:
                    raw = source_hash(source, settings, embedder.signature)
                except OSError as exc:
                    yield Rejected(path=str(source.path), reason=f"cannot read: {exc.strerror or exc}")
                    continue
                old = writer.records.get(source.doc_id) or {}
                if old.get("source_hash") == raw and old.get("status") == STATUS_READY:
                    yield Unchanged(source.doc_id, str(source.path.resolve()))
                else:
                    jobs.append((source, raw))
            yield from _prepared(jobs, settings, embedder)

        writer.run(documents(), len(sources), progress)
        if prune:
            present = {s.doc_id for s in sources}
            for doc_id, record in sorted(writer.records.items()):
                path = str(record.get("path") or "")
                # Only documents that came from a file that is now gone; records from other
                # sources (ingest_records) have no path and stay.
                if doc_id not in present and path and not Path(path).exists():
                    store.delete_document(doc_id)
                    report.removed.append(doc_id)
            # Chunks of a new document whose ingest was killed before its record was written are
            # invisible; they go when the document is ingested again, or here once its file is gone.
            # (Every batch is written by now: chunks, then their records.)
            orphans = sorted(store.chunk_doc_ids() - set(store.document_records()))
            if orphans:
                store.delete_chunks_of(*orphans)
                writer.changed = True  # the keyword index drops them at the next refresh
        writer.finish()
        sync_figures(FigureTable(store.settings.data_dir), store, settings)
    finally:
        lock.release()
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def ingest_records(
    records: Iterable[tuple[str, str, dict[str, str]]],
    settings: IndexSettings,
    *,
    embedder: Embedder | None = None,
    store: Store | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Ingest texts that are not files (benchmark paragraphs): (doc_id, text, metadata)."""
    started = time.perf_counter()
    lock = _acquire(settings)
    try:
        embedder, store, reembedded = _open(settings, embedder, store)
        items = list(records)
        report = IngestReport(reembedded=reembedded)
        writer = _Writer(store, embedder, report)

        jobs: list[_Job] = [(doc_id, "", text, given) for doc_id, text, given in items]
        writer.run(_prepared(jobs, settings, embedder), len(items), progress)
        writer.finish()
        sync_figures(FigureTable(store.settings.data_dir), store, settings)
    finally:
        lock.release()
    report.seconds = round(time.perf_counter() - started, 3)
    return report


class _Writer:
    """Writes changed documents in batches: Chroma calls cost the same for one record or hundreds.

    Per batch: vectors are computed first; then documents that have a record are marked pending,
    the batch's old chunks deleted, the new chunks added, and the documents written with their text
    as ready. A crash at any point leaves only whole ready documents visible (search reads the
    chunks of ready documents only), and the next ingest redoes the pending ones, and the new ones,
    which have no record yet.
    """

    def __init__(self, store: Store, embedder: Embedder, report: IngestReport) -> None:
        self.store, self.embedder, self.report = store, embedder, report
        self.figures = FigureTable(store.settings.data_dir)
        self.records = store.document_records()
        self.batch: list[PreparedDocument] = []
        self.batch_chunks = 0
        self.max_chunks = max(1, min(store.max_batch(), BATCH_CHUNKS))
        self.updates: list[tuple[str, dict[str, Any]]] = []
        self.seen: set[str] = set()
        self.changed = False

    def run(
        self,
        documents: Iterable[PreparedDocument | Rejected | Unchanged],
        total: int,
        progress: Progress | None,
    ) -> None:
        for done, doc in enumerate(documents):
            if progress:
                progress(
                    done,
                    total,
                    doc.meta.doc_id
                    if isinstance(doc, PreparedDocument)
                    else doc.doc_id
                    if isinstance(doc, Unchanged)
                    else doc.path,
                )
            if isinstance(doc, Rejected):
                self.report.rejected.append(doc)
                continue
            if isinstance(doc, Unchanged):
                self._unchanged(doc.doc_id, doc.path, {})
                continue
            if doc.meta.doc_id in self.seen:  # one id twice in one batch would fail the whole write
                self.report.rejected.append(
                    Rejected(
                        path=doc.meta.path or doc.meta.doc_id,
                        reason=f"duplicate document id {doc.meta.doc_id!r}",
                    )
                )
                continue
            self.seen.add(doc.meta.doc_id)
            old = self.records.get(doc.meta.doc_id)
            if old and old.get("hash") == doc.content_hash and old.get("status") == STATUS_READY:
                # Same text and metadata from different bytes (a re-saved file): remember the bytes.
                self._unchanged(
                    doc.meta.doc_id,
                    doc.meta.path,
                    {"source_hash": doc.source_hash} if doc.source_hash else {},
                )
                continue
            if self.batch and (
                self.batch_chunks + len(doc.spans) > self.max_chunks or len(self.batch) >= BATCH_DOCUMENTS
            ):
                self.flush()
            self.batch.append(doc)
            self.batch_chunks += len(doc.spans)
        self.flush()
        if progress:
            progress(total, total, "")

    def _unchanged(self, doc_id: str, path: str, update: dict[str, Any]) -> None:
        self.report.unchanged.append(doc_id)
        if path and self.records[doc_id].get("path") != path:
            update["path"] = path  # the folder moved: prune must look for the file there
        if update:
            self.updates.append((doc_id, update))

    def flush(self) -> None:
        docs, self.batch, self.batch_chunks = self.batch, [], 0
        if not docs:
            return
        ids: list[str] = []
        texts: list[str] = []
        metas: list[dict[str, Any]] = []
        for doc in docs:
            meta = doc.meta
            for i, span in enumerate(doc.spans):
                text = doc.text[span.start : span.end]
                ids.append(f"{meta.doc_id}#{i}")
                texts.append(text)
                # Every metadata value is a row in Chroma's SQLite (and llama-index copies them all
                # into its node JSON): the document's own fields (title, source, ...) live once, in
                # its record, and are joined in when chunks are read (Store.all_chunks).
                metas.append({"doc_id": meta.doc_id, "start": span.start, "end": span.end, "chunk": i})
        if all(d.vectors is not None for d in docs):  # embedded where they were prepared
            vectors: Any = np.concatenate([d.vectors for d in docs]) if texts else []
        else:
            vectors = self.embedder.embed_documents(texts) if texts else []
        records = {
            d.meta.doc_id: d.meta.model_dump()
            | {"hash": d.content_hash, "source_hash": d.source_hash, "chunks": len(d.spans)}
            for d in docs
        }
        doc_ids = list(records)
        # A document with a record is marked pending before its chunks change; a new one has no
        # record until its chunks are written, which hides them just as well. Chunks left by a
        # killed run of a new document are deleted with the old ones (a delete that finds nothing
        # costs next to nothing), and the record, text and ready status come in one write last:
        # a separate ready update was about 7 % of the writing process's time.
        updated = [d for d in doc_ids if d in self.records]
        if updated:
            self.store.set_document_status(updated, STATUS_PENDING)
        self.store.delete_chunks_of(*doc_ids)
        if texts:
            self.store.add_chunks(ids, texts, metas, vectors)
        self.store.put_documents(
            [(d.meta.doc_id, d.text, records[d.meta.doc_id] | {"status": STATUS_READY}) for d in docs]
        )
        # The figures table after the ready records: rows whose hash no ready record has are not read.
        self.figures.put(
            document_figures(d.meta.doc_id, d.content_hash, records[d.meta.doc_id], d.text, d.spans)
            for d in docs
        )
        for doc_id in doc_ids:
            (self.report.updated if doc_id in self.records else self.report.added).append(doc_id)
            self.records[doc_id] = records[doc_id] | {"status": STATUS_READY}
        self.report.chunks += len(texts)
        self.changed = True

    def finish(self) -> None:
        """Record moved files' paths and new file hashes; bump the generation when anything changed."""
        if self.updates:
            self.store.update_documents([u[0] for u in self.updates], [u[1] for u in self.updates])
        state = self.store.state()
        if self.changed or self.report.removed or state["embedder"] != self.embedder.signature:
            self.store.set_state(self.embedder.signature, state["generation"] + 1)


def remove_documents(
    doc_ids: Iterable[str], settings: IndexSettings, store: Store | None = None
) -> list[str]:
    """Remove documents and their chunks; returns the ids that existed."""
    lock = _acquire(settings)
    try:
        store = store or Store(settings)
        records = store.document_records()
        removed = [d for d in doc_ids if d in records]
        for doc_id in removed:
            store.delete_document(doc_id)
        FigureTable(store.settings.data_dir).remove(removed)
        if removed:
            state = store.state()
            store.set_state(state["embedder"] or "", state["generation"] + 1)
        return removed
    finally:
        lock.release()
