"""The HTTP transport's own deadlines, which the application cannot set from inside.

uvicorn closes a keep-alive connection idle for ``timeout_keep_alive`` seconds, but gives a
request's headers all the time in the world: a client that opens connections and sends a
header line now and then (slowloris) holds them open for good. ``DeadlineH11Protocol`` adds
that deadline: a new connection, and a kept-alive one once its answer is sent, must deliver a
complete request head within ``header_seconds`` or the connection is closed. Bodies have
their own deadline in the handlers that read them (``limits.within``).

``uvicorn_options()`` returns the keyword arguments ``uvicorn.run`` takes for both.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

DEFAULT_HEADER_SECONDS = 10.0
DEFAULT_KEEP_ALIVE_SECONDS = 5


class DeadlineH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for each request's head."""

    header_seconds: float = DEFAULT_HEADER_SECONDS

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._deadline: asyncio.TimerHandle | None = None
        self._waiting_after: Any = None
        self._arm()

    def _arm(self) -> None:
        self._disarm()
        # The request in progress (None on a new connection): a new one must start in time.
        self._waiting_after = self.cycle
        self._deadline = self.loop.call_later(self.header_seconds, self._expire)

    def _disarm(self) -> None:
        if getattr(self, "_deadline", None) is not None:
            assert self._deadline is not None
            self._deadline.cancel()
            self._deadline = None

    def _expire(self) -> None:
        self._deadline = None
        if self.cycle is self._waiting_after and not self.transport.is_closing():
            self.transport.close()  # no complete request head arrived in time

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.cycle is not self._waiting_after:  # a request head was parsed
            self._disarm()

    def on_response_complete(self) -> None:
        if not self.transport.is_closing():
            self._arm()
        super().on_response_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


def uvicorn_options(
    header_seconds: float = DEFAULT_HEADER_SECONDS,
    keep_alive_seconds: int = DEFAULT_KEEP_ALIVE_SECONDS,
) -> dict[str, Any]:
    """Return ``uvicorn.run`` keyword arguments setting the header and keep-alive deadlines."""
    protocol = type(
        "DeadlineH11Protocol", (DeadlineH11Protocol,), {"header_seconds": header_seconds}
    )
    return {"http": protocol, "timeout_keep_alive": keep_alive_seconds}
