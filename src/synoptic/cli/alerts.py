"""``synoptic alerts``: subscriptions to stories, delivered as signed webhook POSTs."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from synoptic.cli.common import EXIT_SKIPPED, DbOption, choice, write_output
from synoptic.cli.network import AllowNetworkOption, ContactOption, fetch_settings
from synoptic.cli.store import open_store

app = typer.Typer(help="Alerts: tell a webhook when stories appear or change.")

EVENTS = ("new-story", "new-conflict", "new-outlet")


@app.command("add")
def add(
    webhook: Annotated[str, typer.Option(metavar="URL", help="The URL notices are POSTed to.")],
    on: Annotated[str, typer.Option(help="new-story, new-conflict or new-outlet.")] = "new-story",
    query: Annotated[
        str | None, typer.Option(help="Only stories whose headline or a title holds TEXT.")
    ] = None,
    min_outlets: Annotated[int, typer.Option(min=0, help="Only stories with N outlets.")] = 0,
    secret: Annotated[
        str | None,
        typer.Option(help="The HMAC-SHA256 signing secret (default: a new random one, shown)."),
    ] = None,
    backfill: Annotated[
        bool, typer.Option("--backfill", help="Also tell what already matches now.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Subscribe a webhook to stories matching a filter; print the id and signing secret.

    Only what happens from now on is told, unless --backfill."""
    on = choice(on, "--on", EVENTS)
    from synoptic.store.alerts import add_alert

    with open_store(db) as store:
        ident, key = add_alert(
            store,
            webhook=webhook,
            event=on,
            query=query,
            min_outlets=min_outlets,
            secret=secret,
            backfill=backfill,
        )
    write_output(f"alert {ident}: {on} -> {webhook}\nsecret: {key}\n", None)


@app.command("list")
def list_(db: DbOption = None) -> None:
    """List the subscriptions (secrets are not shown)."""
    from synoptic.store.alerts import list_alerts

    with open_store(db) as store:
        found = list_alerts(store)
    write_output(json.dumps(found, indent=2, ensure_ascii=False) + "\n", None)


@app.command("run")
def run(
    db: DbOption = None,
    allow_network: AllowNetworkOption = None,
    contact: ContactOption = None,
) -> None:
    """Deliver what is new for every subscription (retried with back-off; see `alerts log`).

    Every POST goes through the safe fetcher: a webhook on a private address is refused unless
    --allow-network (or $SYNOPTIC_ALLOW_NETWORKS) opens its network.
    """
    from synoptic.fetch import Fetcher
    from synoptic.store.alerts import run_alerts

    settings = fetch_settings(allow_network, contact)
    with open_store(db) as store, Fetcher(settings) as fetcher:
        counts = run_alerts(store, fetcher)
    write_output(f"{counts['delivered']} delivered, {counts['failed']} failed\n", None)
    if counts["failed"]:
        raise typer.Exit(EXIT_SKIPPED)


@app.command("log")
def log(
    alert: Annotated[int | None, typer.Option(help="Only this alert's deliveries.")] = None,
    db: DbOption = None,
) -> None:
    """Print the delivery log (status, attempts, last error of each notice)."""
    from synoptic.store.alerts import delivery_log

    with open_store(db) as store:
        rows = delivery_log(store, alert)
    write_output(json.dumps(rows, indent=2, ensure_ascii=False) + "\n", None)
