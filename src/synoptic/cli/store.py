"""The store commands of the ``synoptic`` command line: ``ingest``, ``stories`` and ``show``.

They form the sub-app ``app``, merged into the ``synoptic`` command by ``synoptic.cli``. Every
command takes ``--db URL`` (default ``$SYNOPTIC_DB``, else SQLite in the user's
data directory). Exit statuses are those of ``brief``: 0 when every input was read, 2 when some
were skipped (each named on stderr with its reason), 1 on a usage or environment error (a
database that cannot be opened is one coded line, ``E202``/``E204``).

Briefs are cached per story and built lazily: ``show`` builds a brief whose story changed since
it was cached (saying so on stderr first, since that parses every member), so a brief is never
stale when shown, and a fresh cached brief is shown at once. ``ingest --briefs`` builds the
touched stories' briefs before it returns (a spaCy parse of every member: minutes for a
thousand articles, which is why it is not the default).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table
from typer._click.exceptions import BadParameter

from synoptic.cli.common import (
    EXIT_SKIPPED,
    MAX_BYTES,
    DbOption,
    FollowSymlinksOption,
    InputsArgument,
    InputSecondsOption,
    JobsOption,
    MaxBytesOption,
    NoCacheOption,
    OutletsOption,
    OutOption,
    QuietOption,
    check_out,
    check_outlets,
    choice,
    pick_format,
    progress_bar,
    reading_context,
    require_inputs,
    say_degraded,
    say_problem,
    stdout_to_stderr,
    write_output,
)
from synoptic.cli.network import AllowNetworkOption, ContactOption, fetch_settings
from synoptic.errors import EnvironmentProblem, Errors
from synoptic.registry import renderers
from synoptic.settings import INPUT_SECONDS, WINDOW_DAYS, Settings

if TYPE_CHECKING:
    from synoptic.context import RunContext
    from synoptic.fetch import Fetcher
    from synoptic.model import Brief
    from synoptic.store import Store, StorySummary

LIST_FORMATS = ("text", "json")

app = typer.Typer()


@contextmanager
def open_store(db: str | None, context: RunContext | None = None) -> Iterator[Store]:
    """Open the store at ``db`` for a command, closing it afterwards.

    Raises:
        EnvironmentProblem: ``E204`` for a URL that names no database we support, ``E202``
            when the database cannot be opened (unreachable, refusing, a folder, ...).
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    from synoptic.store import Store
    from synoptic.store.repository import default_url

    url = db or default_url()
    try:
        backend = make_url(url).get_backend_name()
    except (ArgumentError, ValueError):
        backend = None
    if backend not in ("sqlite", "postgresql"):
        raise EnvironmentProblem("E204", url=_shown(url))
    try:
        store = Store(url, context=context)
    except (SQLAlchemyError, OSError, ImportError) as exc:
        raise EnvironmentProblem("E202", url=_shown(url), reason=_reason(exc)) from None
    try:
        yield store
    except SQLAlchemyError as exc:
        raise EnvironmentProblem("E202", url=_shown(url), reason=_reason(exc)) from None
    finally:
        store.close()


def _shown(url: str) -> str:
    # Never print a password that the URL may hold.
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return repr(url)


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return (str(orig).strip().splitlines() or [type(orig).__name__])[0][:200]


