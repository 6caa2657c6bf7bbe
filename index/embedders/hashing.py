"""The default embedder: feature hashing of search features, no model and no download.

Features are CJK character bigrams, English word stems, glossary concepts and figure values of the
normalised text, hashed into `dim` signed buckets and L2-normalised. Concepts make it bilingual for
glossary terms. It is a lexical embedding: the BM25 index carries most of the ranking.

A batch is embedded with a few NumPy passes over all its texts at once (bigrams are pairs of code
points, hashed by a 64-bit mix), rather than one Python step per feature: embedding was about a
sixth of ingest time when it walked each bigram in Python.
"""

from __future__ import annotations

import re

import mmh3
import numpy as np

from index.analysis import concepts, figures, search_form, stem
from index.embedders import register
from index.settings import EmbedderSettings

_LATIN_WORD = re.compile(r"[a-z][a-z'\-]+|\d+(?:\.\d+)?")
_STRING_KEY = np.uint64(1 << 63)  # string features' keys never equal a bigram's (< 2**42)
_CJK_FIRST, _CJK_LAST = 0x3400, 0x9FFF
VERSION = 2  # part of the signature: bump when the vectors of a text change


def _mix(keys: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: spreads 64-bit keys over all bits (wrapping arithmetic)."""
    with np.errstate(over="ignore"):
        h = keys ^ (keys >> np.uint64(30))
        h = h * np.uint64(0xBF58476D1CE4E5B9)
        h = h ^ (h >> np.uint64(27))
        h = h * np.uint64(0x94D049BB133111EB)
        return h ^ (h >> np.uint64(31))


class HashingEmbedder:
    def __init__(self, dim: int = 64) -> None:
        if dim < 16:
            raise ValueError("the hashing embedder needs dim >= 16")
        self.dim = dim

    @property
    def signature(self) -> str:
        return f"hashing-v{VERSION}-{self.dim}"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_array(texts).tolist()  # type: ignore[no-any-return]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_array([text])[0].tolist()  # type: ignore[no-any-return]

    def embed_array(self, texts: list[str]) -> np.ndarray:
        """Vectors of `texts` as an (n, dim) float32 array, rows L2-normalised (zero for a text
        without features)."""
        n = len(texts)
        out = np.zeros((n, self.dim), dtype=np.float32)
        if not n:
            return out
        forms = [search_form(t) for t in texts]
        rows, keys, weights = self._bigrams(forms)
        strings: list[str] = []
        string_rows: list[int] = []
        string_weights: list[float] = []
        for row, form in enumerate(forms):
            for key, weight in (
                *((stem(w), 1.0) for w in _LATIN_WORD.findall(form)),
                *((c, 2.0) for c in concepts(form)),
                *((f, 2.0) for f in figures(form)),
            ):
                strings.append(key)
                string_rows.append(row)
                string_weights.append(weight)
        if strings:
            hashed = np.fromiter(
                (mmh3.hash64(s, signed=False)[0] for s in strings), dtype=np.uint64, count=len(strings)
            )
            rows = np.concatenate([rows, np.asarray(string_rows, dtype=np.int64)])
            keys = np.concatenate([keys, hashed | _STRING_KEY])
            weights = np.concatenate([weights, np.asarray(string_weights, dtype=np.float64)])
        if not len(keys):
            return out
        # Sum the weights of each feature within its text, then weight it 1 + log(sum).
        order = np.lexsort((keys, rows))
        rows, keys, weights = rows[order], keys[order], weights[order]
        starts = np.flatnonzero(np.r_[True, (rows[1:] != rows[:-1]) | (keys[1:] != keys[:-1])])
        rows, keys = rows[starts], keys[starts]
        totals = np.add.reduceat(weights, starts)
        hashes = _mix(keys)
        signs = np.where(hashes >> np.uint64(63), 1.0, -1.0)
        cells = rows * self.dim + (hashes % np.uint64(self.dim)).astype(np.int64)
        flat = np.bincount(cells, weights=(1.0 + np.log(totals)) * signs, minlength=n * self.dim)
        vectors = flat.reshape(n, self.dim)
        norms = np.sqrt(np.einsum("ij,ij->i", vectors, vectors))
        norms[norms == 0] = 1.0
        out[:] = vectors / norms[:, None]
        return out

    @staticmethod
    def _bigrams(forms: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row, key, weight 1.0) of every CJK character bigram of every form, all texts at once:
        the forms are joined by a line break, which is not CJK, so no bigram spans two texts."""
        joined = "\n".join(forms)
        points = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        lengths = np.fromiter((len(f) + 1 for f in forms), dtype=np.int64, count=len(forms))
        text_of = np.repeat(np.arange(len(forms), dtype=np.int64), lengths)[: len(points)]
        cjk = (points >= _CJK_FIRST) & (points <= _CJK_LAST)
        pairs = np.flatnonzero(cjk[:-1] & cjk[1:])
        keys = (points[pairs] << np.uint64(21)) | points[pairs + 1]
        return text_of[pairs], keys, np.ones(len(pairs), dtype=np.float64)


@register("hashing")
def _make(settings: EmbedderSettings) -> HashingEmbedder:
    return HashingEmbedder(settings.dim)
