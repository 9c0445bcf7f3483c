"""The ``synoptic store`` commands: ``verify``, ``backup FILE``, ``restore FILE`` and
``reindex-outlets`` (every article's outlet key from the registry, and the outlet counts).

* ``verify`` checks the store (SQLite's integrity and foreign-key checks, then the store's own
  rules), prints its counts and stale briefs, and exits 1 when it finds a problem.
* ``backup FILE`` copies a SQLite store while it stays in use (SQLite's online backup API);
  for PostgreSQL it prints the ``pg_dump`` command to use instead (``E250``, exit 1).
* ``restore FILE`` puts a backup back (``--force`` to replace a store that holds articles);
  for PostgreSQL it prints the ``pg_restore`` command (``E251``).

Errors are one coded line and exit status 1 (``synoptic.cli.main`` prints them).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from synoptic.cli.common import EXIT_USAGE, DbOption, OutletsOption, check_outlets, choice
from synoptic.cli.store import open_store

FORMATS = ("text", "json")

app = typer.Typer(
    name="store",
    help="Check, back up and restore the story store.",
    no_args_is_help=True,
)


@app.command()
def verify(
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Check the store's integrity and rules; exit 1 if anything is wrong.

    Stale briefs are listed, not errors: the next `synoptic ingest` or `show` rebuilds them.
    """
    from synoptic.store.safety import verify as check

    fmt = choice(fmt, "--format", FORMATS)
    with open_store(db) as store:
        report = check(store)
    if fmt == "json":
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        print(
            f"{report.database}: {report.articles:,} articles ({report.copies:,} copies), "
            f"{report.stories:,} stories, {len(report.stale_briefs):,} stale briefs"
        )
        for problem in report.problems:
            print(f"problem: {problem}")
        print("ok" if report.ok else f"{len(report.problems):,} problems")
    if not report.ok:
        raise typer.Exit(EXIT_USAGE)


@app.command()
def backup(
    file: Annotated[
        Path, typer.Argument(help="Where to write the backup (replaced if it exists).")
    ],
    db: DbOption = None,
) -> None:
    """Copy the store to FILE while it stays in use (SQLite; PostgreSQL: use pg_dump)."""
    from synoptic.store.safety import backup as copy

    with open_store(db) as store:
        report = copy(store, file)
    print(
        f"backed up {report.articles:,} articles and {report.stories:,} stories to "
        f"{report.path} ({report.bytes:,} bytes)"
    )


@app.command()
def restore(
    file: Annotated[Path, typer.Argument(help="A backup written by `synoptic store backup`.")],
    db: DbOption = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace a store that already holds articles.")
    ] = False,
) -> None:
    """Replace the store's content with the backup in FILE (SQLite; PostgreSQL: pg_restore)."""
    from synoptic.store.safety import restore as put_back

    with open_store(db) as store:
        report = put_back(file, store, replace=force)
    print(
        f"restored {report.articles:,} articles and {report.stories:,} stories from {report.path}"
    )


@app.command("reindex-outlets")
def reindex_outlets(
    db: DbOption = None,
    outlets: OutletsOption = None,
) -> None:
    """Re-derive every article's outlet key and the stories' outlet counts.

    Stores written before the outlets registry keep the keys they were stored with (e.g. the
    file an article was read from), so their counts mix two ways of counting; this puts every
    article on the registry's attribution (with --outlets, the user's file too).
    """
    from synoptic.settings import Settings
    from synoptic.store.outlet_keys import reindex_outlets as run

    registry = Settings(outlets_file=check_outlets(outlets)).outlets()
    with open_store(db) as store:
        counts = run(store, registry)
    print(
        f"{counts['articles']} articles read, {counts['changed']} outlet keys changed, "
        f"{counts['stories']} story outlet counts changed"
    )