@app.command()
def ingest(
    paths: InputsArgument = None,
    db: DbOption = None,
    max_bytes: MaxBytesOption = MAX_BYTES,
    window_days: Annotated[
        float,
        typer.Option(min=0.0, help="Days a story stays open without a new article."),
    ] = WINDOW_DAYS,
    briefs: Annotated[
        bool,
        typer.Option(
            "--briefs/--no-briefs",
            help="Build the touched stories' briefs now (slow: parses every member); "
            "by default `show` builds a brief when first asked.",
        ),
    ] = False,
    quiet: QuietOption = False,
    no_cache: NoCacheOption = False,
    follow_symlinks: FollowSymlinksOption = False,
    input_seconds: InputSecondsOption = INPUT_SECONDS,
    allow_network: AllowNetworkOption = None,
    contact: ContactOption = None,
    outlets: OutletsOption = None,
    sitemap: Annotated[
        list[str] | None,
        typer.Option(metavar="URL", help="Also read the pages of this sitemap (repeatable)."),
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="With --sitemap: pages dated on or after this date.")
    ] = None,
    jobs: JobsOption = 1,
    batch: Annotated[
        int,
        typer.Option(
            min=1,
            help="Commit this many articles in one transaction (or what arrives within a "
            "second); an article is reported stored only once its batch is committed.",
        ),
    ] = 64,
) -> None:
    """Add articles to the story store: deduplicate them and place each in a story."""
    paths = list(paths or []) if sitemap else require_inputs(paths)
    since_ts = _since(since)
    fetch = fetch_settings(allow_network, contact)
    settings = Settings(
        max_bytes=max_bytes,
        use_cache=not no_cache,
        window_days=window_days,
        follow_symlinks=follow_symlinks,
        outlets_file=check_outlets(outlets),
        input_seconds=input_seconds,
    )
    from synoptic.outlets import using
    from synoptic.store import StoreSettings, ingest_paths

    with (
        using(settings.outlets()),  # outlet counts of the story list use the user's file too
        reading_context(settings, fetch) as context,
        open_store(db, context) as store,
        progress_bar(quiet) as progress,
        stdout_to_stderr(),
    ):
        skipped = 0
        for site in sitemap or []:
            pages, skipped_here = sitemap_pages(site, context.fetcher, since_ts)
            paths, skipped = [*paths, *pages], skipped + skipped_here
        result = ingest_paths(
            store,
            paths,
            max_bytes=settings.max_bytes,
            settings=StoreSettings(window_days=settings.window_days, batch=batch),
            progress=progress,
            briefs=briefs,
            follow_symlinks=settings.follow_symlinks,
            jobs=jobs,
        )
    # Each skipped input's line was printed as it happened (say_problem).
    print(result.line())
    if result.problems or skipped:
        raise typer.Exit(EXIT_SKIPPED)


def sitemap_pages(url: str, fetcher: Fetcher, since: float | None) -> tuple[list[str], int]:
    """The page URLs of a sitemap, each failure printed as it happens, and how many failed."""
    from synoptic.errors import Problem
    from synoptic.web.sitemaps import sitemap_urls

    pages: list[str] = []
    failed = 0
    for item in sitemap_urls(url, fetcher, since=since):
        if isinstance(item, Problem):
            say_problem(item)
            failed += 1
        else:
            pages.append(item)
    return pages, failed


def _as_of(value: str) -> float:
    """Return ``--as-of`` as epoch seconds: a bare date means the end of that day (UTC)."""
    from synoptic.store.index import day_start, parse_published

    ts = parse_published(value) if "T" in value or " " in value else None
    if ts is not None:
        return ts
    try:
        return day_start(date.fromisoformat(value)) + 86400.0
    except ValueError:
        raise BadParameter(
            f"{value!r} is not a date (use YYYY-MM-DD or an ISO 8601 time)", param_hint="--as-of"
        ) from None


def _past_brief(store: Store, story_id: str, value: str) -> Brief:
    past = store.brief_as_of(story_id, _as_of(value))
    if past is None:
        raise BadParameter(
            f"story {story_id} has no brief kept at or before {value} (revisions keep briefs "
            "from migration 0010 on)",
            param_hint="--as-of",
        )
    return past


def one_story(store: Store, story: str) -> str:
    """The one story id ``story`` (an id or a unique prefix, followed through merges) names.

    Raises:
        BadParameter: E103 when nothing matches, E104 when the prefix is ambiguous.
    """
    ids = store.resolve(story)
    if not ids:
        raise BadParameter(Errors.E103.format(prefix=story) + " [E103]", param_hint="STORY")
    if len(ids) > 1:
        raise BadParameter(
            Errors.E104.format(prefix=story, ids=", ".join(ids)) + " [E104]", param_hint="STORY"
        )
    return ids[0]


