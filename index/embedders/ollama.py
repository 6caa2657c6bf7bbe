"""An Ollama server's /api/embed endpoint, over plain httpx."""

from __future__ import annotations

import os
import threading

import httpx

from index.embedders import EmbedderError, register
from index.embedders.http import check_vectors, post_json
from index.settings import EmbedderSettings

DEFAULT_BASE_URL = "http://127.0.0.1:11434"


class OllamaEmbedder:
    def __init__(
        self, model: str, base_url: str, batch_size: int = 64, timeout_s: float = 60.0, retries: int = 2
    ) -> None:
        self.model, self.batch_size, self.retries = model, max(1, batch_size), retries
        base = base_url.rstrip("/")
        self.url = (base[: -len("/api")] if base.endswith("/api") else base) + "/api/embed"
        self.client = httpx.Client(timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 10.0)))
        self._dim: int | None = None
        self._lock = threading.Lock()

    @property
    def signature(self) -> str:
        with self._lock:
            if self._dim is None:
                self._dim = len(self._request(["dimension probe"])[0])
        return f"ollama:{self.model}:{self._dim}"

    def _request(self, texts: list[str]) -> list[list[float]]:
        reply = post_json(
            self.client, self.url, {"model": self.model, "input": texts}, self.retries, "the Ollama server"
        )
        if not isinstance(reply, dict) or "embeddings" not in reply:
            raise EmbedderError(f"the Ollama server at {self.url} answered without embeddings")
        return check_vectors(reply["embeddings"], len(texts), "the Ollama server")

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        out: list[list[float]] = []
        for start in range(0, len(texts), self.batch_size):
            out.extend(self._request(texts[start : start + self.batch_size]))
        return out

    def embed_query(self, text: str) -> list[float]:
        return self._request([text])[0]


@register("ollama")
def _make(settings: EmbedderSettings) -> OllamaEmbedder:
    if not settings.model:
        raise EmbedderError(
            "the ollama embedder needs a model name (e.g. bge-m3): set IP_ASSISTANT_EMBEDDER_MODEL"
        )
    host = os.environ.get("OLLAMA_HOST")
    if host and not host.startswith("http"):
        host = "http://" + host
    return OllamaEmbedder(
        settings.model,
        settings.base_url or host or DEFAULT_BASE_URL,
        settings.batch_size,
        settings.timeout_s,
        settings.retries,
    )
