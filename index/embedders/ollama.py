"""An Ollama server's /api/embed endpoint, over plain httpx."""

from __future__ import annotations

import os

from index.embedders import EmbedderError, register
from index.embedders.http import ServerEmbedder, check_vectors, post_json
from index.settings import EmbedderSettings

DEFAULT_BASE_URL = "http://127.0.0.1:11434"


class OllamaEmbedder(ServerEmbedder):
    backend = "ollama"

    def __init__(
        self, model: str, base_url: str, batch_size: int = 64, timeout_s: float = 60.0, retries: int = 2
    ) -> None:
        super().__init__(model, batch_size, retries, timeout_s)
        base = base_url.rstrip("/")
        self.url = (base[: -len("/api")] if base.endswith("/api") else base) + "/api/embed"

    def _request(self, texts: list[str]) -> list[list[float]]:
        reply = post_json(
            self.client, self.url, {"model": self.model, "input": texts}, self.retries, "the Ollama server"
        )
        if not isinstance(reply, dict) or "embeddings" not in reply:
            raise EmbedderError(f"the Ollama server at {self.url} answered without embeddings")
        return check_vectors(reply["embeddings"], len(texts), "the Ollama server")


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
