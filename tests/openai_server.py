"""A tiny OpenAI-compatible chat server on 127.0.0.1 with queued replies, for tests.

Serves POST /v1/chat/completions, plain and `stream=true` (server-sent events), and Ollama's
POST /api/chat (newline-delimited JSON). Each request takes
the next queued `Reply`; a reply's content may be a function of the request, so a test can cite
the passage numbers the prompt actually gave. Records every request body.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    content: str | Callable[[dict[str, Any]], str]
    delay_s: float = 0.0  # before the first byte
    status: int = 200
    piece_chars: int = 3  # characters per streamed chunk


class OpenAIServer:
    def __init__(self) -> None:
        self.replies: deque[Reply] = deque()
        self.requests: list[dict[str, Any]] = []
        self.stopping = threading.Event()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    @property
    def ollama_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def queue(self, *replies: Reply | str) -> None:
        self.replies.extend(r if isinstance(r, Reply) else Reply(r) for r in replies)

    def start(self) -> OpenAIServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()  # wakes handlers that are sleeping out a delay
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                server.requests.append(body)
                if self.path.rstrip("/") not in ("/v1/chat/completions", "/api/chat"):
                    return self._json(404, {"error": {"message": f"no route {self.path}"}})
                if not server.replies:
                    return self._json(500, {"error": {"message": "no reply queued"}})
                reply = server.replies.popleft()
                if reply.delay_s and server.stopping.wait(reply.delay_s):
                    return
                if reply.status != 200:
                    return self._json(reply.status, {"error": {"message": "queued failure"}})
                content = reply.content(body) if callable(reply.content) else reply.content
                if self.path.rstrip("/") == "/api/chat":
                    return self._ndjson(content, body, reply.piece_chars)
                if body.get("stream"):
                    return self._stream(content, body, reply.piece_chars)
                return self._json(
                    200,
                    {
                        "id": "chatcmpl-test",
                        "object": "chat.completion",
                        "created": 0,
                        "model": body.get("model"),
                        "choices": [
                            {
                                "index": 0,
                                "message": {"role": "assistant", "content": content},
                                "finish_reason": "stop",
                            }
                        ],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                    },
                )

            def _json(self, status: int, data: dict[str, Any]) -> None:
                raw = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def _ndjson(self, content: str, body: dict[str, Any], size: int) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/x-ndjson")
                self.send_header("Connection", "close")
                self.end_headers()
                pieces = [content[i : i + size] for i in range(0, len(content), size)]
                for piece in [*pieces, ""]:
                    line = {
                        "model": body.get("model"),
                        "created_at": "2026-01-01T00:00:00Z",
                        "message": {"role": "assistant", "content": piece},
                        "done": not piece,
                    }
                    self.wfile.write((json.dumps(line, ensure_ascii=False) + "\n").encode())
                    self.wfile.flush()
                self.close_connection = True

            def _stream(self, content: str, body: dict[str, Any], size: int) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Connection", "close")
                self.end_headers()
                pieces = [content[i : i + size] for i in range(0, len(content), size)]
                for i, piece in enumerate([*pieces, None]):
                    delta = {"role": "assistant", "content": piece} if piece is not None else {}
                    chunk = {
                        "id": "chatcmpl-test",
                        "object": "chat.completion.chunk",
                        "created": 0,
                        "model": body.get("model"),
                        "choices": [
                            {
                                "index": 0,
                                "delta": delta,
                                "finish_reason": None if piece is not None else "stop",
                            }
                        ],
                    }
                    if i == 0:
                        chunk["choices"][0]["delta"]["role"] = "assistant"
                    self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
                    self.wfile.flush()
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()
                self.close_connection = True

        return Handler


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
