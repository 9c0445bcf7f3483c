"""Terminal rendering with rich: a compact brief per story, citations as ``[n]`` markers.

Everything from an article goes into ``rich.text.Text`` objects, never into markup strings, so
that a ``[bold]`` in a title prints as written; control characters are replaced first because
rich passes escape sequences through to the terminal. ``render_text`` records the same
rendering without colour, for files and pipes.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from synoptic.errors import Problem
from synoptic.model import Brief
from synoptic.render.common import (
    SourceIndex,
    conflict_value_display,
    inline,
    quotes_by_speaker,
    safe_url,
    unique_by_article,
)

WIDTH = 100
MARKER = "cyan"
HEADING = "bold"
MUTED = "dim"


def _cited(text: str, markers: str, style: str = "") -> Text:
    out = Text(inline(text), style=style)
    if markers:
        out.append(" ")
        out.append(markers, style=MARKER)
    return out


def _heading(title: str, empty: bool) -> Text:
    # The leading newline sets sections apart without a rule per section.
    out = Text("\n" + title, style=HEADING)
    if empty:
        out.append(": none", style=MUTED)
    return out


def _table(*columns: str) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
    for name in columns:
        table.add_column(name, overflow="fold")
    return table


def _sources(index: SourceIndex) -> RenderableType:
    table = _table("#", "Outlet", "Title", "Published", "Lang", "Copy of")
    col_number, col_outlet, _, col_published, col_language, col_duplicate = table.columns
    col_number.justify, col_number.style = "right", MARKER
    # Short fixed columns never wrap; the outlet is capped so that the title keeps room, and
    # so is a near-copy's note ("near-copy of [2], 1 sentence edited").
    for column in (col_number, col_published, col_language):
        column.no_wrap = True
    col_duplicate.max_width = 22
    col_outlet.max_width = 24
    for s in index.sources:
        a = s.article
        title = Text(inline(a.title) or "—")
        url = safe_url(a.url)
        if url:
            # A terminal hyperlink, only for http(s): the URL is untrusted input.
            title.stylize(f"link {url}")
        duplicate = index.copy_cell(a)
        table.add_row(
            str(s.number),
            Text(s.label),
            title,
            Text(inline(a.published) or "—"),
            Text(inline(a.language) or "—"),
            Text(duplicate),
        )
    return table


def _conflicts(brief: Brief, index: SourceIndex) -> list[RenderableType]:
    out: list[RenderableType] = []
    for conflict in brief.conflicts:
        table = _table("Value", "Wording", "Sources")
        table.title = Text(f"{inline(conflict.topic)} ({conflict.kind})", style="bold")
        table.title_justify = "left"
        for v in conflict.values:
            value = conflict_value_display(v) if conflict.kind == "number" else "—"
            table.add_row(
                Text(value, style="bold"), Text(inline(v.text)), Text(index.markers(v.sources))
            )
        table.columns[2].style = MARKER
        out.append(Padding(table, (0, 0, 0, 2)))
    return out


def _quotes(brief: Brief, index: SourceIndex) -> list[RenderableType]:
    out: list[RenderableType] = []
    for speaker, quotes in quotes_by_speaker(brief.quotes):
        said: list[RenderableType] = [Text(speaker, style="bold")]
        for q in quotes:
            quote = _cited(f"“{inline(q.text)}”", index.markers(q.sources))
            if q.relayed_by:
                quote.append(f" (relayed by {inline(q.relayed_by)})", style=MUTED)
            said.append(Padding(quote, (0, 0, 0, 2)))
            for variant in q.variants:
                wording = f"~ “{inline(variant.text)}”"
                line = _cited(wording, index.markers(variant.sources), style=MUTED)
                said.append(Padding(line, (0, 0, 0, 4)))
        out.append(Padding(Group(*said), (0, 0, 0, 2)))
    return out


def _brief(brief: Brief) -> list[RenderableType]:
    index = SourceIndex(brief.story.articles, brief.copies)
    count = len(index.sources)
    out: list[RenderableType] = [
        Rule(Text(inline(brief.story.headline) or "Untitled story", style="bold"), align="left"),
        Text(f"{count} article{'s' if count != 1 else ''} · story {inline(brief.story.id)}", MUTED),
    ]
    if brief.summary:
        summary = Text("\n").join(_cited(c.text, index.markers(c.sources)) for c in brief.summary)
        out.append(Panel(summary, title="Summary", title_align="left", box=box.ROUNDED))
    else:
        out.append(_heading("Summary", True))
    out.append(_heading("Sources", not index.sources))
    if index.sources:
        out.append(_sources(index))

    out.append(_heading("Facts", not brief.facts))
    for fact in brief.facts:
        out.append(Padding(_cited("• " + fact.text, index.markers(fact.sources)), (0, 0, 0, 2)))

    out.append(_heading("Conflicts", not brief.conflicts))
    out += _conflicts(brief, index)
    out.append(_heading("Quotes", not brief.quotes))
    out += _quotes(brief, index)

    out.append(_heading("Entities", not brief.entities))
    if brief.entities:
        table = _table("Name", "Type", "Roles", "Aliases", "Sources")
        for e in brief.entities:
            table.add_row(
                Text(inline(e.name), style="bold"),
                Text(inline(e.type)),
                Text("; ".join(inline(r) for r in e.roles) or "—"),
                Text("; ".join(inline(a) for a in e.aliases) or "—"),
                Text(index.markers(e.sources), style=MARKER),
            )
        out.append(Padding(table, (0, 0, 0, 2)))

    out.append(_heading("Timeline", not brief.timeline))
    if brief.timeline:
        table = _table("Date", "Event", "Sources")
        for t in brief.timeline:
            table.add_row(
                Text(inline(t.date), style="bold"),
                Text(inline(t.text)),
                Text(index.markers(t.sources), style=MARKER),
            )
        out.append(Padding(table, (0, 0, 0, 2)))

    out.append(_heading("Unique per outlet", not brief.unique))
    for source, article_id, items in unique_by_article(brief):
        name = Text(source.label if source else inline(article_id), style="bold")
        name.append(f" [{source.number}]" if source else " [?]", style=MARKER)
        lines: list[RenderableType] = [name]
        lines += [Padding(Text("• " + inline(u.text)), (0, 0, 0, 2)) for u in items]
        out.append(Padding(Group(*lines), (0, 0, 0, 2)))

    out.append(_heading("Flags", not brief.flags))
    for flag in brief.flags:
        line = Text("! ", style="bold red")
        line.append(inline(flag.kind), style="bold")
        line.append(": ")
        line.append_text(_cited(flag.text, index.markers(flag.sources)))
        out.append(Padding(line, (0, 0, 0, 2)))
    return out


def _problems(problems: Iterable[Problem]) -> list[RenderableType]:
    lines: list[RenderableType] = []
    for p in problems:
        line = Text(inline(p.source), style="bold")
        line.append(f": {inline(p.message)} ")
        line.append(f"[{inline(p.code)}]", style=MUTED)
        lines.append(Padding(line, (0, 0, 0, 2)))
    if lines:
        lines.insert(0, Rule(Text("Skipped inputs", style="bold red"), align="left"))
    return lines


def print_briefs(
    briefs: Sequence[Brief], console: Console, problems: Sequence[Problem] = ()
) -> None:
    """Print ``briefs`` (then any ``problems``) on ``console``.

    Args:
        briefs: The briefs, one per story, in the order to show.
        console: Where to print; its colour system decides whether colour is used.
        problems: Rejected inputs, listed after the briefs.
    """
    if not briefs:
        console.print(Text("No stories.", style=MUTED))
    for i, brief in enumerate(briefs):
        if i:
            console.print()
        for renderable in _brief(brief):
            console.print(renderable)
    for renderable in _problems(problems):
        console.print(renderable)


def print_terminal(briefs: Sequence[Brief], console: Console) -> None:
    """Print ``briefs`` on a terminal with rich (colour, panels, tables).

    Args:
        briefs: The briefs, one per story, in the order to show.
        console: The console to print on.
    """
    print_briefs(briefs, console)


def render_text(briefs: Sequence[Brief], problems: Sequence[Problem] = ()) -> str:
    """Return the terminal rendering of ``briefs`` as plain text (no colour codes).

    Args:
        briefs: The briefs, one per story, in the order to show.
        problems: Rejected inputs, listed after the briefs.

    Returns:
        The text, 100 columns wide, with trailing spaces removed from each line.
    """
    console = Console(
        file=io.StringIO(),
        record=True,
        width=WIDTH,
        color_system=None,
        force_terminal=False,
        force_jupyter=False,
        force_interactive=False,
        markup=False,
        emoji=False,
        highlight=False,
        legacy_windows=False,
    )
    print_briefs(briefs, console, problems)
    text = console.export_text(styles=False)
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"
