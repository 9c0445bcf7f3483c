"""The ``synoptic`` command line.

Exit status (every command): 0 when every input was read, 2 when some inputs were skipped (each
named on stderr with its reason), 1 on a usage error (bad option, no inputs).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

# Typer 0.29 carries its own copy of click; its parser raises these classes, not click's.
from typer._click.exceptions import BadParameter, UsageError

from synoptic import __version__
from synoptic.cluster import POLICIES, StoryPolicy
from synoptic.errors import Errors
from synoptic.ingest import DEFAULT_MAX_BYTES

EXIT_OK = 0
EXIT_USAGE = 1
EXIT_SKIPPED = 2

app = typer.Typer(
    name="synoptic",
    help="Read one news story through many outlets at once.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

FORMATS = ("json", "md", "html", "text")

# Options every reading command shares (brief, ingest, show), declared once.
MaxBytesOption = Annotated[
    int, typer.Option(min=1, help="Skip inputs larger than this many bytes.")
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")]
NoCacheOption = Annotated[
    bool, typer.Option("--no-cache", help="Parse afresh; do not read or write the cache.")
]


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


def _choice(value: str, option: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise BadParameter(
            Errors.E102.format(value=value, option=option, choices=", ".join(choices)) + " [E102]"
        )
    return value


class _Bar:
    """A rich progress bar on stderr, one task per stage."""

    def __init__(self, console: Console) -> None:
        self.progress = Progress(
            TextColumn("{task.description:<10}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self.tasks: dict[str, TaskID] = {}

    def __call__(self, stage: str, advance: int, total: int | None) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.progress.add_task(stage, total=total)
        task = self.tasks[stage]
        if total is not None:
            self.progress.update(task, total=total)
        self.progress.advance(task, advance)


@app.command()
def brief(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Files or folders to read (recursively); '-' reads standard input."),
    ] = None,
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
    stories: Annotated[
        str,
        typer.Option(help="Grouping: auto (by content), per-dir (a folder each), one (all)."),
    ] = "auto",
    summary_words: Annotated[
        int, typer.Option(min=0, help="Word budget of each story's summary.")
    ] = 120,
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
    quiet: QuietOption = False,
    no_cache: NoCacheOption = False,
) -> None:
    """Write a cited brief for each story found in the inputs."""
    from synoptic.pipeline import build_briefs
    from synoptic.render import print_terminal, render

    if not paths:
        raise UsageError(Errors.E101 + " [E101]")
    policy: StoryPolicy = _choice(stories, "--stories", POLICIES)  # type: ignore[assignment]
    stdout_tty = sys.stdout.isatty() and out is None
    fmt = _choice(fmt or ("text" if stdout_tty else "json"), "--format", FORMATS)

    err = Console(stderr=True)
    show_bar = not quiet and sys.stderr.isatty()
    bar = _Bar(err) if show_bar else None
    if bar:
        bar.progress.start()
    try:
        result = build_briefs(
            paths,
            stories=policy,
            summary_words=summary_words,
            max_bytes=max_bytes,
            use_cache=not no_cache,
            progress=bar or (lambda stage, advance, total: None),
        )
    finally:
        if bar:
            bar.progress.stop()

    for problem in result.problems:
        # One plain line per skipped input (no markup: paths may contain brackets).
        print(problem.line(), file=sys.stderr)

    if fmt == "text" and stdout_tty:
        print_terminal(result.briefs, Console())
    else:
        rendered = render(result.briefs, fmt)
        if out is None:
            sys.stdout.write(rendered)
        else:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(rendered, encoding="utf-8")
    if result.problems:
        raise typer.Exit(EXIT_SKIPPED)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit status (0 ok, 2 inputs skipped, 1 usage error)."""
    logging.basicConfig(level=logging.WARNING, format="synoptic: %(message)s")
    try:
        rv = app(args=argv, standalone_mode=False)
    except UsageError as exc:
        # click exits 2 on usage errors; our contract keeps 2 for skipped inputs.
        exc.show()
        return EXIT_USAGE
    except typer.Abort:
        print("synoptic: aborted", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        return 130
    return rv if isinstance(rv, int) else EXIT_OK


# The store and server commands register themselves on `app`; imported last, once it exists.
from synoptic import cli_serve as _cli_serve  # noqa: E402,F401
from synoptic import cli_store as _cli_store  # noqa: E402,F401
