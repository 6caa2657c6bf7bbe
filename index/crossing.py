"""The hashing embedder's cosines of passages to one question, each computed once per search.

Its vectors hold the glossary's concepts, so its cosines cross languages (发明专利 for "invention
patents"). With a neural embedder three places read them: `fuse` ranks another language's passages
on them, the learned order (index.reranking) has them as a feature, and the answer selector reads
them as the scale it was trained on (`Hit.hashing_dense`; docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from index.embedders.hashing import HashingEmbedder

if TYPE_CHECKING:
    from index.search import Hit

_EMBEDDER = HashingEmbedder()


class Crossing:
    """The hashing cosines to `query`, by chunk id: the question and each passage hashed once."""

    def __init__(self, query: str) -> None:
        self.query = query
        self._vector: np.ndarray | None = None
        self._cosines: dict[str, float] = {}

    def of(self, hits: Sequence[Hit]) -> list[float]:
        """The cosine of each hit's text to the question (0 for each without a question)."""
        if not self.query:
            return [0.0] * len(hits)
        missing = {h.chunk_id: h.text for h in hits if h.chunk_id not in self._cosines}
        if missing:
            texts = list(missing.values())
            if self._vector is None:
                vectors = _EMBEDDER.embed_array([self.query, *texts])
                self._vector, vectors = vectors[0], vectors[1:]
            else:
                vectors = _EMBEDDER.embed_array(texts)
            self._cosines.update(zip(missing, (float(c) for c in vectors @ self._vector), strict=True))
        return [self._cosines[h.chunk_id] for h in hits]


__all__ = ["Crossing"]
