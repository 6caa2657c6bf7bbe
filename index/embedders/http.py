"""What the embedders that call a server share: bounded timeouts and retries, one-line errors."""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx

from index.embedders import EmbedderError

_RETRY_STATUS = {408, 409, 429, 500, 502, 503, 504}


def post_json(client: httpx.Client, url: str, payload: dict[str, Any], retries: int, what: str) -> Any:
    """POST `payload` and return the decoded JSON reply, retrying transient failures a bounded
    number of times with a short back-off."""
    last = ""
    for attempt in range(retries + 1):
        if attempt:
            time.sleep(min(0.5 * 2 ** (attempt - 1), 4.0))
        try:
            response = client.post(url, json=payload)
        except httpx.TimeoutException:
            last = f"no answer within {client.timeout.read}s"
            continue
        except httpx.TransportError as exc:
            last = f"cannot connect ({exc})"
            continue
        if response.status_code in _RETRY_STATUS:
            last = f"HTTP {response.status_code}: {response.text[:200]}"
            continue
        if response.status_code >= 400:
            raise EmbedderError(
                f"{what} at {url} refused the request: HTTP {response.status_code}: {response.text[:200]}"
            )
        try:
            return response.json()
        except ValueError:
            raise EmbedderError(f"{what} at {url} did not answer JSON") from None
    raise EmbedderError(f"{what} at {url} failed after {retries + 1} attempts: {last}")


def check_vectors(vectors: Any, count: int, what: str) -> list[list[float]]:
    """The reply's vectors, checked: one per text, all of one size, all numbers."""
    if not isinstance(vectors, list) or len(vectors) != count:
        raise EmbedderError(
            f"{what} returned {len(vectors) if isinstance(vectors, list) else 'no'} vectors for {count} texts"
        )
    out: list[list[float]] = []
    for vector in vectors:
        if not isinstance(vector, list) or not vector:
            raise EmbedderError(f"{what} returned a malformed vector")
        try:
            out.append([float(x) for x in vector])
        except (TypeError, ValueError):
            raise EmbedderError(f"{what} returned a vector with non-numbers") from None
    if len({len(v) for v in out}) > 1:
        raise EmbedderError(f"{what} returned vectors of different sizes")
    return out


class ServerEmbedder:
    """Base of the embedders that ask a server: batching, and the vector size asked of the server
    once (it is part of the vector space, so of the signature). Subclasses send one batch."""

    backend = ""

    def __init__(
        self,
        model: str,
        batch_size: int,
        retries: int,
        timeout_s: float,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.model, self.batch_size, self.retries = model, max(1, batch_size), retries
        self.client = httpx.Client(
            headers=headers or {}, timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 10.0))
        )
        self._dim: int | None = None
        self._lock = threading.Lock()

    @property
    def signature(self) -> str:
        with self._lock:
            if self._dim is None:
                self._dim = len(self._request(["dimension probe"])[0])
        return f"{self.backend}:{self.model}:{self._dim}"

    def _request(self, texts: list[str]) -> list[list[float]]:
        raise NotImplementedError

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        out: list[list[float]] = []
        for start in range(0, len(texts), self.batch_size):
            out.extend(self._request(texts[start : start + self.batch_size]))
        return out

    def embed_query(self, text: str) -> list[float]:
        return self._request([text])[0]
