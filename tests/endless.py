"""An answerer that works until it is told to stop: tests of deadlines, disconnects, cancels."""

from __future__ import annotations

import threading
import time
from typing import Any

from assistant.deadline import AnswerStopped, checkpoint


class Endless:
    def __init__(self) -> None:
        self.started = threading.Event()
        self.stopped = threading.Event()

    def answer(self, *args: Any, **kwargs: Any) -> Any:
        self.started.set()
        try:
            while True:
                checkpoint()
                time.sleep(0.02)
        except AnswerStopped:
            self.stopped.set()
            raise
