"""Questions take turns for the CPU-bound part of answering (assistant.gate): at most `workers` at
once, first come first served; a question that waits still stops when its asker goes."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from assistant.deadline import AnswerStopped, limited
from assistant.gate import Gate
from assistant.pipeline import Assistant
from assistant.settings import Settings


def _busy(gate: Gate, seconds: float, inside: list[int], peak: list[int], order: list[int], k: int) -> None:
    with gate.slot():
        order.append(k)
        inside.append(1)
        peak.append(len(inside))
        time.sleep(seconds)
        inside.pop()


def test_at_most_slots_holders_and_the_rest_in_order_of_arrival():
    gate = Gate(2)
    inside: list[int] = []
    peak: list[int] = []
    order: list[int] = []
    threads = []
    for k in range(8):
        thread = threading.Thread(target=_busy, args=(gate, 0.05, inside, peak, order, k))
        thread.start()
        threads.append(thread)
        time.sleep(0.01)  # arrive one after the other
    for thread in threads:
        thread.join(10)
    assert max(peak) == 2
    assert order == list(range(8))
    assert gate.waiting == 0


def test_a_waiting_question_stops_when_its_asker_goes_and_gives_up_its_place():
    gate = Gate(1)
    release = threading.Event()
    held = threading.Event()

    def holder() -> None:
        with gate.slot():
            held.set()
            release.wait(10)

    threading.Thread(target=holder, daemon=True).start()
    assert held.wait(5)
    gone = threading.Event()
    stopped: list[str] = []

    def waiter() -> None:
        try:
            with limited(float("inf"), gone), gate.slot():
                stopped.append("ran")
        except AnswerStopped as exc:
            stopped.append(exc.reason)

    thread = threading.Thread(target=waiter)
    thread.start()
    time.sleep(0.2)
    gone.set()
    thread.join(5)
    assert stopped == ["cancelled"] and gate.waiting == 0
    release.set()
    with gate.slot():  # the slot came back, nobody holds a lost turn
        pass


def test_answers_take_turns_for_the_cpu_bound_steps(bundled_index: Path, tmp_path: Path, monkeypatch):
    """Before, every question in flight searched at once (30 threads on 2 cores during the load
    benchmark); with answer.workers = 1 two questions never search at the same time."""
    import shutil

    shutil.copytree(bundled_index, tmp_path / "data")
    assistant = Assistant(Settings(data_dir=tmp_path / "data", answer={"workers": 1}))
    inside: list[int] = []
    peak: list[int] = []
    search = assistant.retriever.search

    def counted(*args: Any, **kwargs: Any) -> Any:
        inside.append(1)
        peak.append(len(inside))
        time.sleep(0.2)
        try:
            return search(*args, **kwargs)
        finally:
            inside.pop()

    monkeypatch.setattr(assistant.retriever, "search", counted)
    answers: list[Any] = []
    threads = [
        threading.Thread(target=lambda: answers.append(assistant.answer("大连有效商标注册量是多少?")))
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(answers) == 3 and all(a.answerable for a in answers)
    assert max(peak) == 1
    assert max(a.timings["wait_ms"] for a in answers) >= 150, "the others waited their turn"


@pytest.mark.parametrize("workers", [0, 3])
def test_workers_setting_sizes_the_gate(bundled_index: Path, tmp_path: Path, workers: int):
    import shutil

    from assistant.gate import default_slots

    shutil.copytree(bundled_index, tmp_path / "data")
    assistant = Assistant(Settings(data_dir=tmp_path / "data", answer={"workers": workers}))
    assert assistant.gate.slots == (workers or default_slots())
