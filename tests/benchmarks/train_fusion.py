"""Fit the learned fusion of index.reranking on CMRC 2018 dev and DRCD dev, and measure it.

    python -m tests.benchmarks.train_fusion --bench-data DIR --work DIR \\
        [--embedding-cache FILE] [--out index/data/fusion.json] [--folds 5]

Every paragraph of each collection is a document and every question is asked against all of them
through the product's retrieval (bench_embedders.retrieval, e5; the embedding cache saves
embedding a text twice). Each question's fused top index.reranking.TOP_N chunks are the rows, the
label whether a chunk is from the paragraph that answers. Measured, by document hit@1 / hit@5:
grouped cross-validation by article over the whole of both collections (no article in two folds),
and a fit on the validation articles reported on the held-out ones (bench_embedders' split by a
hash of the title), each against the product's fused order and the hashing embedder's. The model
written is fitted on every question of both.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import sys
from pathlib import Path
from typing import Any

import numpy as np

FILES = ("cmrc2018_dev.json", "drcd_dev.json")


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 30) -> tuple[list[float], ...]:
    """Logistic regression by Newton's method on standardised inputs (an intercept and an L2
    penalty of `l2` on the weights): (mean, scale, weights with the intercept last)."""
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(z @ w)))
        grad = z.T @ (p - y) + penalty * w
        hess = (z * (p * (1 - p))[:, None]).T @ z + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return mean.tolist(), scale.tolist(), w[:-1].tolist()


# LightGBM lambdarank, set before measuring (session 9's first try, not tuned): one thread, as the
# answer selector's models (assistant/selection/training.py).
RANKER = {
    "objective": "lambdarank",
    "learning_rate": 0.05,
    "num_leaves": 7,
    "min_data_in_leaf": 50,
    "seed": 0,
    "deterministic": True,
    "force_row_wise": True,
    "num_threads": 1,
    "verbose": -1,
}
RANKER_ROUNDS = 200


def fit_ranker(x: np.ndarray, y: np.ndarray, groups: list[int]) -> str:
    """A LightGBM lambdarank model (its text) ranking each group's rows (one group per question)."""
    import lightgbm

    data = lightgbm.Dataset(x, y.astype(int), group=groups, free_raw_data=True)
    return str(lightgbm.train(RANKER, data, num_boost_round=RANKER_ROUNDS).model_to_string())


def rows(path: Path, work: Path, cache: Path | None, embedder: str = "e5") -> list[dict[str, Any]]:
    """One entry per question: its fused top chunks' features, documents and the answer's document."""
    from assistant.settings import RetrievalSettings
    from index.crossing import Crossing
    from index.reranking import TOP_N, features
    from index.search import fuse
    from tests.benchmarks.bench_embedders import retrieval

    top_k = RetrievalSettings().top_k
    from assistant.evaluation import squad_items

    titles = {pid: meta["title"] for pid, _, meta in squad_items(path)[0]}
    _, items, recorded = retrieval(path, work, embedder, cache)
    out = []
    for item, (keyword, bm25, dense, language, query) in zip(items, recorded, strict=True):
        if embedder == "hashing":
            hits = fuse(keyword, bm25, dense, language, fusion="score", dense_weight=0.2)[:top_k]
            out.append({"docs": [h.doc_id for h in hits], "item": item})
            continue
        crossing = Crossing(query)
        top = fuse(keyword, bm25, dense, language, fusion="scaled", dense_weight=0.7, crossing=crossing)[
            :TOP_N
        ]
        x = features(keyword, top, query, crossing.of(top))
        article = f"{path.name}:{titles[item['doc']]}"
        out.append(
            {
                "x": x,
                "docs": [h.doc_id for h in top],
                "item": item,
                "article": article,
                # What later features can be computed from without asking again (--rows).
                "hits": top,
                "hashing_cosines": crossing.of(top),
                "query": query,
                "language": language,
                "bm25": bm25,
                "dense": dense,
            }
        )
    return out


def hits(entries: list[dict[str, Any]], scores: list[np.ndarray] | None = None) -> dict[str, float]:
    """Document hit@1 / hit@5 of the top chunks in the order of `scores` (None: as fused)."""
    from assistant.settings import RetrievalSettings

    top_k = RetrievalSettings().top_k
    h1 = h5 = 0
    for i, e in enumerate(entries):
        order = range(len(e["docs"])) if scores is None else np.argsort(-scores[i], kind="stable")
        docs = list(dict.fromkeys(e["docs"][j] for j in list(order)[:top_k]))
        h1 += bool(docs) and docs[0] == e["item"]["doc"]
        h5 += e["item"]["doc"] in docs[:5]
    n = len(entries) or 1
    return {"questions": len(entries), "hit@1": round(h1 / n, 4), "hit@5": round(h5 / n, 4)}


