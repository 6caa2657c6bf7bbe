"""The indexed articles as the front ends see them: list, read, upload and remove documents.

Shared by the web chat and the HTTP API so both apply the same limits (size, file type, id
clashes); the indexing itself is `index.ingest`.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.pipeline import Assistant
from index.chunking import context_span
from index.figure_table import figures
from index.ingest import IngestReport, Progress, ingest, remove_documents
from index.readers import SUPPORTED_SUFFIXES

CONTEXT_CHARS = 240  # at most this many characters shown either side of a cited passage,
CONTEXT_SENTENCES = 2  # and at most this many sentences (a line is one)
WHOLE_DOCUMENT_CHARS = 60_000  # the "whole document" of a longer one is this much around the passage
CACHED_TEXTS = 32  # documents whose text the sources panel keeps while the index is unchanged


class UploadRejected(ValueError):
    """An upload the library does not take; `status` is the HTTP status that fits."""

    def __init__(self, message: str, status: int = 422, code: str = "unreadable_file") -> None:
        super().__init__(message)
        self.status = status
        self.code = code


@dataclass(frozen=True)
class Passage:
    """A cited passage in its surrounding text: before + quote + after are the original text."""

    before: str
    quote: str
    after: str
    clipped_start: bool
    clipped_end: bool
    document: str = ""  # the whole text the passage is from ("" when it is gone)


class Library:
    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.settings = assistant.settings
        self.uploads = Path(self.settings.data_dir) / "uploads"
        # The sources panel of every answer read each cited document from the store (a request to
        # a Chroma server each, and the whole text decoded), though a few documents are cited
        # again and again: texts are kept while the keyword index's state (Chroma's generation and
        # chunk count) stays the same; any ingest or removal changes it.
        self._texts: OrderedDict[str, str] = OrderedDict()
        self._texts_state: dict[str, Any] | None = None
        self._texts_lock = threading.Lock()

    @property
    def max_upload_bytes(self) -> int:
        return int(self.settings.server.max_upload_mb * 1024 * 1024)

    # -- reading ------------------------------------------------------------------------------

    def documents(self) -> list[dict[str, Any]]:
        """Every indexed document: id, title, source, date, language, chunks, status."""
        records = self.assistant.searcher.store.document_records()
        rows = []
        for doc_id, meta in sorted(records.items()):
            rows.append(
                {
                    "doc_id": doc_id,
                    "title": str(meta.get("title", "")),
                    "source": str(meta.get("source", "")),
                    "published": str(meta.get("published", "")),
                    "language": str(meta.get("language", "")),
                    "chunks": int(meta.get("chunks", 0) or 0),
                    "status": str(meta.get("status", "")),
                }
            )
        return rows

    def document(self, doc_id: str) -> tuple[str, dict[str, Any]] | None:
        return self.assistant.searcher.store.document(doc_id)

    def figures(
        self,
        place: str | None = None,
        measure: str | None = None,
        year: int | None = None,
        kind: str | None = None,
    ) -> list[dict[str, Any]]:
        """The figures table of the indexed documents, filtered (index.figure_table)."""
        store = self.assistant.searcher.store
        return figures(self.settings, place=place, measure=measure, year=year, kind=kind, store=store)

    def passage(self, doc_id: str, start: int, end: int, quote: str = "") -> Passage:
        """The passage at [start, end) of a document with a few sentences either side (within
        CONTEXT_CHARS, on word boundaries), and the document it is from.

        Falls back to the quote alone when the document is gone or the offsets do not match it."""
        text = self._text(doc_id)
        if not (0 <= start < end <= len(text)) or (quote and text[start:end] != quote):
            return Passage("", quote, "", False, False)
        around = context_span(text, start, end, CONTEXT_CHARS, CONTEXT_SENTENCES)
        lo, hi = around.start, around.end
        return Passage(text[lo:start], text[start:end], text[end:hi], lo > 0, hi < len(text), text)

    def _text(self, doc_id: str) -> str:
        state = self.assistant.searcher.keyword.state
        with self._texts_lock:
            if state != self._texts_state:
                self._texts.clear()
                self._texts_state = state
            elif doc_id in self._texts:
                self._texts.move_to_end(doc_id)
                return self._texts[doc_id]
        found = self.document(doc_id)
        text = found[0] if found else ""
        with self._texts_lock:
            if state == self._texts_state:
                self._texts[doc_id] = text
                while len(self._texts) > CACHED_TEXTS:
                    self._texts.popitem(last=False)
        return text

    # -- changing -----------------------------------------------------------------------------

    def check_upload(self, name: str, size: int) -> str:
        """The file name an upload is stored under; raises UploadRejected for what is refused."""
        clean = safe_name(name)
        suffix = Path(clean).suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            raise UploadRejected(
                f"unsupported file type {suffix or '(none)'}; accepted: {', '.join(SUPPORTED_SUFFIXES)}",
                415,
                "unsupported_type",
            )
        if size > self.max_upload_bytes:
            raise UploadRejected(
                f"{name}: {size} bytes, over the upload limit of {self.settings.server.max_upload_mb:g} MB",
                413,
                "file_too_large",
            )
        if size == 0:
            raise UploadRejected(f"{name}: empty file", 422, "empty_file")
        doc_id = Path(clean).stem
        existing = self.document(doc_id)
        if existing is not None:
            path = str(existing[1].get("path", ""))
            if path and Path(path).resolve().parent != self.uploads.resolve():
                raise UploadRejected(
                    f"a bundled or ingested document already has the id {doc_id!r}; rename the file",
                    409,
                    "id_taken",
                )
        return clean

    def add(self, name: str, source: Path, progress: Progress | None = None) -> IngestReport:
        """Index one uploaded file (copied into the uploads folder); an earlier upload of the same
        name is replaced. A file the readers refuse is not kept and raises UploadRejected."""
        clean = self.check_upload(name, source.stat().st_size)
        self.uploads.mkdir(parents=True, exist_ok=True)
        target = self.uploads / clean
        backup = None
        if target.exists():
            backup = Path(tempfile.mkdtemp(dir=self.uploads, prefix=".old-")) / clean
            shutil.move(target, backup)
        try:
            shutil.copyfile(source, target)
            report = ingest([target], self.settings, progress=progress)
        except BaseException:
            _restore(target, backup)
            raise
        if report.rejected:
            _restore(target, backup)
            raise UploadRejected(f"{name}: {report.rejected[0].reason}")
        if backup is not None:
            shutil.rmtree(backup.parent, ignore_errors=True)
        self.assistant.searcher.refresh()
        return report

    def remove(self, doc_ids: list[str]) -> list[str]:
        """Remove documents; an uploaded one's file goes too (or the next ingest of the uploads
        folder would bring it back). Only a document's own file, as its record names it, inside
        the uploads folder and named by no other document, is deleted."""
        records = self.assistant.searcher.store.document_records()
        removed = remove_documents(doc_ids, self.settings)
        others = {_resolved(m.get("path")) for d, m in records.items() if d not in removed}
        uploads = self.uploads.resolve()
        for doc_id in removed:
            own = _resolved(records.get(doc_id, {}).get("path"))
            if own is not None and own.parent == uploads and own not in others:
                own.unlink(missing_ok=True)
        if removed:
            self.assistant.searcher.refresh()
        return removed


MAX_NAME = 120  # characters of a stored upload's file name


def safe_name(name: str) -> str:
    """A plain file name of at most MAX_NAME characters, its extension kept: no folders, no leading
    dots, only letters, digits and - _ . (CJK kept)."""
    base = Path(str(name).replace("\\", "/")).name
    base = re.sub(r"[^\w.\-]+", "-", base, flags=re.UNICODE).lstrip(".-") or "upload"
    suffix = Path(base).suffix if len(Path(base).suffix) <= 16 else ""
    stem = base[: len(base) - len(suffix)]
    return stem[: MAX_NAME - len(suffix)] + suffix


def _resolved(path: object) -> Path | None:
    return Path(str(path)).resolve() if path else None


def _restore(target: Path, backup: Path | None) -> None:
    target.unlink(missing_ok=True)
    if backup is not None:
        shutil.move(backup, target)
        shutil.rmtree(backup.parent, ignore_errors=True)
