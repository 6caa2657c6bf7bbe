"""What a client can make the server do: bodies, history and text fields, on a real uvicorn server
(API only, no chat) over a copy of the bundled index."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from assistant.server import create_app, running
from assistant.settings import Settings

PIECE = b"x" * (1 << 20)


@pytest.fixture(scope="module")
def api(bundled_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("limits") / "data"
    shutil.copytree(bundled_index, data)
    settings = Settings(data_dir=data, server={"max_upload_mb": 1})
    with running(create_app(settings, ui=False)) as url:
        yield url


MULTIPART_HEAD = (
    b'--zzz\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n'
    b"Content-Type: text/plain\r\n\r\n"
)


def _chunked(
    url: str, path: str, total_mb: int, headers: dict[str, str], head: bytes = b""
) -> tuple[int | None, int]:
    """POST a body of `total_mb` MiB without a Content-Length (Transfer-Encoding: chunked); the
    status (None when the server closed the connection first) and the MiB the client got to send."""
    sent = 0

    def body() -> Iterator[bytes]:
        nonlocal sent
        yield head
        for _ in range(total_mb):
            sent += 1
            yield PIECE

    try:
        status: int | None = httpx.post(
            f"{url}{path}", content=body(), headers=headers, timeout=60
        ).status_code
    except httpx.HTTPError:
        status = None
    return status, sent


@pytest.mark.parametrize(
    ("path", "headers", "head"),
    [
        ("/api/ask", {"content-type": "application/json"}, b'{"question": "'),
        ("/api/documents", {"content-type": "multipart/form-data; boundary=zzz"}, MULTIPART_HEAD),
    ],
)
def test_a_chunked_body_over_the_limit_is_refused_before_it_is_read(
    api: str, path: str, headers: dict[str, str], head: bytes
):
    status, sent = _chunked(api, path, 200, headers, head)
    assert status in (413, None), status
    # The limit (1 MiB upload + 1 MiB multipart slack) plus what socket buffers hold.
    assert sent < 40, f"the server read {sent} MiB of a chunked body"
    assert httpx.get(f"{api}/api/health", timeout=30).status_code == 200
