"""Work on one question stops at a deadline, or when whoever asked has gone (the server sets a
stop event when its client disconnects). `checkpoint()` between the stages of answering raises
`AnswerStopped`; the limit is carried in a context variable, so no signature changes."""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Protocol


class Stop(Protocol):
    """Anything that says when work should stop: a threading.Event, or a look at whether a web
    client is still there (assistant.server.web.cancel)."""

    def is_set(self) -> bool: ...


class AnswerStopped(Exception):
    """`reason` is "timeout" (past the deadline) or "cancelled" (the asker went away)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Limit:
    deadline: float
    stops: tuple[Stop, ...]

    def check(self) -> None:
        if any(stop.is_set() for stop in self.stops):
            raise AnswerStopped("cancelled")
        if time.monotonic() > self.deadline:
            raise AnswerStopped("timeout")


_current: ContextVar[Limit | None] = ContextVar("answer_limit", default=None)


@contextlib.contextmanager
def limited(seconds: float, stop: Stop | None = None) -> Iterator[Limit]:
    """Work in this block stops after `seconds`, or once `stop` is set; an enclosing limit still
    applies (the earlier deadline, either stop)."""
    outer = _current.get()
    deadline = time.monotonic() + seconds
    stops: tuple[Stop, ...] = (stop,) if stop is not None else ()
    if outer is not None:
        deadline, stops = min(deadline, outer.deadline), outer.stops + stops
    token = _current.set(limit := Limit(deadline, stops))
    try:
        yield limit
    finally:
        _current.reset(token)


def checkpoint() -> None:
    """Raise AnswerStopped when the current question's limit is reached."""
    limit = _current.get()
    if limit is not None:
        limit.check()


def remaining() -> float:
    """Seconds left before the current question's deadline (infinite without a limit)."""
    limit = _current.get()
    return math.inf if limit is None else limit.deadline - time.monotonic()


__all__ = ["AnswerStopped", "Stop", "checkpoint", "limited", "remaining"]
