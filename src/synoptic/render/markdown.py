"""Markdown rendering: one readable brief per story, citations as ``[n]`` source numbers.

Every story has the same sections in the same order (Articles, Summary, Sources, Facts,
Conflicts, Quotes, Entities, Timeline, Unique per outlet, Flags); an empty section says
``_None._`` rather than disappearing, so that "no conflicts" reads as a finding. Markers such
as ``[1][3]`` stay literal text: the document defines no link references, so no Markdown
renderer turns them into links.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from synoptic.errors import Problem
from synoptic.model import Brief, Cited
from synoptic.render.common import (
    SourceIndex,
    conflict_value_display,
    inline,
    quotes_by_speaker,
    safe_url,
    unique_by_article,
)

NONE = "_None._"

# Characters that start inline markup anywhere in a line (emphasis, code, links, raw HTML,
# strikethrough, table cells). ``<`` matters most: most renderers pass raw HTML through.
_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
# Block markers that only count at the start of a line (headings, quotes, list items, rules).
_LINE_START = re.compile(r"^(#{1,6}(?=\s|$)|>|[-+=](?=[-+=\s]|$)|\d{1,9}(?=[.)](\s|$)))")


def escape(text: str | None) -> str:
    """Return article-derived ``text`` on one line, safe to place anywhere in Markdown.

    Markup characters are backslash-escaped; an ``&`` is escaped only where it would start an
    entity (so ``AT&T`` stays readable); a leading block marker (``#``, ``>``, ``-``, ``1.``) is
    neutralised because our texts often open a list item or a line of their own.
    """
    out = _ENTITY.sub(r"\\&", _INLINE.sub(r"\\\1", inline(text)))
    match = _LINE_START.match(out)
    if match:
        marker = match.group(1)
        # "1. text" would open an ordered list: escape the dot or parenthesis after the number.
        digits = marker[0].isdigit()
        out = marker + "\\" + out[len(marker) :] if digits else "\\" + out
    return out


def _quoted(text: str) -> str:
    body = escape(text)
    return body if body[:1] in "\"“‘'«„" else f"“{body}”"


def _cited_line(item: Cited, index: SourceIndex) -> str:
    return f"{escape(item.text)} {index.markers(item.sources)}".rstrip()


def _section(title: str, lines: Sequence[str]) -> list[str]:
    return [f"## {title}", "", *(lines or [NONE]), ""]


def _articles(index: SourceIndex) -> list[str]:
    if not index.sources:
        return []
    rows = [
        "| # | Outlet | Title | Byline | Published | Language | Copy of |",
        "|--:|---|---|---|---|---|---|",
    ]
    for source in index.sources:
        a = source.article
        duplicate = index.copy_cell(a)
        cells = [
            str(source.number),
            escape(source.label),
            escape(a.title) or "—",
            escape(a.byline) or "—",
            escape(a.published) or "—",
            escape(a.language) or "—",
            duplicate,
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def _sources(index: SourceIndex) -> list[str]:
    lines = []
    for source in index.sources:
        a = source.article
        parts = [f"**{escape(source.label)}**"]
        if a.title:
            parts.append(f"*{escape(a.title)}*")
        url = safe_url(a.url)
        # Only http(s) URLs become autolinks; CommonMark autolinks accept any scheme.
        parts.append(f"<{url}>" if url else escape(a.url or a.source))
        lines.append(f"{source.number}. " + " — ".join(parts))
    return lines


def _conflicts(brief: Brief, index: SourceIndex) -> list[str]:
    lines: list[str] = []
    for conflict in brief.conflicts:
        lines += [f"### {escape(conflict.topic) or 'Conflict'} ({escape(conflict.kind)})", ""]
        for value in conflict.values:
            head = conflict_value_display(value) if conflict.kind == "number" else ""
            lead = f"**{escape(head)}**: " if head else ""
            lines.append(f"- {lead}{_quoted(value.text)} {index.markers(value.sources)}".rstrip())
        lines.append("")
    return lines[:-1]


def _quotes(brief: Brief, index: SourceIndex) -> list[str]:
    lines: list[str] = []
    for speaker, quotes in quotes_by_speaker(brief.quotes):
        lines += [f"### {escape(speaker)}", ""]
        for quote in quotes:
            relayed = f" (relayed by {escape(quote.relayed_by)})" if quote.relayed_by else ""
            markers = index.markers(quote.sources)
            # A fragment reads within the reporter's sentence that carries it.
            said = escape(quote.sentence) if quote.sentence else _quoted(quote.text)
            lines.append(f"- {said}{relayed} {markers}".rstrip())
            for variant in quote.variants:
                markers = index.markers(variant.sources)
                lines.append(f"  - variant: {_quoted(variant.text)} {markers}".rstrip())
        lines.append("")
    return lines[:-1]


def _entities(brief: Brief, index: SourceIndex) -> list[str]:
    if not brief.entities:
        return []
    rows = ["| Name | Type | Roles | Aliases | Sources |", "|---|---|---|---|---|"]
    for e in brief.entities:
        cells = [
            escape(e.name),
            escape(e.type),
            "; ".join(escape(r) for r in e.roles) or "—",
            "; ".join(escape(a) for a in e.aliases) or "—",
            index.markers(e.sources) or "—",
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def _unique(brief: Brief, index: SourceIndex) -> list[str]:
    lines: list[str] = []
    for source, article_id, items in unique_by_article(brief):
        name = f"{escape(source.label)} [{source.number}]" if source else escape(article_id)
        lines += [f"### {name}", ""]
        lines += [f"- {escape(item.text)}" for item in items]
        lines.append("")
    return lines[:-1]


def render_brief(brief: Brief) -> str:
    """Return the Markdown of one brief, ending with a newline.

    Args:
        brief: The brief to render.

    Returns:
        A level-1 heading with the headline, then one level-2 section per part of the brief.
    """
    index = SourceIndex(brief.story.articles, brief.copies)
    count = len(index.sources)
    story_id = inline(brief.story.id).replace("`", "'")  # a backtick would end the code span
    lines = [
        f"# {escape(brief.story.headline) or 'Untitled story'}",
        "",
        f"{count} article{'s' if count != 1 else ''} · story `{story_id}`",
        "",
    ]
    lines += _section("Articles", _articles(index))
    # One sentence per line: a soft break keeps the summary one paragraph when rendered.
    summary = [_cited_line(c, index) for c in brief.summary]
    lines += _section("Summary", summary)
    lines += _section("Sources", _sources(index))
    lines += _section("Facts", [f"- {_cited_line(f, index)}" for f in brief.facts])
    lines += _section("Conflicts", _conflicts(brief, index))
    lines += _section("Quotes", _quotes(brief, index))
    lines += _section("Entities", _entities(brief, index))
    # A plan, forecast or target is marked, so a reader never takes it for what happened.
    timeline = [
        f"- **{escape(t.date)}**{' (planned)' if t.kind == 'planned' else ''} — "
        f"{escape(t.text)} {index.markers(t.sources)}".rstrip()
        for t in brief.timeline
    ]
    lines += _section("Timeline", timeline)
    lines += _section("Unique per outlet", _unique(brief, index))
    flags = [
        f"- **{escape(f.kind)}**: {escape(f.text)} {index.markers(f.sources)}".rstrip()
        for f in brief.flags
    ]
    lines += _section("Flags", flags)
    return "\n".join(lines).rstrip("\n") + "\n"


def render_problems(problems: Iterable[Problem]) -> str:
    """Return the "Skipped inputs" section listing rejected inputs (empty if there are none)."""
    lines = [f"- {escape(p.source)}: {escape(p.message)} \\[{escape(p.code)}\\]" for p in problems]
    if not lines:
        return ""
    return "\n".join(["# Skipped inputs", "", *lines]) + "\n"


def render_markdown(briefs: Sequence[Brief], problems: Sequence[Problem] = ()) -> str:
    """Return the Markdown document for ``briefs``: stories separated by rules.

    Args:
        briefs: The briefs, one per story, in the order to show.
        problems: Rejected inputs, listed in a closing "Skipped inputs" section.

    Returns:
        The document, ending with a newline.
    """
    parts = [render_brief(b) for b in briefs] or ["_No stories._\n"]
    tail = render_problems(problems)
    if tail:
        parts.append(tail)
    return "\n---\n\n".join(parts)
