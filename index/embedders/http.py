"""What the embedders that call a server share: bounded timeouts and retries, one-line errors."""

from __future__ import annotations

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
