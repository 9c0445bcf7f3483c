"""What every command of the CLI shares: exit statuses, options, the progress bar, output.

Output contract: while a command computes, anything a library writes to standard output (a
solver's log written from C, a stray ``print``) goes to standard error instead, and the
document is written to standard output once, at the end. An output that cannot be written is
one coded line (``E203``), never a traceback.

This module imports only typer and rich: ``synoptic --help`` must stay fast.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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

from synoptic.errors import Degraded, EnvironmentProblem, Errors, Problem
from synoptic.settings import MAX_BYTES

if TYPE_CHECKING:
    from synoptic.context import RunContext
    from synoptic.fetch import FetchSettings
    from synoptic.settings import Settings

EXIT_OK = 0
EXIT_USAGE = 1
EXIT_SKIPPED = 2

# Options every reading command shares (brief, ingest, show), declared once.
InputsArgument = Annotated[
    list[str] | None,
    typer.Argument(
        help="Files or folders to read (recursively), http(s) URLs of pages or feeds; "
        "'-' reads standard input."
    ),
]
MaxBytesOption = Annotated[
    int, typer.Option(min=1, help="Skip inputs larger than this many bytes.")
]
FollowSymlinksOption = Annotated[
    bool,
    typer.Option(
        "--follow-symlinks", help="Let folder walks follow symbolic links out of the folder."
    ),
]
JobsOption = Annotated[
    int,
    typer.Option("--jobs", "-j", min=1, help="Extract in N processes (use the machine's cores)."),
]
InputSecondsOption = Annotated[
    float,
    typer.Option(
        min=0.0,
        help="CPU seconds one input's own stages may take before it is skipped (E306); 0: none.",
    ),
]
StorySecondsOption = Annotated[
    float,
    typer.Option(
        min=0.0,
        help="CPU seconds one story's synthesis may take; past it the brief holds what "
        "finished, flagged (E307); 0: none.",
    ),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")]
OutletsOption = Annotated[
    Path | None,
    typer.Option(
        "--outlets",
        metavar="FILE",
        help="Your outlets registry file (columns of outlets/outlets.tsv): adds or overrides.",
    ),
]


def check_outlets(path: Path | None) -> Path | None:
    """Read the user's outlets file now, so a bad one stops the run with one clear line."""
    if path is None:
        return None
    from synoptic.outlets import load_registry

    try:
        load_registry(path)
    except (OSError, ValueError) as exc:
        typer.echo(f"error: --outlets {path}: {exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    return path


NoCacheOption = Annotated[
    bool,
    typer.Option("--no-cache", help="Parse afresh; do not read or write the cache (no file)."),
]
OutOption = Annotated[
    Path | None, typer.Option("--out", "-o", help="Write to FILE instead of standard output.")
]
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL (default: $SYNOPTIC_DB, else SQLite in the user's data directory).",
    ),
]


def choice(value: str, option: str, choices: tuple[str, ...]) -> str:
    """Return ``value`` if it is one of ``choices``, else raise the ``E102`` usage error."""
    if value not in choices:
        raise BadParameter(
            Errors.E102.format(value=value, option=option, choices=", ".join(choices)) + " [E102]"
        )
    return value


def require_inputs(paths: list[str] | None) -> list[str]:
    """Return the inputs, or raise the ``E101`` usage error when there are none."""
    if not paths:
        raise UsageError(Errors.E101 + " [E101]")
    return paths


def say_problem(problem: Problem) -> None:
    """Print a skipped input's or failed story's line on stderr as it happens (one plain line:
    no markup, since paths may contain brackets)."""
    print(problem.line(), file=sys.stderr, flush=True)


def say_degraded(mode: Degraded) -> None:
    """Print a degraded mode's line on stderr as it happens."""
    print(mode.line(), file=sys.stderr, flush=True)


def reading_context(settings: Settings, fetch: FetchSettings) -> RunContext:
    """Return the run context of a command that reads inputs: each skipped input and degraded
    mode is printed on stderr as it happens."""
    # Imported here: the context pulls in the NLP stack, which `--help` must not load.
    from synoptic.context import RunContext

    return RunContext(settings, on_degraded=say_degraded, on_problem=say_problem, fetch=fetch)


class Bar:
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


def no_progress(stage: str, advance: int, total: int | None) -> None:
    """A progress callback that shows nothing."""
    return None


@contextlib.contextmanager
def progress_bar(quiet: bool) -> Iterator[Callable[[str, int, int | None], None]]:
    """Yield a progress callback: a bar on an interactive stderr, else one that shows nothing."""
    if quiet or not sys.stderr.isatty():
        yield no_progress
        return
    bar = Bar(Console(stderr=True))
    bar.progress.start()
    try:
        yield bar
    finally:
        bar.progress.stop()


@contextlib.contextmanager
def stdout_to_stderr() -> Iterator[None]:
    """Send whatever is written to standard output (by Python or by C code) to stderr.

    The file descriptor is redirected too, since a native library (the MIP solver) writes to
    fd 1 directly. Where fd 1 cannot be duplicated (an embedding host without one), only
    Python's ``sys.stdout`` is redirected.
    """
    saved: int | None = None
    with contextlib.suppress(OSError, ValueError):
        sys.stdout.flush()
    try:
        saved = os.dup(1)
        os.dup2(2, 1)
    except OSError:
        saved = None
    try:
        with contextlib.redirect_stdout(sys.stderr):
            yield
    finally:
        if saved is not None:
            # Flush what C stdio buffered for the redirected descriptor before restoring it.
            _flush_c_stdout()
            os.dup2(saved, 1)
            os.close(saved)


def _flush_c_stdout() -> None:
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        libc.fflush(None)
    except (OSError, AttributeError):
        pass


def write_output(rendered: str, out: Path | None) -> None:
    """Write the document to ``out`` (parents created) or to standard output.

    Raises:
        EnvironmentProblem: ``E203`` when it cannot be written (a folder, a full disk, no
            permission, a closed pipe).
    """
    target = "standard output" if out is None else str(out)
    try:
        if out is None:
            sys.stdout.write(rendered)
            sys.stdout.flush()
        else:
            out.parent.mkdir(parents=True, exist_ok=True)
            with open(out, "w", encoding="utf-8") as fh:
                fh.write(rendered)
    except OSError as exc:
        raise EnvironmentProblem("E203", path=target, reason=exc.strerror or str(exc)) from None


def check_out(out: Path | None) -> None:
    """Refuse an ``--out`` that is a folder before any work is done (``E203``)."""
    if out is not None and out.is_dir():
        raise EnvironmentProblem("E203", path=str(out), reason="it is a folder")


def pick_format(fmt: str | None, out: Path | None, choices: tuple[str, ...]) -> tuple[str, bool]:
    """Return the output format (text on a terminal, json otherwise) and whether stdout is
    a terminal that gets the coloured rendering."""
    stdout_tty = out is None and sys.stdout.isatty()
    return choice(fmt or ("text" if stdout_tty else "json"), "--format", choices), stdout_tty


__all__ = [
    "EXIT_OK",
    "EXIT_SKIPPED",
    "EXIT_USAGE",
    "MAX_BYTES",
    "Bar",
    "DbOption",
    "FollowSymlinksOption",
    "InputSecondsOption",
    "JobsOption",
    "MaxBytesOption",
    "NoCacheOption",
    "OutOption",
    "QuietOption",
    "StorySecondsOption",
    "check_out",
    "choice",
    "pick_format",
    "progress_bar",
    "require_inputs",
    "say_degraded",
    "say_problem",
    "stdout_to_stderr",
    "write_output",
]
