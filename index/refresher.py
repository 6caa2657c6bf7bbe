"""The keyword index of a Chroma server's collection, rebuilt in a process of its own at the lowest
CPU priority, while the serving process keeps answering from the index it has.

Why a process: a rebuild reads every chunk from the server and analyses the new ones (jieba,
OpenCC, glossary, figures: pure Python), so in the serving process it holds the GIL for seconds at
a time, again and again during a long ingest (profiled: busy all the time, taking the interpreter
from the questions). Here it shares nothing with the questions but the cores, and at nice 19 and
SCHED_BATCH it gets them only when questions leave them idle. It writes the new index into the
data folder (index.keyword.save: a new folder replacing the old), and the serving process opens
it from there: a check and a copy of its files, then one assignment (`Searcher._keyword`).

Only for a Chroma server (chroma.host): an embedded store is one process's folder.

Started as `python -c "from index.refresher import main; main()"`. Protocol, pickles over stdin and stdout: first the
IndexSettings, then one request (None) per refresh, answered by ("ok", state of the index now
saved) or ("error", message). It keeps its last index in memory, so that a refresh analyses only
new chunks, and ends when its stdin closes (also when the serving process dies).
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Any

from index.pacing import Pacer
from index.settings import IndexSettings

NICE = 19  # the lowest priority: a refresh only takes what the questions leave idle
logger = logging.getLogger(__name__)


def lower_priority(increment: int = NICE) -> None:
    """This process (and what it starts afterwards) `increment` nice levels lower (19 at most)
    and, where there is one, in SCHED_BATCH: the kernel treats it as CPU-bound work that may wait.
    Nothing for 0."""
    if increment <= 0:
        return
    with contextlib.suppress(OSError):
        os.nice(increment)
    with contextlib.suppress(AttributeError, OSError):  # SCHED_BATCH is Linux's
        os.sched_setscheduler(0, os.SCHED_BATCH, os.sched_param(0))


class Refresher:
    """The serving side: starts the refreshing process on first use (again if it died) and asks
    it to bring the saved keyword index up to date. One request at a time."""

    def __init__(self, settings: IndexSettings) -> None:
        self.settings = settings
        self.process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    def refresh(self) -> dict[str, Any]:
        """Block until the saved index matches the collection; its state. Raises RuntimeError."""
        with self._lock:
            process = self._running()
            assert process.stdin is not None and process.stdout is not None
            try:
                send(process.stdin, None)
                status, value = pickle.load(process.stdout)
            except (EOFError, OSError, pickle.UnpicklingError) as exc:
                self.close()
                raise RuntimeError(f"the keyword refresher stopped: {exc}") from exc
        if status != "ok":
            raise RuntimeError(f"keyword refresh failed: {value}")
        return dict(value)

    def _running(self) -> subprocess.Popen[bytes]:
        if self.process is not None and self.process.poll() is None:
            return self.process
        # not `-m index.refresher`: the package imports this module before runpy would run it
        self.process = python_process("from index.refresher import main; main()")
        assert self.process.stdin is not None
        send(self.process.stdin, self.settings)
        return self.process

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None and self.process.poll() is None else None

    def close(self) -> None:
        process, self.process = self.process, None
        if process is not None:
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    stream.close()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()


def python_process(code: str) -> subprocess.Popen[bytes]:
    """`python -c code` with this checkout importable, its stdin and stdout pipes to this one."""
    root = Path(__file__).resolve().parents[1]
    path = os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return subprocess.Popen(
        [sys.executable, "-c", code],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": path},
    )


def send(stream: IO[bytes], value: object) -> None:
    """One pickled message (the protocol of this module and assistant.pool)."""
    pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
    stream.flush()


def main() -> None:
    lower_priority()
    # The protocol owns the real stdout; anything a library prints goes to stderr instead.
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    source = sys.stdin.buffer
    settings: IndexSettings = pickle.load(source)
    serve(source, out, settings, Pacer(settings.busy_yield))


def serve(source: IO[bytes], out: IO[bytes], settings: IndexSettings, pacer: Pacer) -> None:
    """Answer refresh requests until `source` ends. Each rebuild first waits while the machine's
    CPU is contended (index.pacing), at most `settings.busy_yield` times as long as the last one
    took: the questions keep the index they have meanwhile, and the rebuild's reads of every chunk
    (done by the Chroma server, at its priority) come when the cores have room."""
    from index.keyword import KeywordIndex, open_keyword_index
    from index.store import Store

    store: Store | None = None
    current: KeywordIndex | None = None
    while True:
        try:
            pickle.load(source)
        except (EOFError, OSError):
            return
        try:
            store = store or Store(settings)
            with pacer.work():
                current = open_keyword_index(store, current)
            reply: tuple[str, Any] = ("ok", current.state)
        except Exception as exc:  # told to the serving process, which keeps its index
            reply = ("error", f"{type(exc).__name__}: {exc}")
        try:
            send(out, reply)
        except OSError:  # the serving process is gone
            return
