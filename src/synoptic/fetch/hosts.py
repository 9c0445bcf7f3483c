"""Politeness per host: at most N requests at once and a minimum interval between starts.

Shared by every thread of one fetcher. The interval may be raised per host by its robots.txt
``Crawl-delay``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class HostGate:
    """Limits requests per host (``scheme://host:port``).

    Args:
        interval: Least seconds between the starts of two requests to one host.
        concurrency: Most requests to one host at the same time.
    """

    def __init__(self, interval: float, concurrency: int) -> None:
        self._interval = interval
        self._concurrency = max(1, concurrency)
        self._lock = threading.Lock()
        self._slots: dict[str, threading.Semaphore] = {}
        self._next: dict[str, float] = {}
        self._delay: dict[str, float] = {}

    def set_delay(self, host: str, seconds: float) -> None:
        """Raise the interval for ``host`` to ``seconds`` (a robots.txt crawl delay)."""
        with self._lock:
            self._delay[host] = max(seconds, self._interval)

    @contextmanager
    def turn(self, host: str) -> Iterator[None]:
        """Wait for a slot and for the host's interval, then hold the slot for the block."""
        with self._lock:
            slot = self._slots.setdefault(host, threading.Semaphore(self._concurrency))
        with slot:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next.get(host, now))
                self._next[host] = start + self._delay.get(host, self._interval)
            if start > now:
                time.sleep(start - now)
            yield
