"""Ingestion: article files in, chunks with vectors and offsets out, into the store.

Incremental and idempotent: a document whose content, metadata, chunking and embedder are unchanged
is skipped (a file whose bytes are unchanged is not even parsed again); a changed one has its
chunks replaced. Changed documents are written in batches: as pending, then their chunks, then
marked ready, so a crash mid-way leaves the store readable and the next ingest redoes them. One
writer at a time, guarded by a file lock in the data folder.

The package: sources.py (which files), prepare.py (read, clean, chunk), pipeline.py and worker.py
(preparing in a second process), writer.py (batches into the store), migrate.py (re-embedding).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from index.collection_glossary import bring_collection_glossaries
from index.embedders import Embedder, make_embedder
from index.embedding import cached
from index.figure_table import FigureTable
from index.figure_table import sync as sync_figures
from index.ingest.migrate import reembed
from index.ingest.pipeline import prepared
from index.ingest.prepare import PreparedDocument, _Job, prepare, prepare_group, prepare_text
from index.ingest.report import IngestLocked, IngestReport, Progress, Rejected
from index.ingest.sources import SourceFile, Unchanged, collect, source_hash
from index.ingest.writer import Writer
from index.pacing import Pacer
from index.settings import IndexSettings
from index.store import STATUS_READY, Store, upgradable


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


@contextlib.contextmanager
def _locked(settings: IndexSettings) -> Iterator[None]:
    """The data folder's ingest lock held (IngestLocked when another ingest holds it)."""
    lock = _acquire(settings)
    try:
        yield
    finally:
        lock.release()


def _finish(writer: Writer, store: Store, settings: IndexSettings) -> None:
    """The store's state and the figures table brought up to date after the writing."""
    writer.finish()
    sync_figures(FigureTable(store.settings.data_dir), store, settings)


def ingest(
    paths: Iterable[Path],
    settings: IndexSettings,
    *,
    prune: bool = False,
    rebuild: bool = False,
    embedder: Embedder | None = None,
    store: Store | None = None,
    progress: Progress | None = None,
    pacer: Pacer | None = None,
) -> IngestReport:
    """Bring the store in line with the article files under `paths`. `pacer`: one shared by
    successive ingests, so that each one's writes give way as the last one's did (index.pacing)."""
    started = time.perf_counter()
    with _locked(settings):
        paths = list(paths)
        # The glossary beside the articles first: metadata, vectors and search tokens use it.
        taken = bring_collection_glossaries(paths, settings.data_dir, fresh=rebuild)
        embedder, store, reembedded = _open(settings, embedder, store, rebuild)
        sources, rejected = collect(paths)
        rejected += [Rejected(path=p, reason=r) for p, r in taken]
        report = IngestReport(rejected=rejected, reembedded=reembedded)
        writer = Writer(store, embedder, report, pacer)

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
            yield from prepared(jobs, settings, embedder)

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
        _finish(writer, store, settings)
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def ingest_records(
    records: Iterable[tuple[str, str, dict[str, str]]],
    settings: IndexSettings,
    *,
    embedder: Embedder | None = None,
    store: Store | None = None,
    progress: Progress | None = None,
    pacer: Pacer | None = None,
) -> IngestReport:
    """Ingest texts that are not files (benchmark paragraphs): (doc_id, text, metadata)."""
    started = time.perf_counter()
    with _locked(settings):
        embedder, store, reembedded = _open(settings, embedder, store)
        items = list(records)
        report = IngestReport(reembedded=reembedded)
        writer = Writer(store, embedder, report, pacer)
        jobs: list[_Job] = [(doc_id, "", text, given) for doc_id, text, given in items]
        writer.run(prepared(jobs, settings, embedder), len(items), progress)
        _finish(writer, store, settings)
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def remove_documents(
    doc_ids: Iterable[str], settings: IndexSettings, store: Store | None = None
) -> list[str]:
    """Remove documents and their chunks; returns the ids that existed."""
    with _locked(settings):
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


__all__ = [
    "IngestLocked",
    "IngestReport",
    "PreparedDocument",
    "Progress",
    "Rejected",
    "SourceFile",
    "collect",
    "ingest",
    "ingest_records",
    "prepare",
    "prepare_group",
    "prepare_text",
    "reembed",
    "remove_documents",
    "source_hash",
]
