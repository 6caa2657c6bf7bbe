"""The default embedder: feature hashing of search features, no model and no download.

Features are CJK character bigrams, English word stems, glossary concepts and figure values of the
normalised text, hashed into `dim` signed buckets and L2-normalised. Concepts make it bilingual for
glossary terms. It is a lexical embedding: the BM25 index carries most of the ranking.
"""

from __future__ import annotations

import math
import re

import mmh3

from index.analysis import concepts, figures, search_form, stem
from index.embedders import register
from index.settings import EmbedderSettings

_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_LATIN_WORD = re.compile(r"[a-z][a-z'\-]+|\d+(?:\.\d+)?")


class HashingEmbedder:
    def __init__(self, dim: int = 512) -> None:
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
        vector = [0.0] * self.dim
        for key, count in self._features(text).items():
            h = mmh3.hash(key, signed=False)
            vector[h % self.dim] += (1.0 + math.log(count)) * (1.0 if h & 0x80000000 else -1.0)
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        return [v / norm for v in vector]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._embed(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._embed(text)


@register("hashing")
def _make(settings: EmbedderSettings) -> HashingEmbedder:
    return HashingEmbedder(settings.dim)
