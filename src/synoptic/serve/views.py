"""Template data for the web pages, built from briefs and listing lines (no I/O, no HTML).

The story page shows every cited passage in its article: each distinct span a brief cites gets
one anchor (``c1``, ``c2``, ...), the citation chips link to it, and the article texts in the
sources panel mark it with a ``<mark>`` (see ``marks``). Without JavaScript a chip is a plain
in-page link and CSS highlights the ``:target``; the script adds smooth scrolling and
highlights every piece of a split passage.

Display decisions shared with the other renderers (source numbering, quote and entity
grouping, value formatting, which URLs may be links) come from ``synoptic.render.common``.
Strings from articles stay plain strings here; the templates escape them.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from synoptic.model import Article, Brief, Entity, Span
from synoptic.render.common import (
    SourceIndex,
    conflict_value_display,
    entities_by_group,
    entity_group,
    inline,
    language_tag,
    quote_groups,
    safe_url,
    unique_by_article,
)
from synoptic.serve.marks import Mark, mark_text
from synoptic.store import StorySummary

TITLE_CHARS = 200
_YEAR = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
_ENTITY_CLASS = {"People": "person", "Organisations": "org", "Places": "place"}


# -- dates ------------------------------------------------------------------------------------


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def format_time(value: str | None) -> str:
    """Return an ISO 8601 time as ``14 Oct 2024, 17:30`` (a bare date without the time)."""
    if not value:
        return ""
    parsed = _parse_time(value)
    if parsed is None:
        return inline(value)
    if len(value) <= 10:
        return f"{parsed.day} {parsed:%b %Y}"
    return f"{parsed.day} {parsed:%b %Y, %H:%M}"


def time_span(first: str | None, last: str | None) -> str:
    """Return the span between two ISO times for a listing (UTC)."""
    a, b = _parse_time(first), _parse_time(last)
    if a is None or b is None:
        return format_time(first or last)
    a, b = a.astimezone(UTC), b.astimezone(UTC)
    if a == b:
        return f"{a.day} {a:%b %Y, %H:%M} UTC"
    if a.date() == b.date():
        return f"{a.day} {a:%b %Y, %H:%M}–{b:%H:%M} UTC"
    return f"{a.day} {a:%b %Y, %H:%M} – {b.day} {b:%b %Y, %H:%M} UTC"


# -- the story list -----------------------------------------------------------------------------


def story_item(summary: StorySummary) -> dict[str, Any]:
    """Return the template data of one line of the story list."""
    return {
        "id": summary.id,
        "headline": inline(summary.headline) or summary.id,
        "outlets": summary.outlets,
        "articles": summary.articles,
        "first_seen": summary.first_seen,
        "last_seen": summary.last_seen,
        "span": time_span(summary.first_seen, summary.last_seen),
        "conflicts": summary.conflicts,
        "closed": summary.closed,
    }


# -- the story page -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Chip:
    """A citation chip: which source, where it jumps to, and its tooltip."""

    number: str
    label: str
    href: str | None
    title: str


@dataclass(slots=True)
class _Anchors:
    """Numbers the distinct cited spans of a brief and remembers what kind each is."""

    texts: dict[str, str]
    ids: dict[tuple[str, int, int], str] = field(default_factory=dict)
    kinds: dict[tuple[str, int, int], str] = field(default_factory=dict)

    def add(self, span: Span, kind: str) -> str | None:
        text = self.texts.get(span.article)
        if text is None or not 0 <= span.start < span.end <= len(text):
            return None  # out of range: the chip falls back to the article's section
        key = (span.article, span.start, span.end)
        if key not in self.ids:
            self.ids[key] = f"c{len(self.ids) + 1}"
            self.kinds[key] = kind
        return self.ids[key]

    def marks(self, article_id: str) -> list[Mark]:
        out = []
        for key, anchor in self.ids.items():
            cited, start, end = key
            if cited == article_id:
                out.append(Mark(start, end, "cite " + self.kinds[key], anchor=anchor, cite=anchor))
        return out


def article_anchor(article_id: str) -> str:
    """Return the ``id`` of an article's section in the sources panel."""
    return f"src-{article_id}"


