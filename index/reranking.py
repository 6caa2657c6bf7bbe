"""A learned order for the fused top candidates of a neural embedder (docs/performance.md).

`fuse` ranks chunks by one hand-set formula (BM25 share + weight x scaled cosine). A LightGBM
lambdarank model (session 8's: a logistic regression) over what is known of each of the top
`TOP_N` chunks (its BM25 and dense scores and ranks, the hashing embedder's cosine, the fused
score and its gaps, how much of the question's character pairs the chunk, its neighbours, its
document and its title hold, whether the question names its title whole, its length) reorders
them. It was fitted on CMRC 2018 dev and DRCD dev, split by article
(`tests/benchmarks/train_fusion.py`, which writes `index/data/fusion.json`).

Only the passages in the question's language are reordered, among the places they held: the
model was fitted on single-language collections, and another language's passages keep the
position the per-language rule of `fuse` gave them. Scores stay the fused ones, in order (the
i-th place keeps the i-th score), so everything that reads a hit's score keeps its scale.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from index.analysis import search_form

if TYPE_CHECKING:
    from index.keyword import KeywordIndex
    from index.search import Hit

MODEL_FILE = "fusion.json"
FORMAT = 1
# The fused top chunks the model reorders (it was fitted on the same number).
TOP_N = 20
FEATURES = (
    "bm25_share",
    "bm25_rr",
    "cosine",
    "cosine_gap",
    "dense_rr",
    "hashing_cosine",
    "fused",
    "fused_gap",
    "fused_rr",
    "document_gap",
    "cover_chunk",
    "cover_context",
    "cover_document",
    "cover_title",
    "title_in_question",
    "length",
)
_WORD = re.compile(r"[\W_]+")
# A title's trailing qualifier, as encyclopedias tell namesakes apart: 大曲车站 (秋田县).
_QUALIFIER = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")


@functools.lru_cache(maxsize=65536)
def pairs(text: str) -> frozenset[str]:
    """The character pairs of `text`'s words in the search form (a one-character word as itself)."""
    out: set[str] = set()
    for word in _WORD.split(search_form(text)):
        out.update(word[i : i + 2] for i in range(len(word) - 1))
        if len(word) == 1:
            out.add(word)
    return frozenset(out)


def title_in_question(title: str, question: str) -> float:
    """1.0 where `title`, without a trailing qualifier in brackets, stands whole in `question`
    (both in the search form): the question names the article (前肛鳗 against 异齿前肛鳗, whose
    character pairs it covers as well)."""
    name = search_form(_QUALIFIER.sub("", title)).strip()
    return float(bool(name) and name in search_form(question))


def _context_pairs(keyword: KeywordIndex, doc: str, chunk: int) -> frozenset[str]:
    """The pairs of a chunk with its two neighbours."""
    out: set[str] = set()
    for i in (chunk - 1, chunk, chunk + 1):
        where = keyword.position.get(f"{doc}#{i}")
        if where is not None:
            out |= pairs(keyword.texts[where])
    return frozenset(out)


def _document_pairs(keyword: KeywordIndex, doc: str, chunk: int) -> frozenset[str]:
    """The pairs of every chunk of a document (one of its chunks numbered `chunk`)."""
    out: set[str] = set()
    for step, start in ((-1, chunk - 1), (1, chunk)):
        i = start
        while (where := keyword.position.get(f"{doc}#{i}")) is not None:
            out |= pairs(keyword.texts[where])
            i += step
    return frozenset(out)


