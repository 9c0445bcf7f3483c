"""Limits on what one client can make the server do: writes per token, time to send a body.

* **Write rate.** Each API token has a token bucket: ``burst`` writes at once, then ``rate``
  per second. A write over it is refused with 429 and ``Retry-After`` (whole seconds until a
  write would pass), before anything is read or stored. Buckets live in memory (one server
  process); they are keyed by a hash of the token, so the token itself is not kept twice.
* **Body deadline.** A request body must arrive within ``seconds`` of the handler asking for
  it; a client that trickles it (or stops) gets 408 and the connection is closed, instead of
  holding a worker and a database writer slot for as long as it likes.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import threading
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from synoptic.serve.errors import ApiError

T = TypeVar("T")

DEFAULT_WRITE_RATE = 2.0
DEFAULT_WRITE_BURST = 30
DEFAULT_BODY_SECONDS = 30.0
# Buckets kept at most; the fullest (idle longest) go first past it.
MAX_BUCKETS = 10_000


class WriteLimiter:
    """A token bucket per API token.

    Args:
        rate: Writes per second a token earns back (``0``: no limit at all).
        burst: Writes a token may make at once.
        clock: Monotonic seconds (tests pass a fake one).
    """

    def __init__(
        self,
        rate: float = DEFAULT_WRITE_RATE,
        burst: int = DEFAULT_WRITE_BURST,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate = rate
        self.burst = max(1, burst)
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[bytes, tuple[float, float]] = {}  # key -> (tokens, at)

    def wait(self, token: str) -> float:
        """Take one write for ``token``; return 0 if it passes, else the seconds to wait."""
        if self.rate <= 0:
            return 0.0
        key = hashlib.sha256(token.encode("utf-8", "surrogatepass")).digest()
        with self._lock:
            now = self._clock()
            tokens, at = self._buckets.get(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - at) * self.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                self._trim()
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / self.rate

    def check(self, token: str) -> None:
        """Take one write for ``token`` or refuse the request.

        Raises:
            ApiError: 429 ``rate_limited`` with ``Retry-After``.
        """
        wait = self.wait(token)
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            raise ApiError(
                429,
                "rate_limited",
                f"too many writes with this token: try again in {seconds} s "
                f"(the limit is {self.burst} at once, then {self.rate:g} per second)",
                headers={"Retry-After": str(seconds)},
            )

    def _trim(self) -> None:
        if len(self._buckets) > MAX_BUCKETS:
            fullest = sorted(self._buckets, key=lambda k: self._buckets[k][1])
            for key in fullest[: len(self._buckets) - MAX_BUCKETS]:
                del self._buckets[key]


async def within(seconds: float, reading: Awaitable[T]) -> T:
    """Await ``reading`` (a request body or form) for at most ``seconds``.

    Raises:
        ApiError: 408 ``request_timeout`` (and the connection is closed) past the deadline.
    """
    try:
        async with asyncio.timeout(seconds):
            return await reading
    except TimeoutError:
        raise ApiError(
            408,
            "request_timeout",
            f"the request body did not arrive within {seconds:g} s",
            headers={"Connection": "close"},
        ) from None
