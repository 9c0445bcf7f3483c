"""The FastAPI application: the API, the web pages, static files, security and error handling.

``create_app`` wires the parts together and holds the store; every route reads it from
``app.state``. The app serves nothing from another host (no CDN: OpenAPI's interactive docs,
which load scripts from one, are off; the spec itself is at ``/api/v1/openapi.json``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from synoptic import __version__
from synoptic.ingest import DEFAULT_MAX_BYTES
from synoptic.serve import api, syndication, web
from synoptic.serve.errors import install_handlers
from synoptic.serve.limits import (
    DEFAULT_BODY_SECONDS,
    DEFAULT_WRITE_BURST,
    DEFAULT_WRITE_RATE,
    WriteLimiter,
)
from synoptic.serve.security import (
    BodyLimit,
    HostGuard,
    SecurityHeaders,
    TokenGuard,
    configured_token,
    security_headers,
)
from synoptic.store import Store

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

STATIC = Path(__file__).parent / "static"
# A request may carry a few inputs of the CLI's largest size plus multipart framing.
DEFAULT_MAX_BODY = DEFAULT_MAX_BYTES + (1 << 20)

DESCRIPTION = """Synoptic's story store over HTTP: stories, their cited briefs (Brief JSON v1)
and their articles. Reading is open; ingest needs the API token (`SYNOPTIC_TOKEN` on the
server, `Authorization: Bearer <token>` on the request). Errors are
`{"error": {"code": ..., "message": ...}}`."""


class HeadAsGet:
    """ASGI middleware answering ``HEAD`` exactly as ``GET``, without the body.

    FastAPI's routes answer only the methods they declare, so ``HEAD`` would be 405 on every
    page and API route; HTTP says a server should answer it as ``GET`` (same status and
    headers, ``Content-Length`` included). The route runs as a ``GET`` and its body is
    dropped here.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return  # drop every chunk but the last, which ends the response
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        # A copy: the server keeps its own scope, so it still knows this was a HEAD.
        await self.app({**scope, "method": "GET"}, receive, without_body)


def create_app(
    store: Store | None = None,
    *,
    db_url: str | None = None,
    token: str | None = None,
    max_body: int = DEFAULT_MAX_BODY,
    max_item_bytes: int = DEFAULT_MAX_BYTES,
    allowed_hosts: Sequence[str] | None = None,
    write_rate: float = DEFAULT_WRITE_RATE,
    write_burst: int = DEFAULT_WRITE_BURST,
    body_seconds: float = DEFAULT_BODY_SECONDS,
) -> FastAPI:
    """Return the Synoptic web app over a store.

    Args:
        store: An open store (the caller closes it); ``None`` opens ``db_url``.
        db_url: The database to open when no store is given (``None``: ``$SYNOPTIC_DB``,
            else SQLite in the user's data directory). The app closes it on shutdown.
        token: The API token that enables ingest; ``None`` reads ``$SYNOPTIC_TOKEN``. With
            no token, ingest answers 403.
        max_body: Largest request body accepted, in bytes (413 beyond).
        max_item_bytes: Largest single input (file or body) ingest reads, as the CLI's
            ``--max-bytes`` (``E006`` beyond).
        allowed_hosts: Host names the server answers to (400 for any other ``Host``);
            ``None`` answers to any. ``synoptic serve`` on loopback passes the loopback names.
        write_rate: Writes per second each API token earns back (``0``: unlimited); 429
            with ``Retry-After`` past it.
        write_burst: Writes each API token may make at once.
        body_seconds: Time a client has to send a request body it started (408 past it).
    """
    owned = store is None
    opened = store if store is not None else Store(db_url)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        if owned:
            opened.close()

    app = FastAPI(
        title="Synoptic",
        version=__version__,
        description=DESCRIPTION,
        openapi_url=f"{api.PREFIX}/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.store = opened
    app.state.guard = TokenGuard(configured_token(token))
    app.state.max_item_bytes = max_item_bytes
    app.state.limiter = WriteLimiter(write_rate, write_burst)
    app.state.body_seconds = body_seconds
    install_handlers(app, unhandled_headers=security_headers)
    app.include_router(api.router)
    app.include_router(web.router)
    app.include_router(syndication.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    # Added last = outermost: every answer, 413s included, gets the security headers.
    app.add_middleware(BodyLimit, max_bytes=max_body)
    if allowed_hosts is not None:
        app.add_middleware(HostGuard, allowed=allowed_hosts)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HeadAsGet)
    return app
