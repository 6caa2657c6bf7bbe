"""Writing prepared documents into the store in batches, each batch leaving only whole ready
documents visible."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from index.embedders import Embedder
from index.figure_table import FigureTable, document_figures
from index.ingest.prepare import PreparedDocument
from index.ingest.report import IngestReport, Progress, Rejected
from index.ingest.sources import Unchanged
from index.pacing import Pacer
from index.store import STATUS_PENDING, STATUS_READY, Store

BATCH_CHUNKS = 2000  # chunks per Chroma write
BATCH_DOCUMENTS = 500
# Chunks per write while the pacer last found the CPU contended: the pacer acts only between
# writes, and a write of BATCH_CHUNKS keeps the Chroma server busy beside the questions for many
# seconds (p95 of 30 chat clients 0.8 -> 1.3 s). Smaller writes cost more per chunk (about 30 % on
# an idle machine), so they are used only while questions are being served.
BUSY_BATCH_CHUNKS = 250


class Writer:
    """Writes changed documents in batches: Chroma calls cost the same for one record or hundreds.

    Per batch: vectors are computed first; then documents that have a record are marked pending,
    the batch's old chunks deleted, the new chunks added, and the documents written with their text
    as ready. A crash at any point leaves only whole ready documents visible (search reads the
    chunks of ready documents only), and the next ingest redoes the pending ones, and the new ones,
    which have no record yet. Each batch's writes wait while the machine's CPU is contended
    (index.pacing): the Chroma server does them at its own priority, beside the questions.
    """

    def __init__(
        self, store: Store, embedder: Embedder, report: IngestReport, pacer: Pacer | None = None
    ) -> None:
        self.store, self.embedder, self.report = store, embedder, report
        self.pacer = pacer or Pacer(store.settings.busy_yield)
        self.waited_before = self.pacer.waited_s
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
            limit = min(self.max_chunks, BUSY_BATCH_CHUNKS) if self.pacer.busy else self.max_chunks
            if self.batch and (
                self.batch_chunks + len(doc.spans) > limit or len(self.batch) >= BATCH_DOCUMENTS
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
        with self.pacer.work():
            if updated:
                self.store.set_document_status(updated, STATUS_PENDING)
            self.store.delete_chunks_of(*doc_ids)
            if texts:
                self.store.add_chunks(ids, texts, metas, vectors)
            self.store.put_documents(
                [(d.meta.doc_id, d.text, records[d.meta.doc_id] | {"status": STATUS_READY}) for d in docs]
            )
        self.report.yielded_s = round(self.pacer.waited_s - self.waited_before, 3)
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
