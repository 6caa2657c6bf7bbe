"""Warm answer() latency over the CMRC 2018 collection, beside llama-index's stock retriever.

    python -m tests.benchmarks.bench_answer [--questions 300] [--data-dir DIR]

Indexes the CMRC 2018 dev paragraphs (../shared/bench-data) once into a cache folder, then times
`Assistant.answer` (hybrid retrieval + sentence scoring + composing) and, over the same collection
and embedder, llama-index's `VectorStoreIndex.as_retriever().retrieve` (dense retrieval only).
Targets on a 2-core machine: p50 <= 30 ms, p95 <= 100 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH_DATA = ROOT.parent / "shared" / "bench-data"


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _stock_retriever(settings, store):
    from llama_index.core import VectorStoreIndex
    from llama_index.core.embeddings import BaseEmbedding
    from llama_index.vector_stores.chroma import ChromaVectorStore

    from index.embedders import make_embedder

    embedder = make_embedder(settings.embedder)

    class Wrapped(BaseEmbedding):
        def _get_query_embedding(self, query: str) -> list[float]:
            return embedder.embed_query(query)

        def _get_text_embedding(self, text: str) -> list[float]:
            return embedder.embed_documents([text])[0]

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

    index = VectorStoreIndex.from_vector_store(
        ChromaVectorStore(chroma_collection=store.chunks), embed_model=Wrapped(model_name="hashing")
    )
    return index.as_retriever(similarity_top_k=5)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--data-dir", type=Path, default=ROOT / ".data" / "bench-cmrc")
    parser.add_argument("--file", type=Path, default=BENCH_DATA / "cmrc2018_dev.json")
    args = parser.parse_args(argv)
    if not args.file.is_file():
        print(f"bench_answer: {args.file} not found; skipped")
        return 0

    from assistant.evaluation import squad_items
    from assistant.pipeline import Assistant
    from assistant.settings import Settings
    from index.ingest import ingest_records

    settings = Settings(data_dir=args.data_dir)
    docs, items = squad_items(args.file)
    started = time.perf_counter()
    report = ingest_records(docs, settings)
    print(f"collection: {len(docs)} paragraphs, {report.summary()} ({time.perf_counter() - started:.1f} s)")
    assistant = Assistant(settings)
    questions = [item["question"] for item in items]
    warm, timed = questions[:30], questions[30 : 30 + args.questions]
    for q in warm:
        assistant.answer(q)
    ours = []
    for q in timed:
        t = time.perf_counter()
        assistant.answer(q)
        ours.append((time.perf_counter() - t) * 1000)

    retriever = _stock_retriever(settings, assistant.searcher.store)
    for q in warm:
        retriever.retrieve(q)
    stock = []
    for q in timed:
        t = time.perf_counter()
        retriever.retrieve(q)
        stock.append((time.perf_counter() - t) * 1000)

    rows = {
        "ip-assistant answer() (hybrid + sentences + answer)": ours,
        "llama-index stock retriever.retrieve (dense only)": stock,
    }
    print(f"\n{len(timed)} questions, chunks in collection: {len(assistant.searcher.keyword)}")
    print(f"{'system':55} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8}")
    for name, values in rows.items():
        print(
            f"{name:55} {statistics.median(values):8.1f} {_percentile(values, 0.95):8.1f} "
            f"{statistics.fmean(values):8.1f}"
        )
    print(
        json.dumps(
            {
                "answer_p50_ms": round(statistics.median(ours), 1),
                "answer_p95_ms": round(_percentile(ours, 0.95), 1),
                "stock_p50_ms": round(statistics.median(stock), 1),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
