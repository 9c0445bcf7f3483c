"""HTML rendering: one self-contained, readable page for a set of briefs.

Python turns each brief into plain view data (numbered sources, citation chips, the article
texts cut into marked and unmarked segments); the Jinja2 template ``brief.html.j2`` only lays it
out, with autoescaping on for everything, because every string that comes from an article
(text, title, outlet, URL) is untrusted. URLs become links only when ``safe_url`` accepts them
(absolute http/https), and the page carries a Content-Security-Policy that forbids scripts and
external requests, so that anything slipping past the escaping stays inert.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import jinja2

from synoptic.errors import Problem
from synoptic.model import IDENTICAL, Article, Brief, Span
from synoptic.render.common import (
    SourceIndex,
    conflict_value_display,
    entities_by_group,
    fact_matrix,
    inline,
    language_tag,
    quote_groups,
    safe_url,
    sanitize,
    unique_by_article,
)

TEMPLATE = "brief.html.j2"
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


@dataclass(frozen=True, slots=True)
class Chip:
    """A citation chip: the source number, where it jumps to and a tooltip."""

    number: str
    href: str | None
    title: str


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of article text; ``depth`` is how many cited spans cover it (0: none)."""

    text: str
    depth: int = 0
    anchor: str | None = None


def mark_id(article_id: str, start: int) -> str:
    """Return the ``id`` of the ``<mark>`` that opens at ``start`` in an article's text."""
    return f"a-{article_id}-{start}"


def article_anchor(article_id: str) -> str:
    """Return the ``id`` of an article's section on the page."""
    return f"a-{article_id}"


def segments(text: str, spans: Iterable[tuple[int, int]], article_id: str) -> list[Segment]:
    """Cut ``text`` into runs at every span boundary, each knowing how many spans cover it.

    Spans may overlap or nest (a quote inside a cited sentence): cutting at every boundary
    gives runs that each lie wholly inside or outside every span, so marks never have to
    cross. The run that opens at a span's start carries the anchor ``a-<id>-<start>`` that
    citation chips link to. Spans outside the text are clipped and empty ones ignored; the
    runs always join back to exactly ``text``.

    Args:
        text: The article's cleaned text.
        spans: ``(start, end)`` character ranges into ``text``.
        article_id: Used to build the anchors.

    Returns:
        The runs in order.
    """
    n = len(text)
    ranges = sorted({(max(0, s), min(n, e)) for s, e in spans if min(n, e) > max(0, s)})
    if not ranges:
        return [Segment(text)] if text else []
    starts = {s for s, _ in ranges}
    delta: dict[int, int] = {}
    for s, e in ranges:
        delta[s] = delta.get(s, 0) + 1
        delta[e] = delta.get(e, 0) - 1
    cuts = sorted({0, n, *delta})
    out: list[Segment] = []
    depth = 0
    for left, right in itertools.pairwise(cuts):
        depth += delta.get(left, 0)
        if right > left:
            anchor = mark_id(article_id, left) if depth and left in starts else None
            out.append(Segment(text[left:right], depth, anchor))
    return out


