"""Background work that gives way to questions: an ingest's writes and the keyword index's rebuilds
wait while the machine's CPU is contended.

A lower nice level alone does not keep an ingest from the questions: its writes are done by the
Chroma server, at the server's priority, and every write makes the serving side rebuild its
keyword index. So before each piece of work (a batch of writes, a rebuild) the `Pacer` looks at
Linux's pressure stall information (`/proc/pressure/cpu`: for how long some runnable task waited
for a core) over the time since its last piece of work ended, and while that share is high it
waits, looking again every `probe_s`, for at most `ratio` times as long as its last piece took.
Work still goes on under a load that never ends (at least 1 / (1 + ratio) of its own pace), and an
idle machine does not slow it: where the cores are free the first look lets it through at once.
Where the kernel gives no pressure information nothing waits.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path

PSI_CPU = Path("/proc/pressure/cpu")
BUSY_SHARE = 0.5  # some task waited for a core this share of the time: the cores are contended
PROBE_S = 0.2  # how long one look at the pressure lasts while waiting
MIN_WINDOW_S = 0.05  # a shorter window since the last piece of work says too little
MAX_WAIT_S = 60.0  # the longest wait before one piece of work, however long the last one took


def cpu_stall_us(path: Path = PSI_CPU) -> int | None:
    """Microseconds since boot during which some runnable task waited for a CPU (PSI's "some"
    total); None where the kernel does not say (not Linux, or PSI off)."""
    try:
        with open(path, "rb") as psi:
            line = psi.readline()
        return int(line.rsplit(b"total=", 1)[1])
    except (OSError, IndexError, ValueError):
        return None


class Pacer:
    """Waits before each piece of work while the CPU is contended (see the module's docstring).
    `ratio` 0 never waits. `stall`, `clock` and `sleep` are for tests."""

    def __init__(
        self,
        ratio: float,
        *,
        stall: Callable[[], int | None] = cpu_stall_us,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.ratio = max(0.0, ratio)
        self.stall, self.clock, self.sleep = stall, clock, sleep
        self.last_work_s = 0.0
        self.waited_s = 0.0  # in all, for reports
        self._mark = (clock(), stall())
        # Whether the last look before a piece of work found the CPU contended; until the first
        # look, assumed so where pacing is on (an ingest's first write is then a small one).
        self.busy = self.ratio > 0 and self._mark[1] is not None

    def _stalled_share(self) -> float | None:
        """The share of the time since the last look during which some task waited for a core."""
        now, stalled = self.clock(), self.stall()
        (then, before), self._mark = self._mark, (now, stalled)
        if stalled is None or before is None or now <= then:
            return None
        return (stalled - before) / 1e6 / (now - then)

    def contended(self) -> bool:
        share = self._stalled_share()
        return share is not None and share >= BUSY_SHARE

    def wait(self) -> float:
        """Wait while the CPU is contended, at most `ratio` times the last piece of work's time;
        the seconds waited. Sets `busy` from the first look (also before the first piece)."""
        if self.ratio <= 0 or self._mark[1] is None:
            self.busy = False
            return 0.0
        allowed = min(MAX_WAIT_S, self.ratio * self.last_work_s)
        short = MIN_WINDOW_S - (self.clock() - self._mark[0])
        if short > 0:
            self.sleep(short)
        waited = 0.0
        busy = self.busy = self.contended()
        while busy and waited < allowed:
            step = min(PROBE_S, allowed - waited)
            self.sleep(step)
            waited += step
            busy = self.contended()
        self.waited_s += waited
        return waited

    @contextlib.contextmanager
    def work(self) -> Iterator[None]:
        """One piece of work, after `wait`; its time sets the next wait's bound."""
        self.wait()
        started = self.clock()
        try:
            yield
        finally:
            ended = self.clock()
            self.last_work_s = ended - started
            # The next window starts here: the work's own load is not the others'.
            self._mark = (ended, self.stall())


__all__ = ["Pacer", "cpu_stall_us"]
