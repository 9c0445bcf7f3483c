"""The ``synoptic serve`` command: the web UI and the REST API over the story store.

It is the sub-app ``app``, merged into the ``synoptic`` command by ``synoptic.cli``. The
server binds to the loopback interface unless ``--host`` says otherwise, reads the store
(``--db``, default ``$SYNOPTIC_DB``), and accepts ingest only when ``SYNOPTIC_TOKEN`` is set.
"""

from __future__ import annotations

import ipaddress
import sys
from typing import Annotated

import typer

from synoptic.cli.common import DbOption, say_degraded
from synoptic.cli.store import open_store

app = typer.Typer()

LOOPBACK_NAMES = ("localhost",)
# The Host names a browser uses for a server on loopback (with the port stripped).
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")


def is_loopback(host: str) -> bool:
    """Whether ``host`` names only this machine (``127.0.0.0/8``, ``::1`` or ``localhost``)."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[
        str, typer.Option(help="Interface to listen on; anything but loopback exposes the server.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    max_body: Annotated[
        int | None,
        typer.Option(min=1, help="Largest request body accepted, in bytes (413 beyond)."),
    ] = None,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
) -> None:
    """Serve the stories in a web UI and a REST API (/api/v1); ingest needs SYNOPTIC_TOKEN."""
    import uvicorn

    from synoptic.context import RunContext
    from synoptic.serve import create_app
    from synoptic.serve.app import DEFAULT_MAX_BODY
    from synoptic.serve.security import ENV_TOKEN, configured_token
    from synoptic.serve.transport import uvicorn_options

    allowed: list[str] | None = None
    if is_loopback(host):
        # Only loopback names: a page rebinding its domain to 127.0.0.1 gets 400.
        allowed = [*LOOPBACK_HOSTS, host.lower()]
    else:
        print(
            f"synoptic: warning: listening on {host}, reachable from other machines, without "
            "TLS; put a TLS proxy in front of it",
            file=sys.stderr,
        )
    writes = "enabled" if configured_token(None) else f"disabled (set {ENV_TOKEN} to enable)"
    shown = f"[{host}]" if ":" in host else host
    with RunContext(on_degraded=say_degraded) as context, open_store(db, context) as store:
        web_app = create_app(store, max_body=max_body or DEFAULT_MAX_BODY, allowed_hosts=allowed)
        print(f"synoptic: serving on http://{shown}:{port}/ (ingest {writes})", file=sys.stderr)
        uvicorn.run(
            web_app,
            host=host,
            port=port,
            log_level=log_level,
            proxy_headers=False,
            server_header=False,
            **uvicorn_options(),  # deadlines for request heads and idle connections
        )
