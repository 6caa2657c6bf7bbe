"""The figures table: every figure record of the indexed documents, in a SQLite file in the data
folder (`figures.sqlite`), written by ingest beside the chunks and derived from the store like the
keyword index.

Consistency: a document's rows are written in one transaction after its chunks and its ready
record, together with the record's content hash. Readers only see the rows of documents whose
stored hash equals their ready record's hash in Chroma, so a run killed between the two writes
shows the document's old figures nowhere; every ingest ends with `sync`, which extracts again
(from the text stored in Chroma) what is missing or stale and drops what has no record.
"""

from __future__ import annotations

import contextlib
import csv
import io
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any

from index import figure_text as ft
from index.chunking import chunk_spans
from index.cleaning import content_spans
from index.figure_records import EXTRACTOR_VERSION, FigureRecord, extract_figures
from index.measure_matcher import counts_asked
from index.normalize import to_simplified
from index.settings import IndexSettings
from index.store import STATUS_READY, Store

FILE_NAME = "figures.sqlite"
DOCUMENT_COLUMNS = ("title", "source", "published", "language", "region")
RECORD_COLUMNS = tuple(f.name for f in fields(FigureRecord))
CSV_COLUMNS = (
    "doc_id",
    "title",
    "published",
    "place",
    "measure",
    "period",
    "kind",
    "text",
    "value",
    "unit",
    "normalised",
    "english",
    "measure_key",
    "place_key",
    "chunk",
    "start",
    "end",
    "sentence_start",
    "sentence_end",
)

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, hash TEXT NOT NULL, version INTEGER NOT NULL,
    {", ".join(f"{c} TEXT" for c in DOCUMENT_COLUMNS)}
);
CREATE TABLE IF NOT EXISTS figures (
    id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL, chunk INTEGER, start INTEGER, "end" INTEGER,
    sentence_start INTEGER, sentence_end INTEGER, text TEXT, value REAL, unit TEXT, measure TEXT,
    measure_key TEXT, measure_form TEXT, place TEXT, place_key TEXT, period TEXT, year INTEGER,
    kind TEXT, approximate INTEGER
);
CREATE INDEX IF NOT EXISTS figures_doc ON figures (doc_id);
CREATE INDEX IF NOT EXISTS figures_year ON figures (year);
"""


def records_of(
    doc_id: str, text: str, meta: Mapping[str, Any], chunks: Iterable[tuple[int, int]]
) -> list[FigureRecord]:
    """The figure records of one document, from its text, metadata and chunk spans."""
    return extract_figures(
        text,
        doc_id,
        published=str(meta.get("published") or ""),
        region=str(meta.get("region") or ""),
        language=str(meta.get("language") or ""),
        chunks=list(chunks),
    )


def document_figures(
    doc_id: str, digest: str, meta: Mapping[str, Any], text: str, spans: Iterable[Any]
) -> tuple[str, str, Mapping[str, Any], list[FigureRecord]]:
    """What FigureTable.put takes for one document: its id, content hash, metadata and records
    (`spans` are its chunks, objects with start and end)."""
    return doc_id, digest, meta, records_of(doc_id, text, meta, [(s.start, s.end) for s in spans])


class FigureTable:
    """The SQLite file; one connection per call, so threads and processes may share it."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / FILE_NAME

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=30)
        try:
            conn.executescript(_SCHEMA)
            with conn:  # one transaction: committed whole or not at all
                yield conn
        finally:
            conn.close()

    def put(self, documents: Iterable[tuple[str, str, Mapping[str, Any], list[FigureRecord]]]) -> None:
        """Replace the rows of each (doc_id, content hash, metadata, records), in one transaction."""
        with self._connect() as conn:
            for doc_id, digest, meta, records in documents:
                conn.execute("DELETE FROM figures WHERE doc_id = ?", (doc_id,))
                conn.execute(
                    f"INSERT OR REPLACE INTO documents VALUES (?, ?, ?, {', '.join('?' * len(DOCUMENT_COLUMNS))})",
                    (doc_id, digest, EXTRACTOR_VERSION, *(str(meta.get(c) or "") for c in DOCUMENT_COLUMNS)),
                )
                conn.executemany(
                    f"INSERT INTO figures ({', '.join(_quoted(RECORD_COLUMNS))}, measure_form) "
                    f"VALUES ({', '.join('?' * (len(RECORD_COLUMNS) + 1))})",
                    [(*(getattr(r, c) for c in RECORD_COLUMNS), _form(r.measure)) for r in records],
                )

    def remove(self, doc_ids: Iterable[str]) -> None:
        with self._connect() as conn:
            for doc_id in doc_ids:
                conn.execute("DELETE FROM figures WHERE doc_id = ?", (doc_id,))
                conn.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))

    def versions(self) -> dict[str, tuple[str, int]]:
        """doc_id -> (content hash, extractor version) of every document in the table."""
        if not self.path.exists():
            return {}
        with self._connect() as conn:
            return {d: (h, v) for d, h, v in conn.execute("SELECT doc_id, hash, version FROM documents")}

    def rows(
        self,
        ready: Mapping[str, str] | None = None,
        *,
        place: str | None = None,
        measure: str | None = None,
        year: int | None = None,
        kind: str | None = None,
        doc_id: str | None = None,
    ) -> list[dict[str, Any]]:
        """Figure rows (record fields, document title/source/published, normalised and english
        values) that match every filter given, ordered by measure, place and period. With `ready`
        (doc_id -> content hash of the store's ready documents) only those documents' current rows."""
        if not self.path.exists():
            return []
        sql = (
            "SELECT f.*, d.hash AS doc_hash, d.title, d.source, d.published, d.language "
            "FROM figures f JOIN documents d USING (doc_id) WHERE d.version = ?"
        )
        args: list[Any] = [EXTRACTOR_VERSION]
        if year is not None:
            sql += " AND (f.year = ? OR f.period LIKE ?)"
            args += [year, f"%{year}%"]
        if kind:
            sql += " AND f.kind = ?"
            args.append(kind)
        if doc_id:
            sql += " AND f.doc_id = ?"
            args.append(doc_id)
        sql += " ORDER BY f.measure_key, f.place_key, f.year, f.doc_id, f.start"
        with self._connect() as conn:
            conn.row_factory = sqlite3.Row
            found = [dict(r) for r in conn.execute(sql, args)]
        place_filter = _place_filter(place)
        measure_filter = _measure_filter(measure)
        out = []
        for row in found:
            if ready is not None and ready.get(row["doc_id"]) != row["doc_hash"]:
                continue
            if not (place_filter(row) and measure_filter(row)):
                continue
            out.append(_shown(row))
        return out


