"""Answering in several processes: the server hands each question to one of a few answering
processes (assistant.pool_process), each holding its own Assistant and a read-only copy of the
keyword index.

Why: one Python process answers on about one core (the GIL), however many threads it runs; with
30 clients always waiting, the served latency is clients / answers per second
(docs/performance.md). Processes answer on every core, and a keyword rebuild at nice 19 yields
them all.

Only over a Chroma server: each process reads the collection through its own client, while an
embedded Chroma folder belongs to one process (PITFALLS: not process-safe). The serving process's
Searcher keeps the keyword index fresh (index.refresher saves it in the data folder); the pool
tells each answering process when the index in use changed, and it opens the saved copy
(`Searcher.adopt_saved`).

Protocol, pickles over an answering process's stdin and stdout. In: the settings (JSON) first,
then ("ask", id, question, history, seconds left), ("cancel", id) and ("adopt", state). Out:
("ready", state of its index), ("answer", id, Answer), ("failed", id, what was raised) and
("adopted", state). A process that dies
is replaced; the questions it held are asked again elsewhere, once.
"""

from __future__ import annotations

import itertools
import logging
import pickle
import subprocess
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from assistant.deadline import checkpoint, remaining
from assistant.gate import cores, default_slots
from assistant.models import Answer, Turn
from assistant.settings import Settings
from index.refresher import python_process, send
from index.search import Searcher

logger = logging.getLogger(__name__)

POLL_S = 0.1  # how often a question waiting on a process looks at its deadline and its asker
FOLLOW_S = 0.5  # how often the pool looks whether the keyword index in use changed
TRIES = 2  # processes a question may be lost with before it is answered with an error
RESTART_S = 1.0  # a process that died is replaced after this long times its restarts (30 at most)


class AnswerFailed(Exception):
    """Answering raised in the answering process, or the processes died while working on a
    question (TRIES times)."""


def answer_processes(settings: Settings) -> int:
    """How many answering processes the server starts (1: it answers in its own process)."""
    if settings.llm.backend != "none" or not settings.chroma.host:
        return 1  # a model's answer waits on the model; an embedded folder is one process's
    return settings.answer.processes or cores()


def start_pool(assistant: Any, ready_s: float = 0.0) -> AnswerPool | None:
    """Answering processes for `assistant` (an Assistant) when `answer_processes` says more than
    one, waiting up to `ready_s` for them to be ready; None when it answers in this process."""
    processes = answer_processes(assistant.settings)
    if processes <= 1:
        if assistant.settings.answer.processes > 1:
            logger.warning(
                "answer.processes ignored: an embedded store or an LLM backend answers in one process"
            )
        return None
    pool = AnswerPool(assistant.settings, processes, assistant.searcher)
    pool.wait_ready(ready_s)
    assistant.pool = pool
    return pool


@dataclass(eq=False)
class _Job:
    id: int
    question: str
    history: list[Turn]
    done: threading.Event = field(default_factory=threading.Event)
    answer: Answer | None = None
    failure: str = ""  # why answering raised, in the answering process
    worker: _Worker | None = None
    lost: int = 0  # processes that died holding it


class _Worker:
    """One answering process and the questions it holds."""

    def __init__(self, pool: AnswerPool, settings_json: str) -> None:
        self.pool = pool
        self.ready = False
        self.state: dict[str, Any] | None = None  # of the keyword index it answers from
        self.asked: dict[str, Any] | None = None  # the state it was last told to adopt
        self.jobs: dict[int, _Job] = {}
        self._write = threading.Lock()
        self.process = python_process("from assistant.pool_process import main; main()")
        self.send(settings_json)
        threading.Thread(target=self._read, name=f"answer-pool-{self.pid}", daemon=True).start()

    @property
    def pid(self) -> int:
        return self.process.pid

    def send(self, message: object) -> bool:
        assert self.process.stdin is not None
        try:
            with self._write:
                send(self.process.stdin, message)
        except (OSError, ValueError):  # it died (its reader notices and reports it)
            return False
        return True

    def _read(self) -> None:
        assert self.process.stdout is not None
        while True:
            try:
                message = pickle.load(self.process.stdout)
            except Exception:  # EOF: it died; anything else unreadable: it is stopped as if it had
                break
            self.pool._received(self, message)
        self.process.kill()  # (nothing when it has ended)
        self.pool._lost(self)

    def stop(self) -> None:
        """It ends when its stdin closes (its reader then sees the end of its stdout)."""
        try:
            with self._write:
                if self.process.stdin is not None:
                    self.process.stdin.close()
        except OSError:
            pass
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()


