"""Built training examples kept on disk, so that retraining does not ask every question again."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from assistant.selection.dataset import LABELS_VERSION, Asked, Example
from assistant.selection.features import SENTENCE_FEATURES

_ARRAYS = ("rows", "relevance", "right", "chars", "docs", "gold_doc")


def signature(*parts: bytes) -> str:
    """What a cached file was built from: its sources, the sentence features' names (the question
    features are worked out from those rows at training) and how examples are labelled."""
    digest = hashlib.sha1(",".join(SENTENCE_FEATURES).encode() + f" labels {LABELS_VERSION}".encode())
    for part in parts:
        digest.update(part)
    return digest.hexdigest()[:16]


def save(path: Path, examples: list[Example]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    sizes = np.asarray([len(e.rows) for e in examples], dtype=np.int64)
    arrays = {
        name: np.concatenate([getattr(e, name) for e in examples])
        if examples
        else np.zeros((0, len(SENTENCE_FEATURES)))
        for name in _ARRAYS
    }
    retrieval = np.stack([e.retrieval for e in examples]) if examples else np.zeros((0, 2))
    rules = np.stack([e.rules for e in examples]) if examples else np.zeros((0, 4), dtype=np.int32)
    asked = json.dumps([_asked_row(e.asked) for e in examples], ensure_ascii=False)
    tmp = path.with_suffix(".tmp.npz")
    arrays |= {"sizes": sizes, "retrieval": retrieval, "rules": rules, "asked": np.asarray(asked)}
    np.savez_compressed(tmp, **arrays)  # type: ignore[arg-type]
    tmp.replace(path)


def load(path: Path) -> list[Example]:
    with np.load(path) as data:
        sizes = data["sizes"]
        cuts = np.cumsum(sizes)[:-1]
        split = {name: np.split(data[name], cuts) if len(sizes) else [] for name in _ARRAYS}
        retrieval = data["retrieval"]
        rules = data["rules"]
        asked = [_asked_of(row) for row in json.loads(str(data["asked"]))]
    return [
        Example(a, **{name: split[name][i] for name in _ARRAYS}, retrieval=retrieval[i], rules=rules[i])
        for i, a in enumerate(asked)
    ]


def _asked_row(asked: Asked) -> dict[str, object]:
    row = asdict(asked)
    for key in ("docs", "removed"):
        row[key] = sorted(row[key])
    row["answers"] = list(asked.answers)
    return row


def _asked_of(row: dict[str, Any]) -> Asked:
    return Asked(
        qid=str(row["qid"]),
        question=str(row["question"]),
        group=str(row["group"]),
        docs=frozenset(row["docs"]),
        answers=tuple(row["answers"]),
        removed=frozenset(row["removed"]),
        variant=str(row["variant"]),
    )