class StoryView:
    """Builds the template data of a story page from its brief.

    Args:
        brief: The story's brief.
    """

    def __init__(self, brief: Brief) -> None:
        self.brief = brief
        self.articles = brief.story.articles
        self.index = SourceIndex(self.articles)
        self.by_id = {a.id: a for a in self.articles}
        self.anchors = _Anchors({a.id: a.text for a in self.articles})

    def chip(self, article_id: str, spans: Sequence[Span] = (), kind: str = "s") -> Chip:
        """Return the chip citing ``article_id``, linked to its first cited span there."""
        source = self.index.get(article_id)
        if source is None:
            return Chip("?", "unknown source", None, f"unknown article {inline(article_id)}")
        for span in spans:
            if span.article == article_id:
                anchor = self.anchors.add(span, kind)
                if anchor:
                    cited = inline(span.of(source.article))
                    return Chip(
                        str(source.number), source.label, f"#{anchor}", _clip(cited, TITLE_CHARS)
                    )
        return Chip(
            str(source.number),
            source.label,
            f"#{article_anchor(article_id)}",
            _clip(inline(source.article.title) or source.label, TITLE_CHARS),
        )

    def chips(
        self, sources: Iterable[str], spans: Sequence[Span] = (), kind: str = "s"
    ) -> list[Chip]:
        """Return one chip per cited article, in the order the sources are given."""
        return [self.chip(a, spans, kind) for a in dict.fromkeys(sources)]

    def _columns(self) -> list[tuple[str, list[str]]]:
        # One column per outlet; an outlet carrying two of the articles gets one column.
        columns: dict[str, list[str]] = {}
        for source in self.index.sources:
            columns.setdefault(source.label, []).append(source.article.id)
        return list(columns.items())

    def _matrix(self) -> dict[str, Any]:
        columns = self._columns()
        rows = []
        for fact in self.brief.facts:
            cells = []
            cited = set(fact.sources)
            for _, ids in columns:
                hit = next((a for a in ids if a in cited), None)
                cells.append(self.chip(hit, fact.spans) if hit else None)
            rows.append(
                {
                    "text": inline(fact.text),
                    "cells": cells,
                    "count": sum(c is not None for c in cells),
                }
            )
        return {"columns": [label for label, _ in columns], "rows": rows}

    def _conflicts(self) -> list[dict[str, Any]]:
        out = []
        for conflict in self.brief.conflicts:
            sides = []
            for value in conflict.values:
                wordings = []
                seen: set[str] = set()
                for span in value.spans:
                    article = self.by_id.get(span.article)
                    if article is None or span.article in seen:
                        continue
                    seen.add(span.article)
                    chip = self.chip(span.article, [span], "fig")
                    before, figure, after = sentence_around(article.text, span.start, span.end)
                    wordings.append(
                        {"chip": chip, "before": before, "figure": figure, "after": after}
                    )
                sides.append(
                    {
                        "display": (
                            conflict_value_display(value) if conflict.kind == "number" else None
                        ),
                        "text": inline(value.text),
                        "wordings": wordings,
                        "chips": self.chips(value.sources, value.spans, "fig"),
                    }
                )
            out.append({"topic": inline(conflict.topic), "kind": conflict.kind, "sides": sides})
        return out

    def _quotes(self) -> list[dict[str, Any]]:
        return quote_groups(self.brief.quotes, functools.partial(self.chips, kind="q"))

    def _entities(self) -> list[dict[str, Any]]:
        return [
            {
                "name": group,
                "entities": [
                    {
                        "name": inline(e.name),
                        "type": inline(e.type),
                        "aliases": [inline(a) for a in e.aliases if inline(a)],
                        "roles": [inline(r) for r in e.roles if inline(r)],
                        "chips": self.chips(e.sources),
                    }
                    for e in entities
                ],
            }
            for group, entities in entities_by_group(self.brief.entities)
        ]

    def _timeline(self) -> dict[str, Any]:
        events = [
            {
                "id": f"t{i}",
                "date": inline(t.date),
                "datetime": t.date if _YEAR.fullmatch(t.date) else None,
                "text": inline(t.text),
                "chips": self.chips(t.sources, t.spans),
            }
            for i, t in enumerate(self.brief.timeline, start=1)
        ]
        return {"events": events, "chart": timeline_chart(events)}

    def _unique(self) -> list[dict[str, Any]]:
        return [
            {
                "label": source.label if source else inline(article_id),
                "number": str(source.number) if source else "?",
                "href": f"#{article_anchor(article_id)}" if source else None,
                "entries": [
                    {
                        "text": inline(u.text),
                        "chip": self.chip(article_id, [u.span] if u.span else []),
                    }
                    for u in items
                ],
            }
            for source, article_id, items in unique_by_article(self.brief)
        ]

    def _sources(self) -> list[dict[str, Any]]:
        out = []
        for source in self.index.sources:
            a = source.article
            original = self.index.get(a.duplicate_of)
            out.append(
                {
                    "id": a.id,
                    "anchor": article_anchor(a.id),
                    "number": source.number,
                    "label": source.label,
                    "title": inline(a.title),
                    "byline": inline(a.byline),
                    "published": a.published,
                    "published_text": format_time(a.published),
                    "url": safe_url(a.url),
                    "url_text": inline(a.url),
                    "lang": language_tag(a.language),
                    "duplicate_of": (
                        {
                            "number": original.number,
                            "label": original.label,
                            "id": original.article.id,
                        }
                        if original
                        else None
                    ),
                    "text": mark_text(a.text, self.anchors.marks(a.id)),
                }
            )
        return out

    def build(self) -> dict[str, Any]:
        """Return the page data (sections first: they number the anchors the texts mark)."""
        b = self.brief
        data: dict[str, Any] = {
            "id": b.story.id,
            "headline": inline(b.story.headline) or b.story.id,
            "summary": [
                {"text": inline(c.text), "chips": self.chips(c.sources, c.spans)} for c in b.summary
            ],
            "matrix": self._matrix(),
            "conflicts": self._conflicts(),
            "quote_groups": self._quotes(),
            "entity_groups": self._entities(),
            "timeline": self._timeline(),
            "unique": self._unique(),
            "flags": [
                {"kind": inline(f.kind), "text": inline(f.text), "chips": self.chips(f.sources)}
                for f in b.flags
            ],
        }
        data["sources"] = self._sources()
        dated = sorted(
            (t, a.published) for a in self.articles if (t := _parse_time(a.published)) is not None
        )
        data["articles"] = len(self.articles)
        data["outlets"] = len(self._columns())
        data["span"] = time_span(dated[0][1], dated[-1][1]) if dated else ""
        return data


