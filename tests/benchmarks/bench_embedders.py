"""Hashing against e5 against both fused with BM25, in one run: retrieval hit@1 / hit@5 over whole
collections (CMRC 2018 dev, DRCD dev; every paragraph a document, every question asked against all
of them) and ingest speed (chunks per second, CPU-seconds) with each embedder.

    python -m tests.benchmarks.bench_embedders --bench-data DIR --work DIR \\
        [--embedding-cache FILE] [--articles N] [--sample 40] [--weights 1.0,0.5,...]

--bench-data holds cmrc2018_dev.json and drcd_dev.json. --work keeps the indexes between runs.
--embedding-cache is an e5 embedding cache (index.embedders.cache) to fill and reuse: e5 embeds a
few chunks per second on 2 cores, so each collection is embedded once. Each embedder's ingest speed
is measured twice: over the whole collection (for e5, vectors from that cache: Chroma and BM25 only)
and on the first --sample paragraphs with an empty cache, in a fresh process (what a new user pays).

Every question of the collection is asked. They are split by article title (a hash of it, about
half each): the fused dense weight is chosen on the validation articles' questions (best hit@1,
then hit@5) and reported on the held-out articles' questions, never split by question. The last
lines are a Markdown table: held-out hit@1 / hit@5, validation hit@1 in brackets.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.benchmarks.fusion_learned import learned, table

FILES = ("cmrc2018_dev.json", "drcd_dev.json")
E5_SETTINGS = {"backend": "e5"}


def held_out(title: str) -> bool:
    """Half of the articles, by a hash of their title."""
    return int(hashlib.sha1(title.encode()).hexdigest(), 16) % 2 == 1


def cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class QueryCache:
    """An embedder whose query vectors are kept in the embedding cache too (the benchmark asks
    every question once per configuration)."""

    def __init__(self, inner: Any, cache: Any) -> None:
        self.inner, self.cache = inner, cache

    @property
    def signature(self) -> str:
        return str(self.inner.signature)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.inner.embed_documents(texts)  # type: ignore[no-any-return]

    def embed_query(self, text: str) -> list[float]:
        known = self.cache.get([text], "query")[0]
        if known is None:
            known = self.inner.embed_query(text)
            self.cache.put([text], [known], "query")
        return [float(x) for x in known]


def ingest_timed(docs: list[Any], settings: Any, embedder: Any = None) -> dict[str, Any]:
    from index.ingest import ingest_records

    wall, cpu = time.perf_counter(), cpu_seconds()
    report = ingest_records(docs, settings, embedder=embedder)
    wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    return {
        "chunks": report.chunks,
        "seconds": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "chunks_per_s": round(report.chunks / wall, 1) if wall else None,
        "cpu_s_per_1k_chunks": round(1000 * cpu / report.chunks, 1) if report.chunks else None,
    }


def ingest_sample(path: Path, sample: int, embedder: str) -> dict[str, Any]:
    """Ingest the first `sample` paragraphs in a fresh process, data folder and cache."""
    code = (
        "import json,sys; from tests.benchmarks.bench_embedders import _sample_child; "
        "print(json.dumps(_sample_child(*sys.argv[1:])))"
    )
    with tempfile.TemporaryDirectory() as folder:
        out = subprocess.run(
            [sys.executable, "-c", code, str(path), str(sample), embedder, folder],
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _sample_child(path: str, sample: str, embedder: str, folder: str) -> dict[str, Any]:
    from assistant.evaluation import squad_items
    from assistant.settings import Settings

    docs, _ = squad_items(Path(path))
    settings = Settings.model_validate({"data_dir": folder, "embedder": {"backend": embedder}})
    return ingest_timed(docs[: int(sample)], settings)


def collection(path: Path, articles: int | None) -> tuple[list[Any], list[dict[str, Any]]]:
    """Paragraphs and questions of the file, or of its first `articles` articles (a smaller whole
    collection: every question still asked against all its paragraphs)."""
    from assistant.evaluation import squad_items

    docs, items = squad_items(path)
    if articles is None:
        return docs, items
    data = json.loads(path.read_text(encoding="utf-8"))["data"][:articles]
    kept = {str(p.get("id")) for a in data for p in a["paragraphs"]}
    return [d for d in docs if d[0] in kept], [q for q in items if q["doc"] in kept]


def retrieval(
    path: Path, work: Path, embedder: str, cache_file: Path | None, articles: int | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]], list[Any]]:
    """Ingest the whole collection with `embedder`, then ask every question the product's retrieval
    (Assistant.retrieve) once, recording one BM25 and one dense search per question: the ingest
    and asking figures, the questions, and what `fuse` ranks for each."""
    from assistant.pipeline import Assistant
    from assistant.settings import Settings
    from assistant.validation import clean_question
    from index.embedders import make_embedder
    from index.embedders.cache import FILE_NAME, EmbeddingCache
    from index.embedding import CachedEmbedder
    from index.search import Searcher

    docs, items = collection(path, articles)
    titles = {pid: meta["title"] for pid, _, meta in docs}
    for item in items:
        item["held_out"] = held_out(titles[item["doc"]])
    folder = f"{path.stem}-{articles}" if articles else path.stem
    settings = Settings.model_validate(
        {"data_dir": work / embedder / folder, "embedder": {"backend": embedder}}
    )
    base = make_embedder(settings.embedder)
    if embedder != "hashing":
        cache = EmbeddingCache(cache_file or settings.data_dir / FILE_NAME, base.signature)
        base = CachedEmbedder(QueryCache(base, cache), cache)
    ingest = {"documents": len(docs), **ingest_timed(docs, settings, base)}
    searcher = Searcher(settings, embedder=base)
    recorded: list[Any] = []

    def record(query: str, **kw: Any) -> list[Any]:
        found = searcher.candidates(query, kw["depth"], kw["extra_tokens"], kw["token_weights"])
        recorded.append((*found, query))
        return []

    assistant = Assistant(settings, searcher=searcher)
    searcher.search = record  # type: ignore[method-assign,assignment]
    started, cpu = time.perf_counter(), cpu_seconds()
    for item in items:
        assistant.retrieve(clean_question(item["question"]))
    asked = {"questions_per_s": round(len(items) / (time.perf_counter() - started), 1)}
    asked["cpu_ms_per_question"] = round(1000 * (cpu_seconds() - cpu) / max(len(items), 1), 1)
    return {"ingest": ingest, "asking": asked}, items, recorded


def scored(
    items: list[dict[str, Any]], recorded: list[Any], runs: dict[str, tuple[str, float]]
) -> dict[str, Any]:
    """Document hit@1 / hit@5 of each fusion (name -> (fusion, dense weight)) over all questions and
    over each half of the articles. "dense": the dense hits alone; "scaled-any": scaled fusion
    without the question's language (no per-language rule)."""
    from assistant.settings import RetrievalSettings
    from index.search import fuse

    top_k = RetrievalSettings().top_k
    table = {}
    for name, (fusion, weight) in runs.items():
        scores: dict[str, list[int]] = {"all": [0, 0, 0], "validation": [0, 0, 0], "held_out": [0, 0, 0]}
        for item, (keyword, bm25, dense, language, query) in zip(items, recorded, strict=True):
            if fusion == "dense":
                hits = fuse(keyword, [], dense, language, fusion="scaled", dense_weight=1.0)
            elif fusion == "scaled-any":
                hits = fuse(keyword, bm25, dense, "", fusion="scaled", dense_weight=weight)
            else:
                hits = fuse(keyword, bm25, dense, language, fusion=fusion, dense_weight=weight, query=query)
            found = list(dict.fromkeys(h.doc_id for h in hits[:top_k]))
            for key in ("all", "held_out" if item["held_out"] else "validation"):
                scores[key][0] += 1
                scores[key][1] += bool(found) and found[0] == item["doc"]
                scores[key][2] += item["doc"] in found[:5]
        table[name] = {
            key: {"questions": n, "hit@1": round(h1 / (n or 1), 4), "hit@5": round(h5 / (n or 1), 4)}
            for key, (n, h1, h5) in scores.items()
        }
    return table