def _quoted(columns: Iterable[str]) -> list[str]:
    return [f'"{c}"' for c in columns]


def _form(text: str) -> str:
    return to_simplified(text).lower()


def _shown(row: dict[str, Any]) -> dict[str, Any]:
    record = FigureRecord(**{c: row[c] for c in RECORD_COLUMNS})
    out = {c: row[c] for c in RECORD_COLUMNS}
    out["approximate"] = bool(out["approximate"])
    out.update(
        title=row["title"] or "",
        source=row["source"] or "",
        published=row["published"] or "",
        language=row["language"] or "",
        normalised=record.normalised,
        english=record.english,
    )
    return out


def _place_filter(place: str | None) -> Any:
    if not place or not place.strip():
        return lambda row: True
    key, form = ft.place_key(place), _form(place.strip())
    return lambda row: row["place_key"] == key or (form and form in _form(row["place"] or ""))


def _measure_filter(measure: str | None) -> Any:
    """A row matches when its measure holds the words asked for (in any script), or names every
    glossary concept asked for (质押贷款 and 'pledge loan' both find 知识产权质押贷款; 'trademark
    applications' finds 商标注册申请): index.measure_matcher."""
    if not measure or not measure.strip():
        return lambda row: True
    form = _form(measure.strip())

    def matches(row: dict[str, Any]) -> bool:
        return form in (row["measure_form"] or "") or counts_asked(measure, row["measure"] or "")

    return matches


def to_csv(rows: Iterable[Mapping[str, Any]]) -> str:
    """Figure rows as CSV text (UTF-8, a header line, the columns of CSV_COLUMNS)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in CSV_COLUMNS})
    return out.getvalue()


def side_by_side(rows: Iterable[Mapping[str, Any]]) -> list[list[Mapping[str, Any]]]:
    """Rows of one measure, place, unit and kind whose values differ in periods that do not differ
    (13.8万件 and 137748件 of Dalian's registered trademarks in 2021), grouped: one row per
    distinct value and document, oldest period first."""
    groups: dict[tuple[str, str, str, str], list[Mapping[str, Any]]] = {}
    for row in rows:
        key = (row["measure_key"], row["place_key"], row["unit"] or "", row["kind"])
        groups.setdefault(key, []).append(row)
    out = []
    for group in groups.values():
        for year in sorted({r["year"] for r in group if r["year"] is not None}) or [None]:
            same = [r for r in group if r["year"] in (year, None)]
            distinct: dict[tuple[str, str], Mapping[str, Any]] = {}
            for row in same:
                distinct.setdefault((f"{row['value']:.4g}", row["doc_id"]), row)
            if len({k[0] for k in distinct}) > 1 and len({k[1] for k in distinct}) > 1:
                out.append(sorted(distinct.values(), key=lambda r: (r["year"] or 0, r["doc_id"])))
    return out


def ready_hashes(store: Store) -> dict[str, str]:
    """doc_id -> content hash of the store's ready documents."""
    records = store.document_records()
    return {d: str(r.get("hash", "")) for d, r in records.items() if r.get("status") == STATUS_READY}


def figures(
    settings: IndexSettings,
    *,
    place: str | None = None,
    measure: str | None = None,
    year: int | None = None,
    kind: str | None = None,
    store: Store | None = None,
) -> list[dict[str, Any]]:
    """The figures of the indexed documents that match every filter given (see FigureTable.rows)."""
    store = store or Store(settings)
    return FigureTable(store.settings.data_dir).rows(
        ready_hashes(store), place=place, measure=measure, year=year, kind=kind
    )


def sync(table: FigureTable, store: Store, settings: IndexSettings) -> int:
    """Bring the table in line with the store's ready documents: rows of documents without a ready
    record go, documents whose rows are missing, stale or of an older extractor are read again from
    the store (no file is read). Returns how many documents were extracted again."""
    ready = ready_hashes(store)
    have = table.versions()
    table.remove([d for d in have if d not in ready])
    todo = [d for d, h in ready.items() if have.get(d) != (h, EXTRACTOR_VERSION)]
    chunking = settings.chunking
    batch = []
    for doc_id, text, meta in store.documents_with_texts(todo):
        spans = chunk_spans(text, content_spans(text), chunking.max_tokens, chunking.overlap_tokens)
        batch.append(document_figures(doc_id, ready[doc_id], meta, text, spans))
    table.put(batch)
    return len(batch)
