"""CPU seconds that groups of processes spent during a benchmark phase, read from /proc (Linux).

    before = CpuShares.take({"answering": ([pid], "pool_process"), "server": ([pid], ""), ...})
    ... the phase ...
    print(before.report())   # "cpu_s in 40.2 s: answering=31.0 server=9.8 ... others=4.0 idle=1.2"

A group is the processes given and their descendants, those whose command line contains the
group's string (and their descendants), alive when a snapshot is taken (one started during the
phase counts from zero); a process counts in the first group that has it. "others" is what the
rest of the machine took (the other users of shared cores), "idle" what nobody took.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds) of a process, None if it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()  # after "pid (name) "
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK


def _processes() -> dict[int, tuple[int, float]]:
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (row := _stat(int(entry.name))) is not None:
            found[int(entry.name)] = row
    return found


def _machine() -> tuple[float, float]:
    """(busy, idle) CPU seconds of the whole machine since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values[:8]) - idle) / TICK, idle / TICK


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _descendants(roots: list[int] | set[int], table: dict[int, tuple[int, float]]) -> set[int]:
    found = {pid for pid in roots if pid in table}
    grew = True
    while grew:
        more = {pid for pid, (parent, _) in table.items() if parent in found} - found
        found |= more
        grew = bool(more)
    return found


@dataclass
class CpuShares:
    groups: dict[str, tuple[list[int], str]]
    start: dict[str, dict[int, float]] = field(default_factory=dict)
    machine: tuple[float, float] = (0.0, 0.0)
    started: float = 0.0

    @classmethod
    def take(cls, groups: dict[str, tuple[list[int], str]]) -> CpuShares:
        shares = cls(groups)
        shares.start = shares._now()
        shares.machine, shares.started = _machine(), time.monotonic()
        return shares

    def _now(self) -> dict[str, dict[int, float]]:
        table = _processes()
        taken: set[int] = set()
        now: dict[str, dict[int, float]] = {}
        for name, (roots, match) in self.groups.items():
            pids = _descendants(roots, table)
            if match:
                pids = _descendants({pid for pid in pids if match in _command(pid)}, table)
            pids -= taken
            taken |= pids
            now[name] = {pid: table[pid][1] for pid in pids}
        return now

    def seconds(self) -> dict[str, float]:
        """CPU seconds per group since the snapshot, then "others" and "idle" of the machine."""
        now = self._now()
        spent = {
            name: round(sum(cpu - self.start[name].get(pid, 0.0) for pid, cpu in pids.items()), 1)
            for name, pids in now.items()
        }
        busy, idle = _machine()
        spent["others"] = round(max(0.0, busy - self.machine[0] - sum(spent.values())), 1)
        spent["idle"] = round(idle - self.machine[1], 1)
        return spent

    def report(self) -> str:
        spent = self.seconds()
        wall = time.monotonic() - self.started
        return f"cpu_s in {wall:.1f} s: " + " ".join(f"{name}={value}" for name, value in spent.items())


def process_tree(pid: int) -> set[int]:
    """A process and its descendants alive now."""
    return _descendants([pid], _processes())


def load_average() -> str:
    return " ".join(f"{v:.1f}" for v in os.getloadavg())


__all__ = ["CpuShares", "load_average", "process_tree"]
