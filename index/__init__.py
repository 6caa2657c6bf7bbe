"""How articles become chunks in Chroma, and how to search them."""

from index.figure_table import FigureTable, figures
from index.ingest import IngestLocked, IngestReport, ingest, ingest_records, remove_documents
from index.search import Hit, Searcher
from index.settings import IndexSettings
from index.store import EmbedderMismatch, Store, StoreError

__all__ = [
    "EmbedderMismatch",
    "FigureTable",
    "Hit",
    "IndexSettings",
    "IngestLocked",
    "IngestReport",
    "Searcher",
    "Store",
    "StoreError",
    "figures",
    "ingest",
    "ingest_records",
    "remove_documents",
]