def chosen_on_validation(table: dict[str, Any], weights: list[float]) -> float:
    """The fused dense weight with the best validation hit@1 (then hit@5; then the first listed)."""

    def key(w: float) -> tuple[float, float, int]:
        part = table[f"e5_fused_{w}"]["validation"]
        return part["hit@1"], part["hit@5"], -weights.index(w)

    return max(weights, key=key)


def compare(path: Path, args: argparse.Namespace, weights: list[float]) -> dict[str, Any]:
    """Hashing, BM25 alone, e5 alone and e5 fused on one collection, with ingest figures."""
    out: dict[str, Any] = {"collection": path.name, "articles": args.articles or "all"}
    for embedder in ("hashing", "e5"):
        figures, items, recorded = retrieval(path, args.work, embedder, args.embedding_cache, args.articles)
        if embedder == "hashing":
            runs = {"hashing": ("score", 0.2), "bm25": ("score", 0.0)}
        else:
            runs = {"e5_alone": ("dense", 1.0)}
            runs.update({f"e5_fused_{w}": ("scaled", w) for w in weights})
            runs[f"e5_fused_{weights[0]}_no_language_rule"] = ("scaled-any", weights[0])
        figures["retrieval"] = scored(items, recorded, runs)
        if embedder == "e5":
            figures["weight_chosen_on_validation"] = chosen_on_validation(figures["retrieval"], weights)
            figures["learned"] = learned(items, recorded)
        if args.sample:
            figures["ingest_empty_cache"] = ingest_sample(path, args.sample, embedder)
        out[embedder] = figures
        out.setdefault("questions", len(items))
    return out