class _View:
    """Builds the template data of one brief."""

    def __init__(self, brief: Brief) -> None:
        self.brief = brief
        self.index = SourceIndex(brief.story.articles, brief.copies)
        spans = self._cited_spans()
        self.segments = {
            a.id: segments(a.text, [(s.start, s.end) for s in spans.get(a.id, [])], a.id)
            for a in brief.story.articles
        }
        # The anchors that exist, per article: chips link there, else to the article's
        # section (a span out of range must not produce a dangling link).
        self.anchored = {
            article_id: {s.anchor for s in segs if s.anchor}
            for article_id, segs in self.segments.items()
        }

    def _cited_spans(self) -> dict[str, list[Span]]:
        b = self.brief
        spans: list[Span] = []
        for cited in (*b.summary, *b.facts):
            spans += cited.spans
        for event in b.timeline:
            spans += event.spans
        for conflict in b.conflicts:
            for value in conflict.values:
                spans += value.spans
        for quote in b.quotes:
            spans += quote.spans
            for variant in quote.variants:
                spans += variant.spans
        spans += [u.span for u in b.unique if u.span is not None]
        out: dict[str, list[Span]] = {}
        for span in spans:
            out.setdefault(span.article, []).append(span)
        return out

    def chip(self, article_id: str, spans: Sequence[Span] = ()) -> Chip:
        """Return the chip citing ``article_id``, linked to its first span there."""
        source = self.index.get(article_id)
        if source is None:
            return Chip("?", None, f"unknown article {inline(article_id)}")
        title = source.label + (f": {inline(source.article.title)}" if source.article.title else "")
        for span in spans:
            if span.article == article_id:
                anchor = mark_id(article_id, span.start)
                if anchor in self.anchored[article_id]:
                    return Chip(str(source.number), "#" + anchor, title)
        return Chip(str(source.number), "#" + article_anchor(article_id), title)

    def chips(self, sources: Iterable[str], spans: Sequence[Span] = ()) -> list[Chip]:
        """Return one chip per source id."""
        return [self.chip(a, spans) for a in sources]

    def article(self, number: int, a: Article) -> dict[str, Any]:
        duplicate = self.index.get(a.duplicate_of)
        return {
            "number": number,
            "anchor": article_anchor(a.id),
            "label": inline(a.label),
            "title": inline(a.title),
            "url": safe_url(a.url),
            "url_text": inline(a.url),
            "source": inline(a.source),
            "source_url": safe_url(a.source),
            "byline": inline(a.byline),
            "published": inline(a.published),
            "language": inline(a.language),
            "lang": language_tag(a.language),
            "duplicate_of": (
                {"number": duplicate.number, "anchor": article_anchor(duplicate.article.id)}
                if duplicate
                else ({"number": "?", "anchor": None} if a.duplicate_of else None)
            ),
            "copy_note": self._copy(a),
            # Keep the text's own line breaks (CSS pre-wrap); only control characters go.
            "segments": [Segment(sanitize(s.text), s.depth, s.anchor) for s in self.segments[a.id]],
        }

    def _copy(self, a: Article) -> dict[str, Any] | None:
        """The report ``a`` copies (``Brief.copies``), how, and what differs, if any."""
        found = self.index.copies.get(a.id)
        original = self.index.get(found.copy_of) if found else None
        if found is None or original is None:
            return None
        return {
            "number": original.number,
            "anchor": article_anchor(original.article.id),
            "near": found.kind == "near-copy",
            "differs": "" if found.differs == IDENTICAL else found.differs,
        }

    def build(self, level: int) -> dict[str, Any]:
        b = self.brief
        story_anchor = f"s-{b.story.id}"
        columns = [{"number": s.number, "label": s.label} for s in self.index.sources]
        dates = sorted(a.published[:10] for a in b.story.articles if a.published)
        return {
            "anchor": story_anchor,
            "level": level,
            "id": inline(b.story.id),
            "headline": inline(b.story.headline) or "Untitled story",
            "count": len(b.story.articles),
            "outlets": list(dict.fromkeys(s.label for s in self.index.sources)),
            "dates": (dates[0], dates[-1]) if dates else None,
            "articles": [self.article(s.number, s.article) for s in self.index.sources],
            "summary": [
                {"text": inline(c.text), "chips": self.chips(c.sources, c.spans)} for c in b.summary
            ],
            "facts": [
                {
                    "text": inline(f.text),
                    "chips": self.chips(f.sources, f.spans),
                    "cells": cells,
                }
                for f, cells in fact_matrix(b)
            ],
            "columns": columns,
            "conflicts": self._conflicts(),
            "quote_groups": self._quote_groups(),
            "entity_groups": self._entity_groups(),
            "timeline": [
                {
                    "date": inline(t.date),
                    "datetime": t.date if _DATE.fullmatch(t.date) else None,
                    "text": inline(t.text),
                    "chips": self.chips(t.sources, t.spans),
                }
                for t in b.timeline
            ],
            "unique": self._unique(),
            "flags": [
                {"kind": inline(f.kind), "text": inline(f.text), "chips": self.chips(f.sources)}
                for f in b.flags
            ],
        }

    def _conflicts(self) -> list[dict[str, Any]]:
        return [
            {
                "topic": inline(c.topic),
                "kind": c.kind,
                "sides": [
                    {
                        "display": (conflict_value_display(v) if c.kind == "number" else None),
                        "text": inline(v.text),
                        "chips": self.chips(v.sources, v.spans),
                        "outlets": [
                            s.label for s in map(self.index.get, v.sources) if s is not None
                        ],
                    }
                    for v in c.values
                ],
            }
            for c in self.brief.conflicts
        ]

    def _quote_groups(self) -> list[dict[str, Any]]:
        return quote_groups(self.brief.quotes, self.chips)

    def _entity_groups(self) -> list[dict[str, Any]]:
        return [
            {
                "name": name,
                "entities": [
                    {
                        "name": inline(e.name),
                        "type": inline(e.type),
                        "roles": [inline(r) for r in e.roles],
                        "aliases": [inline(a) for a in e.aliases],
                        "chips": self.chips(e.sources),
                    }
                    for e in entities
                ],
            }
            for name, entities in entities_by_group(self.brief.entities)
        ]

    def _unique(self) -> list[dict[str, Any]]:
        return [
            {
                "label": source.label if source else inline(article_id),
                "chip": self.chip(article_id),
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


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """Return the Jinja2 environment: package templates, autoescape on, strict undefined."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("synoptic.render", "templates"),
        # On for every template whatever its extension: article text is untrusted.
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_html(briefs: Sequence[Brief], problems: Sequence[Problem] = ()) -> str:
    """Return one self-contained HTML page for ``briefs``.

    Args:
        briefs: The briefs, one per story, in the order to show.
        problems: Rejected inputs, listed at the end of the page.

    Returns:
        The page: inline CSS, no scripts, no external requests.
    """
    single = len(briefs) == 1
    stories = [_View(b).build(level=1 if single else 2) for b in briefs]
    if single:
        title = stories[0]["headline"]
    else:
        title = f"{len(stories)} stories" if stories else "No stories"
    return (
        environment()
        .get_template(TEMPLATE)
        .render(
            title=title,
            single=single,
            stories=stories,
            problems=[
                {"source": inline(p.source), "code": inline(p.code), "message": inline(p.message)}
                for p in problems
            ],
        )
    )
