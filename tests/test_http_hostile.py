"""Hostile and heavy HTTP use of a real server on 127.0.0.1: path traversal on file routes, wrong
content types, oversized bodies, and 50 concurrent clients asking 20 questions each."""

from __future__ import annotations

import shutil
import statistics
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from assistant.server import create_app, running
from assistant.settings import Settings

QUESTIONS = [
    "大连有效商标注册量是多少?",
    "長沙高價值發明專利擁有量是多少?",
    "How much did Dalian's IP pledge loans reach in 2021?",
    "深圳市每万人口发明专利拥有量是多少?",
    "大连知识产权质押融资入园惠企活动取得了什么进展?",
]


@pytest.fixture(scope="module")
def live(bundled_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    data = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(bundled_index, data)
    settings = Settings(data_dir=data, server={"max_upload_mb": 0.05, "concurrency": 8})
    with running(create_app(settings)) as url:
        yield url, data


TRAVERSALS = [
    "../../../../etc/passwd",
    "..%2f..%2f..%2f..%2fetc%2fpasswd",
    "%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "%252e%252e%252f%252e%252e%252fetc%252fpasswd",
    "....//....//etc/passwd",
    "/etc/passwd",
    "%2fetc%2fpasswd",
    "..\\..\\..\\etc\\passwd",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_file_routes_refuse_traversal(live: tuple[str, Path], target: str):
    url, data = live
    secret = (data / "feedback.sqlite").resolve()
    for route in ("/gradio_api/file=", "/file=", "/gradio_api/file/", "/static/", "/assets/"):
        for path in (target, f"{secret}", f"../data/{secret.name}"):
            raw = f"{url}{route}{path}"
            r = httpx.get(raw, timeout=10)
            assert r.status_code in (400, 403, 404, 405), (raw, r.status_code)
            assert b"root:" not in r.content and b"SQLite format" not in r.content, raw


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain", "大连有效商标注册量是多少?"),
        ("application/x-www-form-urlencoded", "question=大连"),
        ("application/json", "{not json"),
        ("application/json", '["a", "list"]'),
        ("application/json", '{"question": 42}'),
    ],
)
def test_ask_with_a_wrong_content_type_or_shape_gets_json_4xx(
    live: tuple[str, Path], content_type: str, body: str
):
    url, _ = live
    r = httpx.post(
        f"{url}/api/ask", content=body.encode(), headers={"content-type": content_type}, timeout=10
    )
    assert 400 <= r.status_code < 500
    assert r.headers["content-type"].startswith("application/json")


def test_oversized_bodies_are_refused_and_the_server_keeps_answering(live: tuple[str, Path]):
    url, _ = live
    big = b'{"question": "' + b"a" * 3_000_000 + b'"}'
    r = httpx.post(f"{url}/api/ask", content=big, headers={"content-type": "application/json"}, timeout=30)
    assert r.status_code in (400, 413, 422)
    upload = httpx.post(
        f"{url}/api/documents", files={"file": ("big.txt", b"x" * 200_000, "text/plain")}, timeout=30
    )
    assert upload.status_code == 413
    assert httpx.post(f"{url}/api/ask", json={"question": QUESTIONS[0]}, timeout=30).json()["answerable"]


@pytest.mark.slow
def test_fifty_concurrent_clients_twenty_questions_each_get_no_errors(live: tuple[str, Path]):
    url, _ = live
    clients, per_client = 50, 20
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client(k: int) -> None:
        with httpx.Client(base_url=url, timeout=60) as http:
            for i in range(per_client):
                question = QUESTIONS[(k + i) % len(QUESTIONS)]
                started = time.perf_counter()
                try:
                    r = http.post("/api/ask", json={"question": question})
                    ok = r.status_code == 200 and r.json()["question"] == question
                    problem = None if ok else f"{r.status_code} {r.text[:100]}"
                except httpx.HTTPError as exc:
                    problem = f"{type(exc).__name__}: {exc}"
                with lock:
                    latencies.append((time.perf_counter() - started) * 1000)
                    if problem:
                        errors.append(problem)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    elapsed = time.perf_counter() - started
    assert not any(t.is_alive() for t in threads), "clients still waiting after 10 minutes"
    latencies.sort()
    print(
        f"\n50 clients x 20 questions: {len(latencies)} requests, {len(errors)} errors, "
        f"p50 {statistics.median(latencies):.0f} ms, p95 {latencies[int(len(latencies) * 0.95) - 1]:.0f} ms, "
        f"{len(latencies) / elapsed:.0f} requests/s"
    )
    assert len(latencies) == clients * per_client
    assert errors == []
