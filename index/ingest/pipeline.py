"""Prepared documents for the writer, in order: prepared here for a small ingest, in a worker
process (index.ingest.worker) for a large one, and embedded ahead of the writer where embedding is
the slow part."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from index.embedders import Embedder
from index.embedders.hashing import HashingEmbedder
from index.embedding import embedded_ahead
from index.ingest.prepare import PreparedDocument, _Job, prepare_group
from index.ingest.report import Rejected
from index.settings import IndexSettings

PARALLEL_MIN_DOCUMENTS = 200  # fewer documents are prepared in the ingesting process itself
_GROUP = 32  # documents per message to the preparing worker
_AHEAD = 64  # messages sent ahead of the writer (about 2,000 documents)


def prepared(
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
    process while this one writes (index.ingest.worker); a small one does it here, where the worker's
    start-up (about 1 CPU-second of imports) would not pay."""
    groups = [jobs[i : i + _GROUP] for i in range(0, len(jobs), _GROUP)]
    if len(jobs) < PARALLEL_MIN_DOCUMENTS or (os.cpu_count() or 1) < 2:
        for group in groups:
            yield from prepare_group(group, settings, embedder.signature, None)
        return
    # Embedding goes with preparation only for the hashing embedder: local, cheap to pickle, and
    # not counted or batched by a caller (other embedders embed in the writer, in larger batches).
    shipped = embedder if type(embedder) is HashingEmbedder else None
    package_root = str(Path(__file__).resolve().parents[2])
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])),
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "index.ingest.worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
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
