"""How many questions are worked on at once: the CPU-bound part of answering (analysis, search, an
extractive answer) runs in at most `slots` threads; the others wait their turn, first come first
served.

Why: Python runs one thread at a time (the GIL). Thirty questions answered in thirty threads at
once on two cores each take thirty times as long, and every thread that waits on I/O (a query to
the Chroma server) queues for the GIL again behind the others when its reply comes; locks held
across such waits (httpx's connection pool) then pile the threads up behind each other. Much of
answering releases the GIL, though (NumPy, reading mapped pages, the query to Chroma), so a few
questions per core keep the cores busy where one per core left them idle: PER_CORE was measured
with bench_load during an ingest (docs/performance.md: 2, 4 and 8 places on 2 cores). A question
that waits still stops at its deadline or when its asker has gone (`checkpoint`).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections import deque
from collections.abc import Iterator

from assistant.deadline import checkpoint

POLL_S = 0.1  # how often a waiting question looks at its deadline and its asker
PER_CORE = 4  # places per core when answer.workers is 0 (measured: docs/performance.md)


def cores() -> int:
    """CPU cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def default_slots() -> int:
    return PER_CORE * cores()


class Gate:
    """At most `slots` holders at once; the others are let in in the order they came."""

    def __init__(self, slots: int) -> None:
        self.slots = max(1, slots)
        self._free = self.slots
        self._lock = threading.Lock()
        self._waiting: deque[threading.Event] = deque()

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    @contextlib.contextmanager
    def slot(self) -> Iterator[None]:
        """Hold a slot for the block; raises AnswerStopped (from `checkpoint`) while waiting."""
        turn: threading.Event | None = None
        with self._lock:
            if self._free and not self._waiting:
                self._free -= 1
            else:
                turn = threading.Event()
                self._waiting.append(turn)
        if turn is not None:
            try:
                while not turn.wait(POLL_S):
                    checkpoint()
            except BaseException:
                with self._lock:
                    if turn.is_set():  # handed a slot just now: pass it on
                        self._release()
                    else:
                        self._waiting.remove(turn)
                raise
        try:
            yield
        finally:
            with self._lock:
                self._release()

    def _release(self) -> None:
        if self._waiting:
            self._waiting.popleft().set()  # the slot goes straight to the next in line
        else:
            self._free += 1


__all__ = ["Gate", "cores", "default_slots"]