def pooled(results: list[dict[str, Any]]) -> dict[str, Any]:
    """The collections' questions together, and one fused weight chosen on all their validation
    questions (the product has one weight, index.search.SCALED_DENSE_WEIGHT)."""
    out: dict[str, Any] = {}
    for emb in ("hashing", "e5"):
        table: dict[str, Any] = {}
        for run in results[0][emb]["retrieval"]:
            table[run] = {}
            for part in ("all", "validation", "held_out"):
                cells = [r[emb]["retrieval"][run][part] for r in results]
                n = sum(c["questions"] for c in cells)
                table[run][part] = {"questions": n}
                for key in ("hit@1", "hit@5"):
                    hits = sum(round(c[key] * c["questions"]) for c in cells)
                    table[run][part][key] = round(hits / (n or 1), 4)
        out[emb] = {"retrieval": table}
    weights = [
        float(k.removeprefix("e5_fused_")) for k in out["e5"]["retrieval"] if k[-1].isdigit() and "fused" in k
    ]
    out["e5"]["weight_chosen_on_validation"] = chosen_on_validation(out["e5"]["retrieval"], weights)
    return out


def summary(results: list[dict[str, Any]]) -> str:
    """The comparison as a Markdown table: held-out hit@1 / hit@5 (validation hit@1 in brackets);
    with several collections, a last row of all their questions and one weight for all."""
    lines = [
        "| collection | questions (validation / held-out) | hashing | BM25 alone | e5 alone "
        "| e5 fused (weight chosen on validation) | e5 fused, no language rule |",
        "|---|---|---|---|---|---|---|",
    ]
    rows = [(r["collection"], r["e5"]["weight_chosen_on_validation"], r) for r in results]
    if len(results) > 1:
        both = pooled(results)
        rows.append(("all, one weight", both["e5"]["weight_chosen_on_validation"], both))
    for name, w, r in rows:
        cells = [r["hashing"]["retrieval"]["hashing"], r["hashing"]["retrieval"]["bm25"]]
        e5 = r["e5"]["retrieval"]
        cells += [e5["e5_alone"], e5[f"e5_fused_{w}"], next(v for k, v in e5.items() if k.endswith("rule"))]
        held, val = cells[0]["held_out"]["questions"], cells[0]["validation"]["questions"]
        text = [
            f"{c['held_out']['hit@1']:.3f} / {c['held_out']['hit@5']:.3f} ({c['validation']['hit@1']:.3f})"
            for c in cells
        ]
        text[3] += f", w={w}"
        lines.append(f"| {name} | {val} / {held} | " + " | ".join(text) + " |")
    lines += [
        "",
        "| collection | embedder | chunks | ingest s | chunks/s | CPU-s | CPU-s per 1k chunks | empty-cache sample: chunks, chunks/s, CPU-s per 1k |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        for emb in ("hashing", "e5"):
            i, e = r[emb]["ingest"], r[emb].get("ingest_empty_cache") or {}
            sample = (
                f"{e.get('chunks')}, {e.get('chunks_per_s')}, {e.get('cpu_s_per_1k_chunks')}" if e else "-"
            )
            lines.append(
                f"| {r['collection']} | {emb} | {i['chunks']} | {i['seconds']} | {i['chunks_per_s']} "
                f"| {i['cpu_s']} | {i['cpu_s_per_1k_chunks']} | {sample} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench-data", type=Path, help="folder of cmrc2018_dev.json and drcd_dev.json")
    parser.add_argument("--work", type=Path, help="folder of the indexes (kept between runs)")
    parser.add_argument("--embedding-cache", type=Path, help="e5 embedding cache to fill and reuse")
    parser.add_argument("--sample", type=int, default=40, help="paragraphs ingested with an empty cache")
    parser.add_argument(
        "--weights",
        default="1.0,0.2,0.3,0.5,0.7,1.5,2.0,3.0",
        help="fused dense weights (the run without the language rule uses the first)",
    )
    parser.add_argument("--only", choices=FILES, action="append", help="one collection (repeatable)")
    parser.add_argument("--articles", type=int, help="only the first N articles of each collection")
    args = parser.parse_args(argv)
    if args.bench_data is None or args.work is None:
        print("bench_embedders: skipped (give --bench-data DIR and --work DIR)")
        return 0
    weights = [float(w) for w in args.weights.split(",")]
    results = []
    for name in args.only or FILES:
        results.append(compare(args.bench_data / name, args, weights))
        print(json.dumps(results[-1], ensure_ascii=False), flush=True)
    print(summary(results), flush=True)
    print("\nFusion tuned on the validation articles (tests/benchmarks/fusion_learned.py):\n")
    print(table(results, args.work / "fusion_learned.json"), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