def features(keyword: KeywordIndex, hits: list[Hit], query: str, hashing: list[float]) -> np.ndarray:
    """One row of FEATURES per hit (`hits`: the fused top candidates, best first; `hashing`: the
    hashing embedder's cosine of each to the query)."""
    asked = pairs(query)
    size = len(asked) or 1
    top_bm25 = max((h.bm25 for h in hits), default=0.0) or 1.0
    cosines = [h.dense for h in hits if "dense" in h.ranks]
    low, high = (min(cosines), max(cosines)) if cosines else (0.0, 0.0)
    top = hits[0].score if hits else 0.0
    best: dict[str, float] = {}
    whole: dict[str, frozenset[str]] = {}
    for h in hits:
        best.setdefault(h.doc_id, h.score)
        if h.doc_id not in whole:
            whole[h.doc_id] = _document_pairs(keyword, h.doc_id, int(h.meta.get("chunk", 0)))
    rows = []
    for place, (h, crossing) in enumerate(zip(hits, hashing, strict=True)):
        near = _context_pairs(keyword, h.doc_id, int(h.meta.get("chunk", 0)))
        cosine = h.dense if "dense" in h.ranks else low
        rows.append(
            [
                h.bm25 / top_bm25,
                1.0 / h.ranks["bm25"] if "bm25" in h.ranks else 0.0,
                cosine,
                cosine - high,
                1.0 / h.ranks["dense"] if "dense" in h.ranks else 0.0,
                crossing,
                h.score,
                h.score - top,
                1.0 / (place + 1),
                best[h.doc_id] - h.score,
                len(asked & pairs(h.text)) / size,
                len(asked & near) / size,
                len(asked & whole[h.doc_id]) / size,
                len(asked & pairs(str(h.meta.get("title", "")))) / size,
                title_in_question(str(h.meta.get("title", "")), query),
                min(len(h.text.strip()), 400) / 400,
            ]
        )
    return np.array(rows, dtype=float).reshape(len(rows), len(FEATURES))


@dataclass
class FusionModel:
    """A LightGBM lambdarank model over FEATURES (`ranker`, its model text), or without one a
    logistic regression, its inputs standardised by `mean` and `scale`."""

    mean: list[float]
    scale: list[float]
    weights: list[float]
    meta: dict[str, Any]
    ranker: str = ""

    @functools.cached_property
    def _booster(self) -> Any:
        import lightgbm

        return lightgbm.Booster(model_str=self.ranker)

    def scores(self, rows: np.ndarray) -> np.ndarray:
        """The model's scores of each row's chunk being from the document that answers (higher
        first; a logistic regression's log-odds)."""
        if self.ranker:
            return np.asarray(self._booster.predict(rows, num_threads=1), dtype=float)
        standard = (rows - np.asarray(self.mean)) / np.asarray(self.scale)
        return np.asarray(standard @ np.asarray(self.weights), dtype=float)

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "features": list(FEATURES),
                "top_n": TOP_N,
                "mean": self.mean,
                "scale": self.scale,
                "weights": self.weights,
                "ranker": self.ranker,
                "meta": self.meta,
            },
            indent=1,
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> FusionModel:
        data = json.loads(text)
        if data.get("format") != FORMAT or data.get("features") != list(FEATURES):
            raise ValueError(f"{MODEL_FILE}: made for other features; train it again (train_fusion)")
        return cls(data["mean"], data["scale"], data["weights"], data.get("meta", {}), data.get("ranker", ""))


@functools.cache
def shipped() -> FusionModel | None:
    """The model in the package (index/data/fusion.json); None before one is trained."""
    where = resources.files("index").joinpath("data", MODEL_FILE)
    return FusionModel.from_json(where.read_text("utf-8")) if where.is_file() else None


def load(path: Path) -> FusionModel:
    return FusionModel.from_json(path.read_text(encoding="utf-8"))


def reordered(hits: list[Hit], scores: np.ndarray, own: list[bool]) -> list[Hit]:
    """`hits` with those where `own` is true ordered by `scores` among their places; every place
    keeps its fused score."""
    places = [i for i, mine in enumerate(own) if mine]
    ranked = sorted(places, key=lambda i: (-scores[i], i))
    out = list(hits)
    for place, i in zip(places, ranked, strict=True):
        out[place] = hits[i]
    kept = [h.score for h in hits]
    for place, hit in enumerate(out):
        hit.score = kept[place]
    return out


__all__ = [
    "FEATURES",
    "TOP_N",
    "FusionModel",
    "features",
    "load",
    "pairs",
    "reordered",
    "shipped",
    "title_in_question",
]
