"""A tiny HTTP server on 127.0.0.1 for the network tests: routes we write, nothing else.

``serve(routes)`` starts it in a thread and yields its base URL; each route is a function
given the request handler (so a test can send any status, header or slow body) or a
``Page`` to send as it is. Requests are logged in ``server.hits`` (path, headers). A POST is
routed as a GET is, its body read first (``handler.body``), so a route can answer webhooks.
"""

from __future__ import annotations

import contextlib
import ssl
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Handler = BaseHTTPRequestHandler


@dataclass
class Page:
    """A fixed answer."""

    body: bytes
    ctype: str = "text/html; charset=utf-8"
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)

    def __call__(self, handler: Handler) -> None:
        handler.send_response(self.status)
        handler.send_header("Content-Type", self.ctype)
        handler.send_header("Content-Length", str(len(self.body)))
        for key, value in self.headers.items():
            handler.send_header(key, value)
        handler.end_headers()
        handler.wfile.write(self.body)


Route = Callable[[Handler], None]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    routes: dict[str, Route]
    hits: list[tuple[str, dict[str, str]]]


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    # Headers and body are two writes: without this, Nagle's algorithm holds the body until
    # the client's delayed ACK (40 ms a response on keep-alive connections).
    disable_nagle_algorithm = True

    body = b""  # a POST's body, read before its route runs

    def do_POST(self) -> None:
        self.body = self.rfile.read(int(self.headers.get("content-length") or 0))
        self.do_GET()

    def do_GET(self) -> None:
        self.server.hits.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
        route = self.server.routes.get(self.path) or self.server.routes.get(
            self.path.split("?", 1)[0]
        )
        if route is None:
            Page(b"not here", "text/plain", 404)(self)
            return
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            route(self)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(routes: Mapping[str, Route], tls: ssl.SSLContext | None = None) -> Iterator[_Server]:
    """Serve ``routes`` on a free loopback port; the server has ``url`` and ``hits``.

    With ``tls`` (a server context holding a certificate) it speaks HTTPS instead.
    """
    server = _Server(("127.0.0.1", 0), _Handler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    server.routes = dict(routes)
    server.hits = []
    scheme = "https" if tls is not None else "http"
    server.url = f"{scheme}://127.0.0.1:{server.server_address[1]}"  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
