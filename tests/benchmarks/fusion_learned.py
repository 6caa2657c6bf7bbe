"""A fusion tuned on validation articles, for bench_embedders: the product's e5 fusion
(index.search.fuse, "scaled") plus what a question's words share with a passage's surroundings,
its weights chosen on the validation articles' questions and reported on the held-out articles'.

A candidate chunk scores its fused score (BM25 share + dense weight x scaled cosine) + `context` x
the share of the question's character pairs found in the chunk and its neighbours + `document` x
the share found anywhere in its document. The document terms are for questions that name the
subject in one chunk and ask about another (胸斑眶锯雀鲷 … 水深多少: the name opens the paragraph,
the depth is two chunks on). Session 7 measured it (docs/performance.md): it fits the validation
articles better than the product's fusion but does not carry over to CMRC's held-out articles.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

from index.reranking import pairs

# The grid searched on the validation articles: dense weight, context and document coverage.
GRID = {"dense": (0.5, 0.7, 1.0), "context": (0.0, 0.5), "document": (0.0, 0.5, 1.0, 2.0)}


class Coverage:
    """Character pairs of each chunk, of each chunk with its neighbours and of each document of
    one keyword index, computed on first use."""

    def __init__(self, keyword: Any) -> None:
        self.keyword = keyword
        self.chunks: dict[int, frozenset[str]] = {}
        self.docs: dict[str, list[int]] = {}
        for pos, meta in enumerate(keyword.metas):
            self.docs.setdefault(str(meta.get("doc_id", "")), []).append(pos)
        self.whole: dict[str, frozenset[str]] = {}

    def chunk(self, pos: int) -> frozenset[str]:
        if pos not in self.chunks:
            self.chunks[pos] = pairs(self.keyword.texts[pos])
        return self.chunks[pos]

    def shares(self, question: frozenset[str], pos: int) -> tuple[float, float]:
        """The share of `question`'s pairs in the chunk with its neighbours, and in its document."""
        meta = self.keyword.metas[pos]
        doc, index = str(meta.get("doc_id", "")), int(meta.get("chunk", 0))
        near = set(self.chunk(pos))
        for other in (f"{doc}#{index - 1}", f"{doc}#{index + 1}"):
            where = self.keyword.position.get(other)
            if where is not None:
                near |= self.chunk(where)
        if doc not in self.whole:
            self.whole[doc] = frozenset().union(*(self.chunk(p) for p in self.docs[doc]))
        size = len(question) or 1
        return len(question & near) / size, len(question & self.whole[doc]) / size


def _ranked_docs(
    hits: list[Any], extra: dict[str, tuple[float, float]], context: float, document: float
) -> list[str]:
    from assistant.settings import RetrievalSettings

    def score(h: Any) -> float:
        near, whole = extra[h.chunk_id]
        return float(h.score + context * near + document * whole)

    top = sorted(hits, key=lambda h: -score(h))[: RetrievalSettings().top_k]
    return list(dict.fromkeys(h.doc_id for h in top))


def learned(items: list[dict[str, Any]], recorded: list[Any]) -> dict[str, Any]:
    """Document hit@1 / hit@5 of every weight set of GRID on each half of the articles, and the
    set with the best validation hit@1 (then hit@5, then the first in GRID's order)."""
    from index.search import fuse

    coverage: dict[int, Coverage] = {}
    cells: dict[tuple[float, float, float], dict[str, list[int]]] = {}
    for item, (keyword, bm25, dense, language, query) in zip(items, recorded, strict=True):
        cover = coverage.setdefault(id(keyword), Coverage(keyword))
        asked = pairs(query)
        part = "held_out" if item["held_out"] else "validation"
        extra: dict[str, tuple[float, float]] = {}
        for w in GRID["dense"]:
            hits = fuse(keyword, bm25, dense, language, fusion="scaled", dense_weight=w, query=query)
            for h in hits:
                if h.chunk_id not in extra:
                    extra[h.chunk_id] = cover.shares(asked, keyword.position[h.chunk_id])
            for context, document in itertools.product(GRID["context"], GRID["document"]):
                found = _ranked_docs(hits, extra, context, document)
                cell = cells.setdefault(
                    (w, context, document), {"validation": [0, 0, 0], "held_out": [0, 0, 0]}
                )
                cell[part][0] += 1
                cell[part][1] += bool(found) and found[0] == item["doc"]
                cell[part][2] += item["doc"] in found[:5]
    order = list(cells)

    def key(weights: tuple[float, float, float]) -> tuple[int, int, int]:
        _, h1, h5 = cells[weights]["validation"]
        return h1, h5, -order.index(weights)

    best = max(order, key=key)
    return {
        "weights": dict(zip(("dense", "context", "document"), best, strict=True)),
        "counts": {
            part: dict(zip(("questions", "hit@1", "hit@5"), n, strict=True))
            for part, n in cells[best].items()
        },
        "product": {
            part: dict(zip(("questions", "hit@1", "hit@5"), n, strict=True))
            for part, n in cells[(0.7, 0.0, 0.0)].items()
        },
    }


def table(results: list[dict[str, Any]], out: Path | None = None) -> str:
    """Held-out hit@1 / hit@5 (validation hit@1) of the product's fusion and the tuned one, per
    collection and over all; the chosen weights are written to `out` as JSON."""
    lines = [
        "| collection | e5 fused, product (w 0.7) | tuned on validation | weights (dense, context, document) |",
        "|---|---|---|---|",
    ]
    totals: dict[str, dict[str, list[int]]] = {"product": {}, "counts": {}}
    for r in results:
        tuned = r["e5"]["learned"]
        cells = []
        for run in ("product", "counts"):
            c = tuned[run]
            for part in ("validation", "held_out"):
                sums = totals[run].setdefault(part, [0, 0, 0])
                for i, k in enumerate(("questions", "hit@1", "hit@5")):
                    sums[i] += c[part][k]
            cells.append(_cell(c["held_out"], c["validation"]))
        w = tuned["weights"]
        lines.append(
            f"| {r['collection']} | {cells[0]} | {cells[1]} | {w['dense']}, {w['context']}, {w['document']} |"
        )
    if len(results) > 1:
        both = [
            _cell(_named(totals[run]["held_out"]), _named(totals[run]["validation"]))
            for run in ("product", "counts")
        ]
        lines.append(f"| all (each collection's weights) | {both[0]} | {both[1]} | |")
    if out is not None:
        out.write_text(
            json.dumps({r["collection"]: r["e5"]["learned"] for r in results}, indent=1), encoding="utf-8"
        )
    return "\n".join(lines)


def _named(n: list[int]) -> dict[str, int]:
    return dict(zip(("questions", "hit@1", "hit@5"), n, strict=True))


def _cell(held: dict[str, int], validation: dict[str, int]) -> str:
    def share(c: dict[str, int], key: str) -> float:
        return c[key] / (c["questions"] or 1)

    return f"{share(held, 'hit@1'):.3f} / {share(held, 'hit@5'):.3f} ({share(validation, 'hit@1'):.3f})"
