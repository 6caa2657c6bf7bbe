"""Password guesses, counted per client address and per user name."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


class Throttled(Exception):
    def __init__(self, wait_s: float) -> None:
        super().__init__(f"too many failed logins; try again in {wait_s:.0f} s")
        self.wait_s = wait_s


class LoginThrottle:
    """After `failures` failed logins within `window_s` from one address, or for one user name,
    that address or user is refused until the oldest of them is `window_s` old. A guesser gets
    `failures` tries a window, whichever user or address it turns to."""

    def __init__(
        self, failures: int = 5, window_s: float = 60.0, clock: Callable[[], float] = time.monotonic
    ):
        self.failures, self.window_s, self.clock = max(1, failures), window_s, clock
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _keys(self, address: str, user: str) -> tuple[str, str]:
        return f"address:{address}", f"user:{user.casefold()}"

    def wait(self, address: str, user: str) -> float:
        """Seconds until `user` may try again from `address` (0: now)."""
        now = self.clock()
        waits = [0.0]
        with self._lock:
            for key in self._keys(address, user):
                times = self._seen.get(key)
                while times and now - times[0] >= self.window_s:
                    times.popleft()
                if times and len(times) >= self.failures:
                    waits.append(times[-self.failures] + self.window_s - now)
        return max(waits)

    def check(self, address: str, user: str) -> None:
        wait = self.wait(address, user)
        if wait > 0:
            raise Throttled(wait)

    def failed(self, address: str, user: str) -> None:
        now = self.clock()
        with self._lock:
            if len(self._seen) > 100_000:  # a flood of names: forget the oldest half rather than grow
                for key in list(self._seen)[: len(self._seen) // 2]:
                    del self._seen[key]
            for key in self._keys(address, user):
                self._seen.setdefault(key, deque(maxlen=self.failures)).append(now)

    def succeeded(self, address: str, user: str) -> None:
        with self._lock:
            self._seen.pop(self._keys(address, user)[1], None)