def _fitted(entries: list[dict[str, Any]], kind: str = "lambdarank") -> Any:
    """A FusionModel of `kind` ("lambdarank" or "logistic") fitted on `entries`."""
    from index.reranking import FusionModel

    x = np.vstack([e["x"] for e in entries if len(e["x"])])
    y = np.concatenate([[d == e["item"]["doc"] for d in e["docs"]] for e in entries]).astype(float)
    if kind == "lambdarank":
        return FusionModel([], [], [], {}, fit_ranker(x, y, [len(e["x"]) for e in entries if len(e["x"])]))
    mean, scale, weights = fit(x, y)
    return FusionModel(mean, scale, weights, {})


def fold_of(article: str, folds: int) -> int:
    return int(hashlib.sha1(article.encode()).hexdigest(), 16) % folds


def out_of_fold(entries: list[dict[str, Any]], folds: int, kind: str = "lambdarank") -> list[np.ndarray]:
    """Each question's scores by a model fitted on the other folds (folds by article)."""
    scores: list[np.ndarray] = [np.zeros(0)] * len(entries)
    for k in range(folds):
        model = _fitted([e for e in entries if fold_of(e["article"], folds) != k], kind)
        for i, e in enumerate(entries):
            if fold_of(e["article"], folds) == k:
                scores[i] = model.scores(e["x"])
    return scores


def measured(entries: list[dict[str, Any]], folds: int, kind: str = "lambdarank") -> dict[str, Any]:
    """Out-of-fold scores (folds by article) and the held-out articles' scores of a fit on the
    validation ones, per collection."""
    oof = out_of_fold(entries, folds, kind)
    half = _fitted([e for e in entries if not e["item"]["held_out"]], kind)
    out: dict[str, Any] = {}
    for name in FILES:
        mine = [i for i, e in enumerate(entries) if e["article"].startswith(name)]
        held = [i for i in mine if entries[i]["item"]["held_out"]]
        out[name] = {
            "fused_all": hits([entries[i] for i in mine]),
            "learned_cross_validated": hits([entries[i] for i in mine], [oof[i] for i in mine]),
            "fused_held_out": hits([entries[i] for i in held]),
            "learned_held_out": hits(
                [entries[i] for i in held], [half.scores(entries[i]["x"]) for i in held]
            ),
        }
    return out


def bench_parser(doc: str) -> argparse.ArgumentParser:
    """A command's parser (described by the first line of `doc`) with --bench-data and --model."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument(
        "--bench-data", type=Path, required=True, help="folder of cmrc2018_dev.json, drcd_dev.json"
    )
    parser.add_argument("--model", choices=("lambdarank", "logistic"), default="lambdarank")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = bench_parser(__doc__)
    parser.add_argument("--work", type=Path, required=True, help="folder of the indexes (kept between runs)")
    parser.add_argument("--embedding-cache", type=Path, help="e5 embedding cache to fill and reuse")
    parser.add_argument("--out", type=Path, default=Path("index/data/fusion.json"))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--hashing", action="store_true", help="also measure the hashing embedder's order")
    parser.add_argument("--rows", type=Path, help="a pickle of the questions' rows, written once and reused")
    args = parser.parse_args(argv)
    from index.embedders.e5 import SIGNATURE

    entries: list[dict[str, Any]] = []
    figures: dict[str, Any] = {}
    if args.rows is not None and args.rows.exists():
        entries, figures = pickle.loads(args.rows.read_bytes())
    else:
        for name in FILES:
            entries += rows(args.bench_data / name, args.work, args.embedding_cache)
            if args.hashing:
                base = rows(args.bench_data / name, args.work, None, "hashing")
                held = [e for e in base if e["item"]["held_out"]]
                figures[name] = {"hashing_all": hits(base), "hashing_held_out": hits(held)}
        if args.rows is not None:
            args.rows.write_bytes(pickle.dumps((entries, figures)))
    for name, cells in measured(entries, args.folds, args.model).items():
        figures.setdefault(name, {}).update(cells)
    model = _fitted(entries, args.model)
    model.meta = {
        "embedder": SIGNATURE,
        "model": args.model,
        "questions": len(entries),
        "folds": args.folds,
        "figures": figures,
    }
    args.out.write_text(model.to_json() + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
