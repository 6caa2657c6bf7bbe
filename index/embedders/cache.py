"""Vectors already computed, kept in the data folder: re-ingesting or re-chunking never embeds the
same text twice with the same embedder.

One SQLite file; a row's key is a hash of the embedder signature, the mode (passage or query) and
the text, its value the float32 vector. WAL mode lets a search process read while an ingest writes.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

FILE_NAME = "embeddings.sqlite"


def cache_key(signature: str, mode: str, text: str) -> bytes:
    return hashlib.sha256(f"{signature}\n{mode}\n{text}".encode()).digest()


class EmbeddingCache:
    """Vectors of one embedder signature, by text."""

    def __init__(self, path: Path, signature: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path, self.signature = path, signature
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), timeout=60.0, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vector BLOB NOT NULL)")
        self._db.commit()

    def get(self, texts: Sequence[str], mode: str = "passage") -> list[np.ndarray | None]:
        """The cached vector of each text, None where there is none."""
        keys = [cache_key(self.signature, mode, t) for t in texts]
        found: dict[bytes, np.ndarray] = {}
        with self._lock:
            for start in range(0, len(keys), 500):
                part = keys[start : start + 500]
                rows = self._db.execute(
                    f"SELECT key, vector FROM vectors WHERE key IN ({','.join('?' * len(part))})", part
                ).fetchall()
                found.update((k, np.frombuffer(v, dtype=np.float32)) for k, v in rows)
        return [found.get(k) for k in keys]

    def put(self, texts: Sequence[str], vectors: Any, mode: str = "passage") -> None:
        rows = [
            (cache_key(self.signature, mode, t), np.asarray(v, dtype=np.float32).tobytes())
            for t, v in zip(texts, vectors, strict=True)
        ]
        with self._lock:
            self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)
            self._db.commit()

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()
