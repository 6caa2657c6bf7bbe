"""The default embedder: feature hashing of search features, no model and no download.

Features are CJK character bigrams, English word stems, glossary concepts and figure values of the
normalised text, hashed into `dim` signed buckets and L2-normalised. Concepts make it bilingual for
glossary terms. It is a lexical embedding: the BM25 index carries most of the ranking.
"""

from __future__ import annotations

import re

import mmh3
import numpy as np

from index.analysis import concepts, figures, search_form, stem
from index.embedders import register
from index.settings import EmbedderSettings

_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_LATIN_WORD = re.compile(r"[a-z][a-z'\-]+|\d+(?:\.\d+)?")


class HashingEmbedder:
    def __init__(self, dim: int = 256) -> None:
        if dim < 16:
            raise ValueError("the hashing embedder needs dim >= 16")
        self.dim = dim

    @property
    def signature(self) -> str:
        return f"hashing-v1-{self.dim}"

    def _features(self, text: str) -> dict[str, float]:
        form = search_form(text)
        weights: dict[str, float] = {}
        for run in _CJK_RUN.findall(form):
            for i in range(len(run) - 1):
                key = run[i : i + 2]
                weights[key] = weights.get(key, 0.0) + 1.0
        for word in _LATIN_WORD.findall(form):
            key = stem(word)
            weights[key] = weights.get(key, 0.0) + 1.0
        for key in concepts(form):
            weights[key] = weights.get(key, 0.0) + 2.0
        for key in figures(form):
            weights[key] = weights.get(key, 0.0) + 2.0
        return weights

    def _embed(self, text: str) -> list[float]:
        weights = self._features(text)
        if not weights:
            return [0.0] * self.dim
        hashes = np.fromiter(
            (mmh3.hash(key, signed=False) for key in weights), dtype=np.uint64, count=len(weights)
        )
        counts = np.fromiter(weights.values(), dtype=np.float64, count=len(weights))
        signs = np.where(hashes & 0x80000000, 1.0, -1.0)
        vector = np.bincount(
            (hashes % self.dim).astype(np.intp), weights=(1.0 + np.log(counts)) * signs, minlength=self.dim
        )
        norm = float(np.sqrt(vector @ vector)) or 1.0
        return (vector / norm).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._embed(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._embed(text)


@register("hashing")
def _make(settings: EmbedderSettings) -> HashingEmbedder:
    return HashingEmbedder(settings.dim)