def _since(value: str | None, option: str = "--since", *, whole_day: bool = False) -> float | None:
    """Read a date or time option (``store.listing.time_bound``, as the list page and API do)."""
    from synoptic.store.listing import time_bound

    try:
        return time_bound(value, whole_day=whole_day)
    except ValueError:
        raise BadParameter(
            f"{value!r} is not a date (use YYYY-MM-DD or an ISO 8601 time)", param_hint=option
        ) from None


def _kind(value: str | None) -> str | None:
    """Read ``--kind`` (``store.listing.outlet_kind``); an unknown kind is the E102 usage error."""
    from synoptic.outlets.registry import KINDS
    from synoptic.store.listing import outlet_kind

    try:
        return outlet_kind(value)
    except ValueError:
        return choice(str(value), "--kind", KINDS)  # raises the coded usage line


def _table(found: list[StorySummary]) -> Table:
    """The stories as a table: id, headline, counts, time span, conflicts."""
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
    return table


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
    until: Annotated[
        str | None,
        typer.Option(
            help="Only stories first seen before TIME, or on or before DATE (YYYY-MM-DD: the "
            "whole day, UTC)."
        ),
    ] = None,
    outlet: Annotated[
        str | None,
        typer.Option(
            help="Only stories with a report from an outlet whose name or URL holds TEXT."
        ),
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            help="Only stories with a report counted for an outlet of this KIND in the outlets "
            "registry: wire, public, state, private or aggregator."
        ),
    ] = None,
    conflicts: Annotated[
        bool,
        typer.Option("--conflicts", help="Only stories whose brief found outlets disagreeing."),
    ] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text (a table) or json.")] = "text",
    db: DbOption = None,
) -> None:
    """List the stored stories, latest first (undated ones last).

    Outlets count distinct outlets; an article without one counts by the source it was read
    from. First and last seen are publication times when a member is dated, else ingest times.
    Conflicts show once the story's brief is built. The filters are those of the API and the
    list page, read by the same code.
    """
    from synoptic.store.listing import StoryFilter, clean_query

    fmt = choice(fmt, "--format", LIST_FORMATS)
    flt = StoryFilter(
        since=_since(since),
        query=query,
        min_outlets=min_outlets,
        until=_since(until, "--until", whole_day=True),
        outlet=clean_query(outlet),
        conflicts=conflicts,
        kind=_kind(kind),
    )
    with open_store(db) as store:
        found = store.stories_page(flt, limit=None).stories
    if fmt == "json":
        from synoptic.render.jsonfmt import dumps

        write_output(dumps([s.to_dict() for s in found]) + "\n", None)
        return
    Console(width=None if sys.stdout.isatty() else 160, markup=False).print(_table(found))


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
    out: OutOption = None,
    db: DbOption = None,
    no_cache: NoCacheOption = False,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="The brief as it stood at TIME (YYYY-MM-DD: the end of that day, UTC; "
            "or an ISO 8601 time), from the revisions the store kept.",
        ),
    ] = None,
) -> None:
    """Print the brief of one stored story (rebuilt first if the story changed), or the brief
    as it stood at a past time (--as-of)."""
    fmt, stdout_tty = pick_format(fmt, out, renderers.names())
    check_out(out)
    from synoptic.context import RunContext

    settings = Settings(use_cache=not no_cache)
    with (
        RunContext(settings, on_degraded=say_degraded) as context,
        open_store(db, context) as store,
        stdout_to_stderr(),
    ):
        story_id = one_story(store, story)
        if as_of is None and store.brief_is_stale(story_id):
            print(
                f"synoptic: building the brief of story {story_id} (it changed since its brief "
                "was built; `ingest --briefs` builds briefs ahead)",
                file=sys.stderr,
                flush=True,
            )
        brief = store.brief(story_id) if as_of is None else _past_brief(store, story_id, as_of)
        rendered = None if fmt == "text" and stdout_tty else renderers.render([brief], fmt)
    if rendered is None:
        from synoptic.render import print_terminal

        print_terminal([brief], Console())
        return
    write_output(rendered, out)