_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*(?=\s)|\n")


def sentence_around(text: str, start: int, end: int, limit: int = 240) -> tuple[str, str, str]:
    """Return the sentence holding ``text[start:end]`` as (before, the span, after).

    The sentence runs from the previous sentence end (or line break) to the next one, each
    side clipped to ``limit`` characters, so a figure is shown in its outlet's own words.
    """
    start, end = max(0, start), min(len(text), end)
    left = 0
    for match in _SENTENCE_END.finditer(text, max(0, start - limit), start):
        left = match.end()
    left = max(left, start - limit)
    right_match = _SENTENCE_END.search(text, end, min(len(text), end + limit))
    right = right_match.end() if right_match else min(len(text), end + limit)
    before, after = inline(text[left:start]), inline(text[end:right])
    # inline() strips: keep the space that separated the parts in the text.
    if before and text[start - 1 : start].isspace():
        before += " "
    if after and text[end : end + 1].isspace():
        after = " " + after
    if left > 0 and left == start - limit:
        before = "…" + before
    if right_match is None and right < len(text):
        after += "…"
    return before, inline(text[start:end]), after


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# -- the timeline chart -------------------------------------------------------------------------

CHART_WIDTH = 760
CHART_HEIGHT = 150
_AXIS_Y = 44
_MARGIN = 28


def _date_key(value: str) -> date | None:
    match = _YEAR.fullmatch(value)
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2) or 1), int(match.group(3) or 1))
    except ValueError:
        return None


