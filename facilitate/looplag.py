"""How late the server's event loop runs: one greenlet sleeps a short while, again and again, and
measures how much later than asked it wakes. Anything that holds the loop (a slow query on
SQLite, a long export, a garbage collection) holds every phone's delivery just as long.

``facilitate serve`` starts it (gevent only); ``/healthz`` reports the latest figure and the
worst of the last minute, and a wake later than ``LOOP_LAG_WARN_MS`` is logged as one line.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque

log = logging.getLogger(__name__)

#: How long the greenlet sleeps between measurements.
INTERVAL = 0.1
#: How far back "the worst lag" looks.
WINDOW = 60.0
#: A loop held for long stretches logs at most one line this often, naming the worst lag since.
WARN_EVERY = 10.0


class LoopLag:
    """The latest lag and those of the last ``WINDOW`` seconds (in milliseconds)."""

    def __init__(self, warn_ms: float, clock=time.monotonic):
        self.warn_ms = warn_ms
        self.clock = clock
        self.latest = 0.0
        self._samples: deque[tuple[float, float]] = deque()
        self._lock = threading.Lock()
        self._unwarned = 0.0
        self._warned_at: float | None = None

    def record(self, lag_ms: float) -> None:
        now = self.clock()
        with self._lock:
            self.latest = lag_ms
            # A sliding maximum: a sample no larger than a later one can never be the worst.
            while self._samples and self._samples[0][0] < now - WINDOW:
                self._samples.popleft()
            while self._samples and self._samples[-1][1] <= lag_ms:
                self._samples.pop()
            self._samples.append((now, lag_ms))
        if lag_ms > self.warn_ms:
            self._warn(now, lag_ms)

    def figures(self) -> dict:
        """``{"now": …, "max_1m": …}`` in milliseconds, rounded to tenths."""
        now = self.clock()
        with self._lock:
            recent = [lag for at, lag in self._samples if at >= now - WINDOW]
            latest = self.latest
        return {"now": round(latest, 1), "max_1m": round(max(recent, default=latest), 1)}

    def _warn(self, now: float, lag_ms: float) -> None:
        self._unwarned = max(self._unwarned, lag_ms)
        if self._warned_at is not None and now - self._warned_at < WARN_EVERY:
            return
        log.warning(
            "The event loop ran %.0f ms late (warning above %.0f ms): every phone waited as long",
            self._unwarned,
            self.warn_ms,
        )
        self._warned_at = now
        self._unwarned = 0.0


#: The running process's monitor; ``None`` where none runs (in-process tests, CLI tools).
monitor: LoopLag | None = None


def figures() -> dict | None:
    return monitor.figures() if monitor is not None else None


def start(warn_ms: float) -> LoopLag:
    """Start measuring in a background greenlet of this process."""
    global monitor
    from .extensions import socketio

    monitor = LoopLag(warn_ms)
    socketio.start_background_task(_measure, monitor, socketio.sleep)
    return monitor


def _measure(lag: LoopLag, sleep) -> None:
    while True:
        asked = time.monotonic()
        sleep(INTERVAL)
        lag.record(max(0.0, (time.monotonic() - asked - INTERVAL) * 1000))
