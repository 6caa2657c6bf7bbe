"""Background work (an ingest's writes, keyword rebuilds) waits while the CPU is contended, and
still gets done."""

from __future__ import annotations

import io
import pickle
import time
from pathlib import Path

import pytest

from index import Store
from index.ingest import collect, ingest, prepare, writer
from index.pacing import MAX_WAIT_S, MIN_WINDOW_S, PROBE_S, Pacer, cpu_stall_us
from index.refresher import serve
from tests.test_ingest import expected_chunks, settings_for, stored_chunk_ids, write_corpus


class Machine:
    """A clock that moves only when slept on (plus, with `real`, as real time goes), and a PSI
    stall counter that grows while the machine is contended."""

    def __init__(self, contended_until: float = float("inf"), real: bool = False) -> None:
        self.slept: list[float] = []
        self.contended_until = contended_until
        self.real = real
        self.started = time.monotonic()
        self.stalled_s = 0.0

    def clock(self) -> float:
        return sum(self.slept) + (time.monotonic() - self.started if self.real else 0.0)

    def sleep(self, seconds: float) -> None:
        before = self.clock()
        self.slept.append(seconds)
        # stalled for the part of the sleep before `contended_until`
        self.stalled_s += max(0.0, min(self.clock(), self.contended_until) - before)

    def stall(self) -> int:
        if self.real and self.contended_until == float("inf"):
            return int(self.clock() * 1e6)  # contended all the time, also while working
        return int(self.stalled_s * 1e6)

    def pacer(self, ratio: float = 4.0) -> Pacer:
        return Pacer(ratio, stall=self.stall, clock=self.clock, sleep=self.sleep)


def worked(pacer: Pacer, machine: Machine, seconds: float) -> float:
    """One piece of work lasting `seconds` of the machine's clock; the seconds waited before it."""
    before = pacer.waited_s
    with pacer.work():
        machine.slept.append(seconds)  # the work's own time, not a wait
    return pacer.waited_s - before


def test_a_contended_cpu_delays_the_next_piece_of_work_up_to_ratio_times_the_last():
    machine = Machine()
    pacer = machine.pacer(ratio=4.0)
    assert worked(pacer, machine, 1.0) == 0.0  # the first piece has nothing to measure itself by
    assert worked(pacer, machine, 1.0) == pytest.approx(4.0)
    assert worked(pacer, machine, 0.5) == pytest.approx(4.0)  # the bound is the last piece's time
    assert worked(pacer, machine, 1.0) == pytest.approx(2.0)
    assert all(step <= PROBE_S + 1e-9 for step in machine.slept if step not in (0.5, 1.0))


def test_a_wait_never_exceeds_its_cap():
    machine = Machine()
    pacer = machine.pacer(ratio=4.0)
    worked(pacer, machine, 1000.0)
    assert worked(pacer, machine, 1.0) == pytest.approx(MAX_WAIT_S)


def test_free_cores_let_work_through_at_once():
    machine = Machine(contended_until=0.0)
    pacer = machine.pacer(ratio=4.0)
    for _ in range(5):
        assert worked(pacer, machine, 1.0) == 0.0
    # at most a look of MIN_WINDOW_S before each piece, never a probe's wait
    assert sum(s for s in machine.slept if s != 1.0) <= 5 * MIN_WINDOW_S + 1e-9


def test_work_goes_on_as_soon_as_the_contention_ends():
    machine = Machine(contended_until=3.5)
    pacer = machine.pacer(ratio=10.0)
    worked(pacer, machine, 1.0)  # ends at 1.0
    waited = worked(pacer, machine, 1.0)
    assert 2.5 - PROBE_S <= waited <= 2.5 + PROBE_S  # contended from 1.0 to 3.5, then free


def test_without_pressure_information_or_with_ratio_zero_nothing_waits():
    machine = Machine()
    blind = Pacer(4.0, stall=lambda: None, clock=machine.clock, sleep=machine.sleep)
    worked(blind, machine, 1.0)
    assert worked(blind, machine, 1.0) == 0.0
    off = machine.pacer(ratio=0.0)
    worked(off, machine, 1.0)
    assert worked(off, machine, 1.0) == 0.0
    assert machine.slept == [1.0] * 4


def test_cpu_stall_is_read_from_the_pressure_file(tmp_path: Path):
    psi = tmp_path / "cpu"
    psi.write_text(
        "some avg10=7.05 avg60=5.04 avg300=11.29 total=30507441287\n"
        "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
    )
    assert cpu_stall_us(psi) == 30507441287
    assert cpu_stall_us(tmp_path / "missing") is None
    psi.write_text("garbage\n")
    assert cpu_stall_us(psi) is None


def test_an_ingest_on_a_contended_cpu_yields_between_batches_and_writes_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    folder = write_corpus(tmp_path / "articles", 12)
    settings = settings_for(tmp_path)
    machine = Machine(real=True)  # contended all the time; its waits are counted, not slept
    monkeypatch.setattr(writer, "Pacer", lambda ratio: machine.pacer(ratio))
    monkeypatch.setattr(writer, "BATCH_DOCUMENTS", 3)
    report = ingest([folder], settings)
    assert len(report.added) == 12 and not report.rejected
    assert report.chunks == expected_chunks(folder, settings) == len(stored_chunk_ids(settings))
    assert report.yielded_s > 0  # three waits, between the four batches
    assert len([s for s in machine.slept if s > 0]) >= 3
    again = ingest([folder], settings)  # and the result is the usual one: nothing to redo
    assert again.chunks == 0 and len(again.unchanged) == 12


def test_a_keyword_rebuild_waits_while_the_cpu_is_contended(tmp_path: Path):
    folder = write_corpus(tmp_path / "articles", 4)
    settings = settings_for(tmp_path)
    ingest([folder], settings)
    machine = Machine(real=True)
    pacer = machine.pacer(ratio=4.0)
    requests = io.BytesIO(pickle.dumps(None) + pickle.dumps(None))
    replies = io.BytesIO()
    serve(requests, replies, settings, pacer)
    replies.seek(0)
    first, second = pickle.load(replies), pickle.load(replies)
    assert first[0] == second[0] == "ok"
    assert first[1]["chunks"] == Store(settings).state()["chunks"] > 0
    assert pacer.last_work_s > 0 and pacer.waited_s > 0  # the second rebuild waited


def test_writes_are_smaller_while_the_cpu_is_contended(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # The pacer acts only between writes: under contention the batches shrink so that it can.
    folder = write_corpus(tmp_path / "articles", 12)
    sizes: dict[str, list[int]] = {}
    add_chunks = Store.add_chunks
    for name, machine in (("idle", Machine(contended_until=0.0)), ("busy", Machine(real=True))):
        settings = settings_for(tmp_path / name)
        written: list[int] = []
        monkeypatch.setattr(writer, "Pacer", lambda ratio, m=machine: m.pacer(ratio))
        monkeypatch.setattr(writer, "BUSY_BATCH_CHUNKS", 2)
        monkeypatch.setattr(
            Store,
            "add_chunks",
            lambda self, ids, *a, w=written, f=add_chunks: (w.append(len(ids)), f(self, ids, *a))[1],
        )
        report = ingest([folder], settings)
        assert report.chunks == expected_chunks(folder, settings) == len(stored_chunk_ids(settings))
        sizes[name] = written
    sources, _ = collect([folder])
    one_document = max(len(prepare(s, settings_for(tmp_path), "x").spans) for s in sources)
    assert max(sizes["idle"]) > 2 * one_document  # free cores: writes of many documents
    assert len(sizes["busy"]) > 3 and max(sizes["busy"]) <= max(2, one_document)
