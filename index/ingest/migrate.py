"""Embedding a stored index again for a new version of the default embedder, from the text the
store holds."""

from __future__ import annotations

import logging

from index.embedders import Embedder
from index.ingest.pipeline import prepared
from index.ingest.prepare import _Job
from index.ingest.report import IngestReport
from index.ingest.writer import Writer
from index.settings import IndexSettings
from index.store import DOCUMENT_FIELDS, STATUS_PENDING, STATUS_READY, Store

logger = logging.getLogger(__name__)


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
    writer = Writer(store, embedder, report)
    writer.run(prepared(jobs, settings, embedder), len(jobs), None)
    for rejected in report.rejected:
        logger.warning("not embedded again: %s: %s", rejected.path, rejected.reason)
    writer.changed = True  # finish() then bumps the generation and clears the mark
    writer.finish()
    return len(report.added) + len(report.updated)
