"""An OpenAI-compatible /v1/embeddings endpoint (OpenAI, vLLM, llama.cpp, LM Studio, ...), over
plain httpx: nothing beyond the base install is needed."""

from __future__ import annotations

import os

from index.embedders import EmbedderError, register
from index.embedders.http import ServerEmbedder, check_vectors, post_json
from index.settings import EmbedderSettings

DEFAULT_BASE_URL = "https://api.openai.com/v1"


class OpenAIEmbedder(ServerEmbedder):
    backend = "openai"

    def __init__(
        self,
        model: str,
        base_url: str,
        api_key: str | None = None,
        batch_size: int = 64,
        timeout_s: float = 60.0,
        retries: int = 2,
    ) -> None:
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else None
        super().__init__(model, batch_size, retries, timeout_s, headers)
        self.url = base_url.rstrip("/") + "/embeddings"

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


@register("openai")
def _make(settings: EmbedderSettings) -> OpenAIEmbedder:
    if not settings.model:
        raise EmbedderError("the openai embedder needs a model name: set IP_ASSISTANT_EMBEDDER_MODEL")
    base_url = settings.base_url or os.environ.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL
    api_key = settings.api_key or os.environ.get("OPENAI_API_KEY")
    return OpenAIEmbedder(
        settings.model, base_url, api_key, settings.batch_size, settings.timeout_s, settings.retries
    )
