"""Preparing a document: read, cleaned, described and chunked (and embedded, in the worker, for the
hashing embedder). Everything here is picklable and touches no store."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from index.chunking import Span, chunk_spans
from index.cleaning import content_spans
from index.embedders import Embedder
from index.ingest.report import Rejected
from index.ingest.sources import FORMAT, SourceFile, glossary_part
from index.metadata import DocumentMeta, build_meta
from index.readers import UnreadableFile, read_file
from index.settings import IndexSettings


@dataclass(frozen=True)
class PreparedDocument:
    meta: DocumentMeta
    text: str
    spans: list[Span]
    content_hash: str
    source_hash: str = ""
    vectors: Any = None  # (chunks, dim) array when embedded where it was prepared


def _fingerprint(text: str, meta: DocumentMeta, settings: IndexSettings, signature: str) -> str:
    # Everything that changes the chunks or their vectors, and nothing volatile (path, mtime).
    fingerprint = json.dumps(
        [
            text,
            meta.model_dump(exclude={"path"}),
            settings.chunking.model_dump(),
            signature,
            FORMAT,
            *glossary_part(settings),
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
