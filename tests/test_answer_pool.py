"""Answering in several processes (assistant.pool) over a real `chroma run` server: the same
answers as in one process, a dead process replaced and reported, a new index reaching them all."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant import Assistant, Settings
from assistant.models import Turn
from assistant.pool import AnswerFailed, AnswerPool, answer_processes, start_pool
from assistant.server.app import create_app
from index.ingest import ingest, ingest_records
from tests.chroma_server import ChromaServer

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = [
    "大连知识产权质押融资贷款额是多少?",
    "長沙每萬人高價值發明專利擁有量是多少?",
    "How much did Dalian's IP pledge loans reach in 2021?",
    "What has Dalian done to protect intellectual property?",
    "火星上有多少专利?",
]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Assistant, AnswerPool]]:
    """The bundled articles in a Chroma server, an in-process Assistant, and one answering
    through two answering processes (shared by the tests below, which run in order)."""
    folder = tmp_path_factory.mktemp("answer-pool")
    chroma = ChromaServer(folder / "db").start()
    try:
        settings = Settings(
            data_dir=folder / "data",
            chroma={"host": "127.0.0.1", "port": chroma.port, "collection": "pool", "timeout_s": 20.0},
            answer={"processes": 2},
        )
        ingest([ROOT / "docs" / "articles"], settings)
        pooled = Assistant(settings)
        pool = start_pool(pooled, ready_s=240)
        assert pool is not None and pool.status()["ready"] == 2
        try:
            yield settings, pooled, pool
        finally:
            pool.close()
    finally:
        chroma.stop()


def same(answer: Any) -> dict[str, Any]:
    return answer.model_dump(exclude={"timings"})


def wait_for(condition: Any, seconds: float = 120.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_processes_are_used_over_a_chroma_server_with_extractive_answers_only(tmp_path: Path):
    embedded = Settings(data_dir=tmp_path / "data", answer={"processes": 4})
    assert answer_processes(embedded) == 1, "an embedded Chroma folder is one process's"
    server = embedded.with_overrides(**{"chroma.host": "127.0.0.1", "chroma.port": 8000})
    assert answer_processes(server) == 4
    assert answer_processes(server.with_overrides(**{"answer.processes": 0})) == len(os.sched_getaffinity(0))
    assert answer_processes(server.with_overrides(**{"llm.backend": "openai"})) == 1


def test_answers_from_answering_processes_equal_those_answered_in_process(served):
    settings, pooled, _pool = served
    local = Assistant(settings)
    for question in QUESTIONS:
        assert same(pooled.answer(question)) == same(local.answer(question)), question
    history = [Turn(question=QUESTIONS[0], answer=local.answer(QUESTIONS[0]).answer)]
    follow_up = "那长沙呢?"
    assert same(pooled.answer(follow_up, history)) == same(local.answer(follow_up, history))
    # Both processes answered: 20 questions at once are spread over them.
    answers: list[Any] = []
    threads = [threading.Thread(target=lambda q=q: answers.append(pooled.answer(q))) for q in QUESTIONS * 4]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert len(answers) == 20 and not any(a.error for a in answers)


def test_a_stopped_question_is_not_waited_for(served):
    _settings, pooled, pool = served
    gone = threading.Event()
    gone.set()
    assert pooled.answer(QUESTIONS[0], stop=gone).error == "cancelled"
    # Processes that do not answer: the asker who goes, or the deadline, still ends the wait.
    for worker in pool.workers:
        os.kill(worker.pid, signal.SIGSTOP)
    try:
        gone.clear()
        threading.Timer(0.3, gone.set).start()
        started = time.monotonic()
        assert pooled.answer(QUESTIONS[0], stop=gone).error == "cancelled"
        quick = Assistant(pooled.settings.with_overrides(**{"answer.timeout_s": 0.5}), pooled.searcher)
        quick.pool = pool
        assert quick.answer(QUESTIONS[0]).error == "answer_timeout"
        assert time.monotonic() - started < 5
    finally:
        for worker in pool.workers:
            os.kill(worker.pid, signal.SIGCONT)
    assert not any(w.jobs for w in pool.workers), "the processes were told to drop them"


def test_a_new_index_reaches_the_answering_processes(served):
    settings, pooled, pool = served
    question = "青岛市2023年专利授权量是多少?"
    assert "两万件" not in pooled.answer(question).answer
    ingest_records(
        [("qingdao", "青岛市2023年专利授权量达到两万件。青岛知识产权保护中心负责快速预审。", {})], settings
    )
    assert wait_for(lambda: "两万件" in pooled.answer(question).answer), "the new article is answered from"
    state = pooled.searcher.keyword.state
    assert wait_for(lambda: all(w.state == state for w in pool.workers)), "every process took the new index"


def test_an_error_in_an_answering_process_is_raised_in_the_serving_one(served):
    _settings, _pooled, pool = served
    with pytest.raises(AnswerFailed, match="Error"):
        pool.answer(QUESTIONS[0], [object()])  # type: ignore[list-item]  # not a Turn
    assert pool.status()["restarts"] == 0, "the process answers on"


def test_a_dead_answering_process_is_replaced_and_reported(served):
    settings, pooled, pool = served
    expected = same(pooled.answer(QUESTIONS[2]))
    first, second = pool.workers
    # Hold both, hand a question to the first, then kill it: the question goes to the second.
    for worker in (first, second):
        os.kill(worker.pid, signal.SIGSTOP)
    answers: list[Any] = []
    asking = threading.Thread(target=lambda: answers.append(pooled.answer(QUESTIONS[2])))
    asking.start()
    assert wait_for(lambda: first.jobs or second.jobs, 10)
    holder, other = (first, second) if first.jobs else (second, first)
    os.kill(holder.pid, signal.SIGKILL)
    os.kill(other.pid, signal.SIGCONT)
    asking.join(60)
    assert [same(a) for a in answers] == [expected], "the question was answered by the other process"
    status = pool.status()
    assert status["restarts"] == 1 and f"{holder.pid} exited with -9" in status["last_failure"]
    with TestClient(create_app(settings, pooled, ui=False), base_url="http://127.0.0.1") as client:
        health = client.get("/api/health").json()
        assert health["answer_processes"]["restarts"] == 1
        assert wait_for(lambda: pool.status()["ready"] == 2, 240), "a new process replaced it"
        assert holder not in pool.workers
        assert client.get("/api/health").json()["answer_processes"]["ready"] == 2
        # None ready: the health check says so.
        for worker in pool.workers:
            os.kill(worker.pid, signal.SIGKILL)
        assert wait_for(lambda: pool.status()["ready"] == 0, 10)
        reply = client.get("/api/health")
        assert reply.status_code == 503 and reply.json()["status"] == "degraded"
