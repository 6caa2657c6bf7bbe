"""An OpenAI-compatible /v1/embeddings endpoint (OpenAI, vLLM, llama.cpp, LM Studio, ...), over
plain httpx: nothing beyond the base install is needed."""

from __future__ import annotations

import os
import threading

import httpx

from index.embedders import EmbedderError, register
from index.embedders.http import check_vectors, post_json
from index.settings import EmbedderSettings

DEFAULT_BASE_URL = "https://api.openai.com/v1"


class OpenAIEmbedder:
    def __init__(
        self,
        model: str,
        base_url: str,
        api_key: str | None = None,
        batch_size: int = 64,
        timeout_s: float = 60.0,
        retries: int = 2,
    ) -> None:
        self.model, self.batch_size, self.retries = model, max(1, batch_size), retries
        self.url = base_url.rstrip("/") + "/embeddings"
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.client = httpx.Client(
            headers=headers, timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 10.0))
        )
        self._dim: int | None = None
        self._lock = threading.Lock()

    @property
    def signature(self) -> str:
        # The vector size is asked of the server once: it is part of the vector space.
        with self._lock:
            if self._dim is None:
                self._dim = len(self._request(["dimension probe"])[0])
        return f"openai:{self.model}:{self._dim}"

    def _request(self, texts: list[str]) -> list[list[float]]:
        reply = post_json(
            self.client, self.url, {"model": self.model, "input": texts}, self.retries, "the embedding server"
        )
        data = reply.get("data") if isinstance(reply, dict) else None
        if not isinstance(data, list):
            raise EmbedderError(f"the embedding server at {self.url} answered without a data list")
        try:
            ordered = sorted(data, key=lambda item: int(item.get("index", 0)))
            vectors = [item["embedding"] for item in ordered]
        except (AttributeError, KeyError, TypeError, ValueError):
            raise EmbedderError(f"the embedding server at {self.url} answered malformed data") from None
        return check_vectors(vectors, len(texts), "the embedding server")

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        out: list[list[float]] = []
        for start in range(0, len(texts), self.batch_size):
            out.extend(self._request(texts[start : start + self.batch_size]))
        return out

    def embed_query(self, text: str) -> list[float]:
        return self._request([text])[0]


@register("openai")
def _make(settings: EmbedderSettings) -> OpenAIEmbedder:
    if not settings.model:
        raise EmbedderError("the openai embedder needs a model name: set IP_ASSISTANT_EMBEDDER_MODEL")
    base_url = settings.base_url or os.environ.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL
    api_key = settings.api_key or os.environ.get("OPENAI_API_KEY")
    return OpenAIEmbedder(
        settings.model, base_url, api_key, settings.batch_size, settings.timeout_s, settings.retries
    )
