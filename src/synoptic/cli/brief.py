"""The ``synoptic brief`` command: inputs to cited briefs, in one run.

Exit status: 0 when every input was read and every story written, 2 when some inputs or stories
were skipped (each named on stderr with its code), 1 on a usage or environment error.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from synoptic.cli.common import (
    EXIT_SKIPPED,
    MAX_BYTES,
    FollowSymlinksOption,
    InputsArgument,
    InputSecondsOption,
    JobsOption,
    MaxBytesOption,
    NoCacheOption,
    OutletsOption,
    OutOption,
    QuietOption,
    StorySecondsOption,
    check_out,
    check_outlets,
    choice,
    pick_format,
    progress_bar,
    reading_context,
    require_inputs,
    stdout_to_stderr,
    write_output,
)
from synoptic.cli.network import AllowNetworkOption, ContactOption, fetch_settings
from synoptic.registry import renderers, story_policies
from synoptic.settings import INPUT_SECONDS, STORY_POLICY, STORY_SECONDS, SUMMARY_WORDS, Settings

app = typer.Typer()


@app.command()
def brief(
    paths: InputsArgument = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="json, md, html or text (default: text on a terminal, json otherwise).",
        ),
    ] = None,
    out: OutOption = None,
    stories: Annotated[
        str,
        typer.Option(help="Grouping: auto (by content), per-dir (a folder each), one (all)."),
    ] = STORY_POLICY,
    summary_words: Annotated[
        int, typer.Option(min=0, help="Word budget of each story's summary.")
    ] = SUMMARY_WORDS,
    max_bytes: MaxBytesOption = MAX_BYTES,
    quiet: QuietOption = False,
    no_cache: NoCacheOption = False,
    follow_symlinks: FollowSymlinksOption = False,
    input_seconds: InputSecondsOption = INPUT_SECONDS,
    story_seconds: StorySecondsOption = STORY_SECONDS,
    allow_network: AllowNetworkOption = None,
    contact: ContactOption = None,
    outlets: OutletsOption = None,
    jobs: JobsOption = 1,
) -> None:
    """Write a cited brief for each story found in the inputs."""
    paths = require_inputs(paths)
    fetch = fetch_settings(allow_network, contact)
    choice(stories, "--stories", story_policies.names())
    fmt, stdout_tty = pick_format(fmt, out, renderers.names())
    check_out(out)
    settings = Settings(
        summary_words=summary_words,
        max_bytes=max_bytes,
        use_cache=not no_cache,
        stories=stories,
        follow_symlinks=follow_symlinks,
        outlets_file=check_outlets(outlets),
        jobs=jobs,
        input_seconds=input_seconds,
        story_seconds=story_seconds,
    )
    # Imported here: the pipeline pulls in the NLP stack, which `--help` must not load.
    from synoptic.pipeline import build_briefs

    with (
        reading_context(settings, fetch) as context,
        progress_bar(quiet) as progress,
        stdout_to_stderr(),
    ):
        # Each skipped input's line is printed as it happens (say_problem).
        result = build_briefs(paths, context=context, progress=progress)
        rendered = None if fmt == "text" and stdout_tty else renderers.render(result.briefs, fmt)
    if rendered is None:
        from synoptic.render import print_terminal

        print_terminal(result.briefs, Console())
    else:
        write_output(rendered, out)
    if result.problems:
        raise typer.Exit(EXIT_SKIPPED)