class AnswerPool:
    """`processes` answering processes fed by this one; `searcher` is the serving process's, whose
    keyword index the answering processes follow."""

    def __init__(self, settings: Settings, processes: int, searcher: Searcher) -> None:
        slots = settings.answer.workers or max(1, default_slots() // processes)
        self._settings_json = settings.with_overrides(**{"answer.workers": slots}).model_dump_json()
        self.searcher = searcher
        self.processes = processes
        self.restarts = 0
        self.last_failure: str | None = None
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self.workers = [_Worker(self, self._settings_json) for _ in range(processes)]
        threading.Thread(target=self._follow, name="answer-pool-follow", daemon=True).start()

    # -- asking -------------------------------------------------------------------------------

    def answer(self, question: str, history: list[Turn] | None = None) -> Answer:
        """The Answer an answering process gives; raises AnswerStopped (the current deadline or
        asker, `assistant.deadline`) or AnswerFailed."""
        job = _Job(next(self._ids), question, list(history or []))
        try:
            while True:
                checkpoint()
                if job.worker is None and not job.done.is_set():
                    self._dispatch(job)  # again after its process died; none ready: look again
                if job.done.wait(POLL_S):
                    break
        except BaseException:
            self._forget(job, cancel=True)
            raise
        if job.answer is None:
            raise AnswerFailed(job.failure or f"answering processes died {job.lost} times on this question")
        return job.answer

    def _dispatch(self, job: _Job) -> None:
        """Hand `job` to the ready process holding the fewest questions (none ready: leave it)."""
        with self._lock:
            ready = [w for w in self.workers if w.ready]
            if not ready:
                return
            worker = min(ready, key=lambda w: len(w.jobs))
            worker.jobs[job.id] = job
            job.worker = worker
        seconds = remaining()
        if not worker.send(("ask", job.id, job.question, job.history, seconds if seconds < 1e9 else None)):
            self._forget(job)

    def _forget(self, job: _Job, cancel: bool = False) -> None:
        with self._lock:
            worker, job.worker = job.worker, None
            if worker is not None:
                worker.jobs.pop(job.id, None)
        if cancel and worker is not None:
            worker.send(("cancel", job.id))

    # -- what the processes say ---------------------------------------------------------------

    def _received(self, worker: _Worker, message: tuple[Any, ...]) -> None:
        kind = message[0]
        if kind in ("answer", "failed"):
            with self._lock:
                job = worker.jobs.pop(message[1], None)
            if job is not None:
                if kind == "answer":
                    job.answer = message[2]
                else:
                    job.failure = message[2]
                job.done.set()
        elif kind in ("ready", "adopted"):
            worker.state = message[1]
            if kind == "ready":
                logger.info("answering process %d ready", worker.pid)
                worker.ready = True

    def _lost(self, worker: _Worker) -> None:
        """A process ended: its questions go elsewhere (or fail after TRIES), and it is replaced."""
        code = worker.process.wait()
        with self._lock:
            worker.ready = False
            held = list(worker.jobs.values())
            worker.jobs.clear()
            for job in held:
                job.worker = None
                job.lost += 1
                if job.lost >= TRIES:
                    job.done.set()  # answer None: AnswerFailed
        if self._closed.is_set():
            return
        self.restarts += 1
        self.last_failure = (
            f"answering process {worker.pid} exited with {code}, holding {len(held)} questions"
        )
        logger.error("%s; starting another", self.last_failure)
        threading.Thread(
            target=self._replace, args=(worker,), name="answer-pool-restart", daemon=True
        ).start()

    def _replace(self, worker: _Worker) -> None:
        time.sleep(RESTART_S * min(30, self.restarts))
        if self._closed.is_set():
            return
        fresh = _Worker(self, self._settings_json)
        with self._lock:
            self.workers = [fresh if w is worker else w for w in self.workers]

    # -- the keyword index --------------------------------------------------------------------

    def _follow(self) -> None:
        """Tell each ready process when the serving process's keyword index changed. Reading
        `searcher.keyword` also lets the serving process's Searcher look at the collection."""
        while not self._closed.wait(FOLLOW_S):
            try:
                state = self.searcher.keyword.state
            except Exception:  # the store is unreachable: try again
                logger.exception("keyword index state not read")
                continue
            for worker in list(self.workers):
                if worker.ready and worker.state != state and worker.asked != state:
                    worker.asked = state
                    worker.send(("adopt", state))

    # -- life ---------------------------------------------------------------------------------

    def wait_ready(self, timeout_s: float) -> int:
        """Wait until every process is ready or `timeout_s` passed; how many are ready."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and not all(w.ready for w in self.workers):
            time.sleep(POLL_S)
        return sum(w.ready for w in self.workers)

    def status(self) -> dict[str, Any]:
        """For /api/health: processes wanted and ready, restarts, the last failure."""
        return {
            "processes": self.processes,
            "ready": sum(w.ready for w in self.workers),
            "restarts": self.restarts,
            "last_failure": self.last_failure,
        }

    def close(self) -> None:
        self._closed.set()
        for worker in list(self.workers):
            worker.stop()


__all__ = ["AnswerFailed", "AnswerPool", "answer_processes", "start_pool"]
