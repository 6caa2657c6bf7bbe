"""Feedback on answers (thumbs up or down, optional comment), kept in SQLite in the data folder."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created REAL NOT NULL,
    rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
    comment TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL,
    searched_question TEXT NOT NULL DEFAULT '',
    answer TEXT NOT NULL,
    answerable INTEGER NOT NULL,
    citations TEXT NOT NULL DEFAULT '[]',
    user TEXT NOT NULL DEFAULT ''
)
"""
MAX_COMMENT_CHARS = 4000


class FeedbackStore:
    """One SQLite file; safe to share between threads (one connection per call)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with self._connect() as db:
            db.execute(SCHEMA)

    @classmethod
    def in_data_dir(cls, data_dir: Path) -> FeedbackStore:
        return cls(Path(data_dir) / "feedback.sqlite")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    def add(self, rating: int, answer: dict[str, Any], comment: str = "", user: str = "") -> int:
        """Store one rating (+1 or -1) of an answer (the Answer as a dict); returns its id."""
        if rating not in (-1, 1):
            raise ValueError("rating must be 1 (helpful) or -1 (not helpful)")
        row = (
            time.time(),
            rating,
            (comment or "")[:MAX_COMMENT_CHARS],
            str(answer.get("question", "")),
            str(answer.get("searched_question", "")),
            str(answer.get("answer", "")),
            int(bool(answer.get("answerable"))),
            json.dumps(answer.get("citations") or answer.get("related") or [], ensure_ascii=False),
            user,
        )
        with self._lock, self._connect() as db:
            cur = db.execute(
                "INSERT INTO feedback (created, rating, comment, question, searched_question, answer,"
                " answerable, citations, user) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            return int(cur.lastrowid or 0)

    def set_comment(self, feedback_id: int, comment: str) -> bool:
        with self._lock, self._connect() as db:
            cur = db.execute(
                "UPDATE feedback SET comment = ? WHERE id = ?",
                ((comment or "")[:MAX_COMMENT_CHARS], int(feedback_id)),
            )
            return cur.rowcount > 0

    def rows(self) -> Iterator[dict[str, Any]]:
        with self._connect() as db:
            db.row_factory = sqlite3.Row
            for row in db.execute("SELECT * FROM feedback ORDER BY id"):
                item = dict(row)
                item["citations"] = json.loads(item["citations"] or "[]")
                item["answerable"] = bool(item["answerable"])
                item["created"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(item["created"]))
                yield item

    def export_jsonl(self, out: Any) -> int:
        """Write every row as one JSON line to the text stream `out`; returns the count."""
        count = 0
        for item in self.rows():
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
            count += 1
        return count
