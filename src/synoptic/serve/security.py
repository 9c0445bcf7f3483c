"""What keeps the server safe to run: the write token, response headers and a body size limit.

* **Token.** Writing (ingest) needs the token configured at start (``SYNOPTIC_TOKEN``), sent as
  ``Authorization: Bearer <token>`` and compared in constant time (``hmac.compare_digest``), so
  response timing tells nothing about how much of a guess was right. With no token configured
  ingest is disabled (403) rather than open: a forgotten variable must not open writes.
* **Headers.** Every response carries a strict Content-Security-Policy (scripts and styles only
  from this server, nothing inline, no framing), ``nosniff`` and ``no-referrer``. A route may
  set its own policy (the printable page needs inline styles); the middleware then keeps it.
* **Host check.** Served on loopback, the server answers only requests naming a loopback host,
  so a web page that rebinds its own domain name to 127.0.0.1 (DNS rebinding) cannot read it.
* **Body limit.** Request bodies over the limit are refused with 413 before they are read
  (by ``Content-Length``) or as soon as the streamed bytes pass it (chunked uploads), so a
  client cannot make the server buffer more than the limit.

The middlewares are plain ASGI (no per-request task or body copy), since they wrap every
request.
"""

from __future__ import annotations

import hmac
import json
import os
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import Any

from synoptic.serve.errors import ApiError, RequestTooLarge, too_large_message

ENV_TOKEN = "SYNOPTIC_TOKEN"

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
# The printable page is the html renderer's standalone document: inline CSS, no scripts.
PRINT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'none'"
)
_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
)


def security_headers(csp: str = CSP) -> dict[str, str]:
    """Return the security headers as a dictionary (for answers made outside the middleware)."""
    return {"content-security-policy": csp, **{k.decode(): v.decode() for k, v in _HEADERS}}


Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def configured_token(token: str | None) -> str | None:
    """Return the write token: ``token`` if given, else ``$SYNOPTIC_TOKEN``; blank means none."""
    value = token if token is not None else os.environ.get(ENV_TOKEN)
    if value is None or not value.strip():
        return None
    return value.strip()


class TokenGuard:
    """Checks the bearer token of a write request.

    Args:
        token: The configured token, or ``None`` to disable writing.
    """

    def __init__(self, token: str | None) -> None:
        self._token = token.encode("utf-8") if token else None

    @property
    def enabled(self) -> bool:
        """Whether writing is possible at all."""
        return self._token is not None

    def check(self, authorization: str | None) -> None:
        """Accept the request or raise.

        Raises:
            ApiError: 403 ``ingest_disabled`` when no token is configured; 401
                ``unauthorized`` when the header is missing, not a bearer token, or wrong.
        """
        if self._token is None:
            raise ApiError(
                403,
                "ingest_disabled",
                f"ingest is disabled: start the server with {ENV_TOKEN} set to enable it",
            )
        scheme, _, given = (authorization or "").strip().partition(" ")
        challenge = {"WWW-Authenticate": 'Bearer realm="synoptic"'}
        if scheme.lower() != "bearer" or not given.strip():
            raise ApiError(
                401,
                "unauthorized",
                "send the API token as 'Authorization: Bearer <token>'",
                headers=challenge,
            )
        if not hmac.compare_digest(given.strip().encode("utf-8"), self._token):
            raise ApiError(
                401,
                "unauthorized",
                "the API token is not valid",
                headers={"WWW-Authenticate": 'Bearer realm="synoptic", error="invalid_token"'},
            )


class SecurityHeaders:
    """ASGI middleware adding the security headers to every HTTP response.

    A header the route already set (such as its own Content-Security-Policy) is kept.
    """

    def __init__(self, app: ASGIApp, csp: str = CSP) -> None:
        self.app = app
        self.headers = ((b"content-security-policy", csp.encode("ascii")), *_HEADERS)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers.extend(h for h in self.headers if h[0] not in present)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _host_name(header: bytes) -> str:
    value = header.decode("latin-1").strip().lower()
    if value.startswith("["):  # [::1]:8000
        return value.split("]", 1)[0] + "]"
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class HostGuard:
    """ASGI middleware answering 400 (JSON) to requests whose ``Host`` is not an allowed name.

    Args:
        app: The application.
        allowed: Host names (without port) the server answers to.
    """

    def __init__(self, app: ASGIApp, allowed: Sequence[str]) -> None:
        self.app = app
        self.allowed = frozenset(h.strip().lower() for h in allowed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = dict(scope.get("headers", [])).get(b"host", b"")
            if _host_name(host) not in self.allowed:
                await _send_json(
                    send, 400, "bad_host", "this server answers only to its own host names"
                )
                return
        await self.app(scope, receive, send)


async def _send_json(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps({"error": {"code": code, "message": message}}).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode("ascii")),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """ASGI middleware refusing request bodies larger than ``max_bytes`` with 413.

    A declared ``Content-Length`` over the limit is answered at once, unread. Otherwise the
    bytes are counted as the application reads them, and ``RequestTooLarge`` is raised into
    the application (its exception handler answers 413) as soon as they pass the limit.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.strip().isdigit() and int(declared) > self.max_bytes:
            await _send_json(send, 413, "payload_too_large", too_large_message(self.max_bytes))
            return
        seen = 0
        limit = self.max_bytes

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise RequestTooLarge(limit)
            return message

        await self.app(scope, counted, send)
