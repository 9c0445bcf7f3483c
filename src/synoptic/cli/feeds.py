"""Feed commands: ``synoptic feeds add|list|remove|import|export`` and ``synoptic watch``.

Subscriptions live in the store (``--db``, as for ``ingest``). ``watch`` polls them on their
schedule and stores new articles until SIGINT or SIGTERM, finishing the article in hand and
ending with status 0 (2 if some polls failed, each failure one coded line on stderr);
``--once`` polls the feeds that are due once, for cron.
"""

from __future__ import annotations

import signal
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from synoptic.cli.common import (
    EXIT_SKIPPED,
    MAX_BYTES,
    DbOption,
    MaxBytesOption,
    NoCacheOption,
    OutOption,
    QuietOption,
    reading_context,
    say_problem,
    write_output,
)
from synoptic.cli.network import AllowNetworkOption, ContactOption, fetch_settings
from synoptic.cli.store import open_store
from synoptic.errors import UsageError
from synoptic.settings import Settings

if TYPE_CHECKING:
    from synoptic.fetch import Fetcher
    from synoptic.store import Store
    from synoptic.web.subscriptions import FeedState

app = typer.Typer()
feeds = typer.Typer(help="Subscribe to feeds and see their state.", no_args_is_help=True)
app.add_typer(feeds, name="feeds")

IntervalOption = Annotated[
    float, typer.Option(min=60.0, help="Seconds between two polls of each feed.")
]


@feeds.command("add")
def feeds_add(
    urls: Annotated[list[str], typer.Argument(help="Feed URLs (RSS, Atom or JSON Feed).")],
    db: DbOption = None,
    interval: IntervalOption = 1800.0,
) -> None:
    """Subscribe to feeds (each polled at once by the next `synoptic watch`)."""
    from synoptic.web.subscriptions import add_feeds

    with open_store(db) as store:
        for url, new in add_feeds(store, urls, interval=interval):
            print(f"{'added' if new else 'already subscribed'}: {url}")


@feeds.command("list")
def feeds_list(
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Show each subscription: last success, last error with its code, entries seen."""
    import json

    from synoptic.web.subscriptions import list_feeds

    with open_store(db) as store:
        states = list_feeds(store)
    if fmt == "json":
        print(json.dumps([s.to_dict() for s in states], indent=2))
        return
    Console().print(_table(states))


def _when(ts: float | None) -> str:
    if ts is None:
        return "-"
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M")


def _table(states: list[FeedState]) -> Table:
    table = Table("feed", "title", "last success", "last error", "entries", "next poll")
    for s in states:
        error = f"{s.last_error_code} {s.last_error}" if s.last_error_code else "-"
        if s.failures:
            error += f" ({s.failures} in a row)"
        table.add_row(
            s.url,
            s.title or "-",
            _when(s.last_success_ts),
            error,
            str(s.entries_seen),
            _when(s.next_ts),
        )
    return table


@feeds.command("remove")
def feeds_remove(
    urls: Annotated[list[str], typer.Argument(help="Feed URLs to unsubscribe from.")],
    db: DbOption = None,
) -> None:
    """Unsubscribe from feeds."""
    from synoptic.web.subscriptions import remove_feeds

    with open_store(db) as store:
        removed = remove_feeds(store, urls)
    print(f"removed {removed} of {len(urls)} feeds")


@feeds.command("import")
def feeds_import(
    path: Annotated[Path, typer.Argument(help="An OPML file (as feed readers export).")],
    db: DbOption = None,
    interval: IntervalOption = 1800.0,
) -> None:
    """Subscribe to every feed of an OPML file."""
    from synoptic.web.subscriptions import MAX_OPML_BYTES, add_feeds, read_opml

    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_OPML_BYTES + 1)
    except OSError as exc:
        raise UsageError("E421", path=str(path), reason=exc.strerror or str(exc)) from None
    found = read_opml(data, str(path))
    titles = {url: title for url, title in found if title}
    with open_store(db) as store:
        added = add_feeds(store, [u for u, _ in found], interval=interval, titles=titles)
    print(f"imported {sum(new for _, new in added)} new feeds of {len(found)} in {path}")


@feeds.command("export")
def feeds_export(db: DbOption = None, out: OutOption = None) -> None:
    """Write the subscriptions as OPML."""
    from synoptic.web.subscriptions import list_feeds, write_opml

    with open_store(db) as store:
        states = list_feeds(store)
    write_output(write_opml(states), out)


@app.command()
def watch(
    db: DbOption = None,
    once: Annotated[
        bool, typer.Option("--once", help="Poll the due feeds once, then stop.")
    ] = False,
    jitter: Annotated[
        float, typer.Option(min=0.0, max=0.5, help="Share of the interval polls move by.")
    ] = 0.1,
    max_bytes: MaxBytesOption = MAX_BYTES,
    quiet: QuietOption = False,
    no_cache: NoCacheOption = False,
    allow_network: AllowNetworkOption = None,
    contact: ContactOption = None,
    alerts: Annotated[
        bool,
        typer.Option(
            "--alerts/--no-alerts",
            help="Deliver the alert subscriptions after each round of polls (`alerts run`).",
        ),
    ] = True,
) -> None:
    """Poll subscribed feeds on their schedule and store new articles (until SIGINT/SIGTERM).

    After each round of polls the alert subscriptions are delivered (as `synoptic alerts run`
    does, through the same safe fetcher) unless --no-alerts.
    """
    fetch = fetch_settings(allow_network, contact)
    settings = Settings(max_bytes=max_bytes, use_cache=not no_cache)
    from synoptic.ingest import ReadOptions
    from synoptic.web.watch import Watcher

    with (
        reading_context(settings, fetch) as ctx,
        open_store(db, ctx) as store,
    ):
        watcher = Watcher(
            store,
            ctx.fetcher,
            options=ReadOptions(max_bytes=max_bytes),
            jitter=jitter,
            on_problem=say_problem,
        )
        sent = {"delivered": 0, "failed": 0}
        if alerts:
            watcher.after_polls = lambda: _deliver_alerts(store, ctx.fetcher, sent)
        previous = {sig: signal.signal(sig, lambda *_: watcher.stop.set()) for sig in _SIGNALS}
        try:
            report = watcher.run(once=once)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
    if not quiet:
        print(report.line(), file=sys.stderr)
        if alerts and any(sent.values()):
            print(
                f"alerts: {sent['delivered']} delivered, {sent['failed']} failed", file=sys.stderr
            )
    if report.problems or sent["failed"]:
        raise typer.Exit(EXIT_SKIPPED)


def _deliver_alerts(store: Store, fetcher: Fetcher, sent: dict[str, int]) -> None:
    """Deliver the alert subscriptions (after a round of polls); add the counts to ``sent``."""
    from synoptic.store.alerts import run_alerts

    counts = run_alerts(store, fetcher)
    for key in sent:
        sent[key] += counts.get(key, 0)


_SIGNALS = (signal.SIGINT, signal.SIGTERM)
