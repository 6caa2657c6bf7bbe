"""An answering process of assistant.pool: its own Assistant over the Chroma server and the keyword
index saved in the data folder, answering the questions the serving process hands it, several at
once (answer.workers at a time take turns on the CPU-bound steps, as in one process).

Started as `python -c "from assistant.pool_process import main; main()"`; the protocol is in
assistant.pool. It ends when its stdin closes (also when the serving process dies); questions in
progress then end with it, nobody waits for them.
"""

from __future__ import annotations

import logging
import os
import pickle
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import IO, Any

THREADS = 64  # questions held at once; beyond answer.workers they wait their turn (assistant.gate)
logger = logging.getLogger(__name__)


def main() -> None:
    from assistant.pipeline import Assistant
    from assistant.settings import Settings
    from assistant.warmup import warm_up
    from index.refresher import send
    from index.search import Searcher

    # The protocol owns the real stdout; anything a library prints goes to stderr instead.
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    source = sys.stdin.buffer
    settings = Settings.model_validate_json(pickle.load(source))
    assistant = Assistant(settings, Searcher(settings, follow=True))
    warm_up(assistant)
    write = threading.Lock()

    def reply(message: tuple[Any, ...]) -> None:
        try:
            with write:
                send(out, message)
        except OSError:  # the serving process is gone; stdin's end stops the loop
            pass

    reply(("ready", assistant.searcher.keyword.state))
    serve(source, assistant, reply)
    os._exit(0)  # threads still answering end with the process


def serve(source: IO[bytes], assistant: Any, reply: Any) -> None:
    """Answer what comes from `source` until it ends."""
    from assistant.deadline import limited

    stops: dict[int, threading.Event] = {}
    executor = ThreadPoolExecutor(THREADS, thread_name_prefix="answer")

    def ask(job: int, question: str, history: list[Any], seconds: float | None) -> None:
        try:
            with limited(float("inf") if seconds is None else seconds, stops[job]):
                reply(("answer", job, assistant.answer(question, history, stop=stops[job])))
        except Exception as exc:  # raised in the serving process, as it would be there
            logger.exception("answering failed")
            reply(("failed", job, f"{type(exc).__name__}: {exc}"))
        finally:
            stops.pop(job, None)

    adopting = threading.Lock()  # one copy of a new index at a time

    def adopt() -> None:
        try:
            with adopting:
                reply(("adopted", assistant.searcher.adopt_saved()))
        except Exception:
            logger.exception("saved keyword index not adopted")

    while True:
        try:
            message = pickle.load(source)
        except (EOFError, OSError, pickle.UnpicklingError):
            return
        if message[0] == "ask":
            stops[message[1]] = threading.Event()
            executor.submit(ask, *message[1:])
        elif message[0] == "cancel" and message[1] in stops:
            stops[message[1]].set()
        elif message[0] == "adopt":
            threading.Thread(target=adopt, name="adopt", daemon=True).start()
