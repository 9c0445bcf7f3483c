"""The store commands of the ``synoptic`` command line: ``ingest``, ``stories`` and ``show``.

They register on ``synoptic.cli.app`` when this module is imported (``cli.py`` imports it at
its end). Every command takes ``--db URL`` (default ``$SYNOPTIC_DB``, else SQLite in the user's
data directory). Exit statuses are those of ``brief``: 0 when every input was read, 2 when some
were skipped (each named on stderr with its reason), 1 on a usage error.

Briefs are cached per story. ``ingest`` rebuilds the briefs of the stories it touched once all
articles are placed (``--no-briefs`` leaves that to ``show``), and ``show`` rebuilds a brief
whose story changed since it was cached, so a brief is never stale when shown.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from typer._click.exceptions import BadParameter, UsageError

from synoptic.cli import (
    EXIT_SKIPPED,
    FORMATS,
    MaxBytesOption,
    NoCacheOption,
    QuietOption,
    _Bar,
    _choice,
    app,
)
from synoptic.errors import Errors
from synoptic.ingest import DEFAULT_MAX_BYTES

LIST_FORMATS = ("text", "json")

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL (default: $SYNOPTIC_DB, else SQLite in the user's data directory).",
    ),
]


@app.command()
def ingest(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Files or folders to read (recursively); '-' reads standard input."),
    ] = None,
    db: DbOption = None,
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
    window_days: Annotated[
        float,
        typer.Option(min=0.0, help="Days a story stays open without a new article."),
    ] = 7.0,
    no_briefs: Annotated[
        bool, typer.Option("--no-briefs", help="Do not rebuild briefs now; `show` will.")
    ] = False,
    quiet: QuietOption = False,
    no_cache: NoCacheOption = False,
) -> None:
    """Add articles to the story store: deduplicate them and place each in a story."""
    from synoptic.store import Store, StoreSettings, ingest_paths

    if not paths:
        raise UsageError(Errors.E101 + " [E101]")
    err = Console(stderr=True)
    bar = _Bar(err) if not quiet and sys.stderr.isatty() else None
    with Store(db) as store:
        if bar:
            bar.progress.start()
        try:
            result = ingest_paths(
                store,
                paths,
                max_bytes=max_bytes,
                settings=StoreSettings(window_days=window_days),
                progress=bar or (lambda stage, advance, total: None),
                briefs=not no_briefs,
                use_cache=not no_cache,
            )
        finally:
            if bar:
                bar.progress.stop()
    for problem in result.problems:
        print(problem.line(), file=sys.stderr)
    print(result.line())
    if result.problems:
        raise typer.Exit(EXIT_SKIPPED)


def _since(value: str | None) -> float | None:
    if value is None:
        return None
    from synoptic.store.index import day_start, parse_published

    ts = parse_published(value)
    if ts is None:
        try:
            ts = day_start(date.fromisoformat(value))
        except ValueError:
            raise BadParameter(
                f"{value!r} is not a date (use YYYY-MM-DD or an ISO 8601 time)",
                param_hint="--since",
            ) from None
    return ts


@app.command()
def stories(
    since: Annotated[
        str | None, typer.Option(help="Only stories last seen on or after DATE (YYYY-MM-DD).")
    ] = None,
    query: Annotated[
        str | None, typer.Option(help="Only stories whose headline or a title holds TEXT.")
    ] = None,
    min_outlets: Annotated[
        int, typer.Option(min=0, help="Only stories with N outlets or more.")
    ] = 0,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text (a table) or json.")] = "text",
    db: DbOption = None,
) -> None:
    """List the stored stories, most recently seen first.

    Outlets count distinct outlets; an article without one counts by the source it was read
    from. First and last seen are publication times when a member is dated, else ingest times.
    Conflicts show once the story's brief is built.
    """
    from synoptic.store import Store

    fmt = _choice(fmt, "--format", LIST_FORMATS)
    since_ts = _since(since)
    with Store(db) as store:
        found = store.list_stories(since=since_ts, query=query, min_outlets=min_outlets)
    if fmt == "json":
        sys.stdout.write(json.dumps([s.to_dict() for s in found], ensure_ascii=False, indent=2))
        sys.stdout.write("\n")
        return
    table = Table(title=f"{len(found)} stories", title_justify="left")
    for name, justify in (
        ("id", "left"),
        ("headline", "left"),
        ("outlets", "right"),
        ("articles", "right"),
        ("first seen", "left"),
        ("last seen", "left"),
        ("conflicts", "right"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for s in found:
        table.add_row(
            s.id,
            s.headline + (" (closed)" if s.closed else ""),
            str(s.outlets),
            str(s.articles),
            s.first_seen[:16].replace("T", " "),
            s.last_seen[:16].replace("T", " "),
            "–" if s.conflicts is None else str(s.conflicts),
            end_section=False,
        )
    Console(width=None if sys.stdout.isatty() else 160, markup=False).print(table)


@app.command()
def show(
    story: Annotated[str, typer.Argument(help="A story id, or a unique prefix of one.")],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="json, md, html or text (default: text on a terminal, json otherwise).",
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to FILE instead of standard output.")
    ] = None,
    db: DbOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Print the brief of one stored story (rebuilt first if the story changed)."""
    from synoptic.render import print_terminal, render
    from synoptic.store import Store

    stdout_tty = sys.stdout.isatty() and out is None
    fmt = _choice(fmt or ("text" if stdout_tty else "json"), "--format", FORMATS)
    with Store(db) as store:
        ids = store.resolve(story)
        if not ids:
            raise BadParameter(Errors.E103.format(prefix=story) + " [E103]", param_hint="STORY")
        if len(ids) > 1:
            raise BadParameter(
                Errors.E104.format(prefix=story, ids=", ".join(ids)) + " [E104]",
                param_hint="STORY",
            )
        brief = store.brief(ids[0], use_cache=not no_cache)
    if fmt == "text" and stdout_tty:
        print_terminal([brief], Console())
        return
    rendered = render([brief], fmt)
    if out is None:
        sys.stdout.write(rendered)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(rendered, encoding="utf-8")
