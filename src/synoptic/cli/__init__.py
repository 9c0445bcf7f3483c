"""The ``synoptic`` command line: one typer app merging the sub-apps of its commands.

* ``synoptic.cli.brief``: ``brief`` (inputs to briefs, in one run);
* ``synoptic.cli.store``: ``ingest``, ``stories`` and ``show`` (the story store);
* ``synoptic.cli.serve``: ``serve`` (the web UI and REST API);
* ``synoptic.cli.spark``: ``spark`` (the pipeline over an archive, on Apache Spark);
* ``synoptic.cli.safety``: ``store verify``, ``store backup`` and ``store restore``;
* ``synoptic.cli.feeds``: ``feeds add|list|remove|import|export`` and ``watch``.

Exit status (every command): 0 when every input was read, 2 when some inputs (or stories) were
skipped (each named on stderr with its code), 1 on a usage or environment error, printed as one
coded line without a traceback. The sub-apps import the NLP stack only inside their commands,
so ``synoptic --help`` loads no model library.
"""

from __future__ import annotations

import logging
import sys
from typing import Annotated

import typer

# Typer 0.29 carries its own copy of click; its parser raises these classes, not click's.
from typer._click.exceptions import UsageError

from synoptic import __version__
from synoptic.cli import alerts as _alerts
from synoptic.cli import brief as _brief
from synoptic.cli import feeds as _feeds
from synoptic.cli import follow as _follow
from synoptic.cli import safety as _safety
from synoptic.cli import serve as _serve
from synoptic.cli import spark as _spark
from synoptic.cli import store as _store
from synoptic.cli.common import EXIT_OK, EXIT_SKIPPED, EXIT_USAGE
from synoptic.errors import SynopticError, escape

__all__ = ["EXIT_OK", "EXIT_SKIPPED", "EXIT_USAGE", "app", "main"]

app = typer.Typer(
    name="synoptic",
    help="Read one news story through many outlets at once.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
for _sub in (_brief.app, _store.app, _follow.app, _serve.app, _feeds.app, _spark.app):
    app.add_typer(_sub)
app.add_typer(_safety.app, name="store")
app.add_typer(_alerts.app, name="alerts")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"synoptic {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show version.")
    ] = False,
) -> None:
    """Read one news story through many outlets at once."""


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time of the record (tests swap it)."""

    @property
    def stream(self) -> object:
        return sys.stderr

    @stream.setter
    def stream(self, value: object) -> None:
        pass


def setup_logging() -> None:
    """Print our own warnings as ``synoptic: ...`` lines and nothing of the libraries'.

    Libraries (trafilatura, htmldate, ...) log their parsing doubts at WARNING; those are not
    ours to show beside our coded lines. The root logger gets a handler that drops them (it
    also keeps Python's last-resort handler from printing them).
    """
    root = logging.getLogger()
    if not any(isinstance(h, logging.NullHandler) for h in root.handlers):
        root.addHandler(logging.NullHandler())
    ours = logging.getLogger("synoptic")
    if not any(isinstance(h, _StderrHandler) for h in ours.handlers):
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("synoptic: %(message)s"))
        ours.addHandler(handler)
    ours.setLevel(logging.WARNING)
    ours.propagate = False


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit status (0 ok, 2 inputs skipped, 1 usage error)."""
    setup_logging()
    try:
        rv = app(args=argv, standalone_mode=False)
    except UsageError as exc:
        # click exits 2 on usage errors; our contract keeps 2 for skipped inputs.
        exc.show()
        return EXIT_USAGE
    except SynopticError as exc:
        print(f"synoptic: error: {escape(exc.message)} [{exc.code}]", file=sys.stderr)
        return EXIT_USAGE
    except typer.Abort:
        print("synoptic: aborted", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        return 130
    return rv if isinstance(rv, int) else EXIT_OK
