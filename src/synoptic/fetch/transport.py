"""An httpx transport that connects only to the address the fetcher checked, within a deadline.

httpx (through httpcore) would resolve the host again when it connects; here the network
backend ignores the name and connects to the pinned, checked address, while the request keeps
the original host for its ``Host`` header, TLS server name (SNI) and certificate check. The
pin and the request's overall deadline travel in a context variable set by the fetcher around
each request, so pooled connections and threads never mix them up. Every read is given at most
the time left before the deadline: a server that dribbles its headers or body one byte at a
time (slow loris) is cut off at the total time cap, not only after an idle read timeout.
"""

from __future__ import annotations

import contextlib
import contextvars
import ssl
import time
import typing
from collections.abc import Iterator
from dataclasses import dataclass

import httpcore
import httpx

from synoptic.fetch.addresses import IPAddress


@dataclass(frozen=True, slots=True)
class Pin:
    """Where a request may connect: its host, the checked address, and its deadline."""

    host: str
    address: IPAddress
    deadline: float


_PIN: contextvars.ContextVar[Pin | None] = contextvars.ContextVar("fetch_pin", default=None)


@contextlib.contextmanager
def pinned(pin: Pin) -> Iterator[None]:
    """Let connections made inside the block go to ``pin.address`` for ``pin.host`` only."""
    token = _PIN.set(pin)
    try:
        yield
    finally:
        _PIN.reset(token)


def _remaining(timeout: float | None) -> float | None:
    pin = _PIN.get()
    if pin is None:
        return timeout
    left = pin.deadline - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout("total time cap reached")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A network stream whose reads and writes never run past the request's deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _remaining(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _remaining(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(ssl_context, server_hostname, _remaining(timeout))
        return _DeadlineStream(inner)

    def get_extra_info(self, info: str) -> typing.Any:
        return self._inner.get_extra_info(info)


class PinnedBackend(httpcore.SyncBackend):
    """A network backend that connects to the pinned address of the current request only."""

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:
        pin = _PIN.get()
        if pin is None or pin.host.lower() != host.lower():
            # Nothing unchecked is ever connected to, whatever asked for it.
            raise httpcore.ConnectError(f"no checked address for {host!r}")
        stream = super().connect_tcp(
            str(pin.address), port, _remaining(timeout), local_address, socket_options
        )
        return _DeadlineStream(stream)


def pinned_transport(*, max_connections: int = 20) -> httpx.HTTPTransport:
    """Return an httpx transport whose connections go through ``PinnedBackend``.

    Proxies from the environment are not used (``trust_env`` is off on the client): a proxy
    would make the checked address meaningless.
    """
    transport = httpx.HTTPTransport(retries=0)
    ssl_context = httpx.create_ssl_context()
    # The pool is rebuilt with the pinned backend; the rest of the transport (request and
    # response mapping) is httpx's own.
    transport._pool = httpcore.ConnectionPool(
        ssl_context=ssl_context,
        max_connections=max_connections,
        max_keepalive_connections=max_connections,
        keepalive_expiry=5.0,
        http1=True,
        http2=False,
        retries=0,
        network_backend=PinnedBackend(),
    )
    return transport