def timeline_chart(events: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """Lay the timeline out for an inline SVG: one dot per distinct date, sized by its events.

    Dates are spaced evenly in order rather than to scale: a story's background reaches back
    decades while its events fall within days, and a linear axis would pile them into one dot.
    A gap of more than a year between neighbours is drawn as a break in the axis.

    Returns:
        ``None`` when no event has a readable date; else the width, height, axis and points
        (``x``, ``r``, the label, how many events, and the id of the first event to link to).
    """
    dated: dict[str, list[dict[str, Any]]] = {}
    for event in events:
        if _date_key(event["date"]) is not None:
            dated.setdefault(event["date"], []).append(event)
    if not dated:
        return None
    order = sorted(dated, key=lambda d: (_date_key(d), len(d)))
    n = len(order)
    step = (CHART_WIDTH - 2 * _MARGIN) / max(n - 1, 1)
    points = []
    breaks = []
    for i, key in enumerate(order):
        x = _MARGIN + (i * step if n > 1 else (CHART_WIDTH - 2 * _MARGIN) / 2)
        count = len(dated[key])
        points.append(
            {
                "x": round(x, 1),
                "r": round(4 + 2.5 * math.sqrt(count - 1), 1),
                "label": key,
                "count": count,
                "href": f"#{dated[key][0]['id']}",
                "text": dated[key][0]["text"],
            }
        )
        if i:
            gap = _date_key(key), _date_key(order[i - 1])
            if gap[0] and gap[1] and (gap[0] - gap[1]).days > 366:
                breaks.append(round(x - step / 2, 1))
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "axis_y": _AXIS_Y,
        "x0": _MARGIN,
        "x1": CHART_WIDTH - _MARGIN,
        "label_y": _AXIS_Y + 18,
        "points": points,
        "breaks": breaks,
    }


# -- the article reader -------------------------------------------------------------------------


def _entity_marks(text: str, entities: Sequence[Entity]) -> list[Mark]:
    """Find the mentions of ``entities`` in ``text`` by name and alias (whole words only)."""
    names: dict[str, Entity] = {}
    for entity in entities:
        for name in (entity.name, *entity.aliases):
            name = name.strip()
            if len(name) >= 2 and name not in names:
                names[name] = entity
    if not names:
        return []
    # Longest first, so "Irena Vasko" wins over "Vasko" where both match.
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
    marks = []
    for match in pattern.finditer(text):
        entity = names[match.group()]
        group = entity_group(entity.type)
        marks.append(
            Mark(
                match.start(),
                match.end(),
                "ent ent-" + _ENTITY_CLASS.get(group, "other"),
                title=f"{inline(entity.name)} ({inline(entity.type)})",
            )
        )
    return marks


def article_view(article: Article, story_id: str | None, brief: Brief | None) -> dict[str, Any]:
    """Return the template data of the article reader.

    Quotes and figures are marked at the spans the brief gives them in this article (quotes
    and their variants; the values of conflicts); entities wherever their name or an alias
    appears in the text.
    """
    marks: list[Mark] = []
    quotes = figures = 0
    entity_names: list[str] = []
    if brief is not None:
        for quote in brief.quotes:
            title = f"quote: {inline(quote.speaker) or 'unattributed'}"
            for span in (*quote.spans, *(s for v in quote.variants for s in v.spans)):
                if span.article == article.id:
                    marks.append(Mark(span.start, span.end, "q", title=title))
                    quotes += 1
        for conflict in brief.conflicts:
            for value in conflict.values:
                title = f"{inline(conflict.topic)}: {conflict_value_display(value)}"
                for span in value.spans:
                    if span.article == article.id:
                        marks.append(Mark(span.start, span.end, "fig", title=title))
                        figures += 1
        ents = [e for e in brief.entities if article.id in e.sources or not e.sources]
        entity_marks = _entity_marks(article.text, ents)
        entity_names = sorted({m.title or "" for m in entity_marks})
        marks.extend(entity_marks)
    return {
        "id": article.id,
        "story_id": story_id,
        "title": inline(article.title) or inline(article.label),
        "label": inline(article.label),
        "outlet": inline(article.outlet),
        "byline": inline(article.byline),
        "published": article.published,
        "published_text": format_time(article.published),
        "url": safe_url(article.url),
        "url_text": inline(article.url),
        "source": inline(article.source),
        "lang": language_tag(article.language),
        "duplicate_of": article.duplicate_of,
        "headline": inline(brief.story.headline) if brief else None,
        "counts": {"quotes": quotes, "figures": figures, "entities": len(entity_names)},
        "text": mark_text(article.text, marks),
    }


__all__ = [
    "Chip",
    "StoryView",
    "article_anchor",
    "article_view",
    "format_time",
    "story_item",
    "time_span",
    "timeline_chart",
]
