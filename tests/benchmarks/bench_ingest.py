"""Ingestion speed: every paragraph of CMRC 2018 dev and DRCD dev (../shared/bench-data) ingested by
our pipeline and by llama-index's stock one (SentenceSplitter, the same hashing embedder as a
llama-index BaseEmbedding, ChromaVectorStore), each in a fresh process and a fresh data folder.
Prints chunks per second, seconds and peak memory (the child's max RSS).

    python -m tests.benchmarks ingest                      # both pipelines, all paragraphs
    python -m tests.benchmarks.bench_ingest --limit 300    # a quicker look
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.benchmarks import ROOT, bench_data

FILES = ("cmrc2018_dev.json", "drcd_dev.json")
TARGET_CHUNKS_PER_S = 1000


def paragraphs(limit: int | None) -> list[tuple[str, str, dict[str, str]]]:
    docs: list[tuple[str, str, dict[str, str]]] = []
    for name in FILES:
        path = bench_data(name)
        if path is None:
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        for article in data["data"]:
            for para in article["paragraphs"]:
                docs.append(
                    (
                        f"{Path(name).stem}/{para['id']}",
                        para["context"],
                        {"title": str(article.get("title", ""))},
                    )
                )
    return docs[:limit] if limit else docs


def run_ours(docs: list[tuple[str, str, dict[str, str]]], data_dir: Path) -> dict[str, Any]:
    from index.ingest import ingest_records
    from index.settings import IndexSettings
    from index.store import Store

    # CPU seconds spent in Chroma calls (its threads included), by this process.
    timings = {"chroma_cpu_s": 0.0}

    class TimedStore(Store):
        def _call(self, fn):  # type: ignore[no-untyped-def]
            started = _cpu_s(children=False)
            try:
                return super()._call(fn)
            finally:
                timings["chroma_cpu_s"] += _cpu_s(children=False) - started

    settings = IndexSettings(data_dir=data_dir)
    started = time.perf_counter()
    # The default embedder as configured: ingest_records ships it to its preparing worker.
    report = ingest_records(docs, settings, store=TimedStore(settings))
    seconds = time.perf_counter() - started
    return {
        "chunks": report.chunks,
        "seconds": seconds,
        "rejected": len(report.rejected),
        "chroma_cpu_s": round(timings["chroma_cpu_s"], 1),
    }


def run_llama(docs: list[tuple[str, str, dict[str, str]]], data_dir: Path) -> dict[str, Any]:
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from llama_index.core import Document
    from llama_index.core.base.embeddings.base import BaseEmbedding
    from llama_index.core.ingestion import IngestionPipeline
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.vector_stores.chroma import ChromaVectorStore

    from index.embedders.hashing import HashingEmbedder
    from index.settings import ChunkSettings

    hashing = HashingEmbedder()

    class HashingLlamaEmbedding(BaseEmbedding):
        def _get_text_embedding(self, text: str) -> list[float]:
            return hashing.embed_query(text)

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return hashing.embed_documents(texts)

        def _get_query_embedding(self, query: str) -> list[float]:
            return hashing.embed_query(query)

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return hashing.embed_query(query)

    chunking = ChunkSettings()
    client = chromadb.PersistentClient(
        path=str(data_dir / "chroma"), settings=ChromaSettings(anonymized_telemetry=False)
    )
    collection = client.get_or_create_collection(
        "bench", configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
    )
    pipeline = IngestionPipeline(
        transformations=[
            SentenceSplitter(chunk_size=chunking.max_tokens, chunk_overlap=chunking.overlap_tokens),
            HashingLlamaEmbedding(embed_batch_size=64),
        ],
        vector_store=ChromaVectorStore(chroma_collection=collection),
    )
    started = time.perf_counter()
    chunks = 0
    # ChromaVectorStore adds in batches of 41,665, more than this SQLite build accepts (5,461):
    # the stock pipeline is fed 500 documents at a time so that it runs at all.
    for start in range(0, len(docs), 500):
        part = [
            Document(text=text, id_=doc_id, metadata=meta) for doc_id, text, meta in docs[start : start + 500]
        ]
        chunks += len(pipeline.run(documents=part))
    return {"chunks": chunks, "seconds": time.perf_counter() - started, "rejected": 0}


def _cpu_s(children: bool = True) -> float:
    """CPU seconds of this process (all its threads) and of its children that have ended (the
    ingest's preparing worker)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    total = own.ru_utime + own.ru_stime
    if children:
        ended = resource.getrusage(resource.RUSAGE_CHILDREN)
        total += ended.ru_utime + ended.ru_stime
    return total


def child(which: str, limit: int | None) -> None:
    docs = paragraphs(limit)
    with tempfile.TemporaryDirectory(prefix=f"bench-{which}-") as folder:
        cpu, own = _cpu_s(), _cpu_s(children=False)
        result = (run_ours if which == "ours" else run_llama)(docs, Path(folder))
        # CPU seconds of the whole run (all threads): on a shared machine, wall time also
        # measures the neighbours; this does not.
        result["cpu_s"] = round(_cpu_s() - cpu, 1)
        result["own_cpu_s"] = round(_cpu_s(children=False) - own, 1)
    result["documents"] = len(docs)
    # The largest process: the ingesting one or its preparing worker (they run side by side).
    peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    result["peak_mib"] = round(peak / 1024, 1)
    print("RESULT " + json.dumps(result), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, help="first N paragraphs only")
    parser.add_argument("--only", choices=["ours", "llama"], help="one pipeline")
    parser.add_argument("--child", choices=["ours", "llama"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.limit)
        return 0
    missing = [name for name in FILES if bench_data(name) is None]
    if missing:
        print(
            f"bench_ingest: skipped, {', '.join(missing)} not found in ../shared/bench-data "
            "(or IP_ASSISTANT_BENCH_DATA)"
        )
        return 0
    print(
        f"ingesting {len(paragraphs(args.limit))} paragraphs of {', '.join(FILES)}; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs",
        flush=True,
    )
    results = {}
    for which in ("ours", "llama"):
        if args.only and which != args.only:
            continue
        command = [sys.executable, "-m", "tests.benchmarks.bench_ingest", "--child", which]
        if args.limit:
            command += ["--limit", str(args.limit)]
        done = subprocess.run(
            command,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=3600,
            env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
        )
        lines = [ln for ln in done.stdout.splitlines() if ln.startswith("RESULT ")]
        if done.returncode or not lines:
            print(f"{which}: failed ({done.returncode}): {done.stderr[-2000:]}")
            return 1
        result = json.loads(lines[-1].removeprefix("RESULT "))
        results[which] = result
        rate = result["chunks"] / result["seconds"] if result["seconds"] else 0.0
        extra = (
            f"; CPU {result['cpu_s']} s, {result['own_cpu_s']} s in the writing process and "
            f"{result['chroma_cpu_s']} s of it in Chroma calls"
            if "chroma_cpu_s" in result
            else ""
        )
        print(
            f"{which:>5}: {result['chunks']} chunks of {result['documents']} documents in "
            f"{result['seconds']:.1f} s = {rate:.0f} chunks/s ({result['chunks'] / max(result['cpu_s'], 1e-9):.0f} "
            f"per CPU-second), peak {result['peak_mib']} MiB{extra}",
            flush=True,
        )
    if "ours" in results:
        rate = results["ours"]["chunks"] / results["ours"]["seconds"]
        print(
            f"target {TARGET_CHUNKS_PER_S} chunks/s with the default embedder: "
            f"{'met' if rate >= TARGET_CHUNKS_PER_S else 'NOT met'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
