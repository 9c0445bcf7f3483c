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
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from markupsafe import Markup, escape

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
from synoptic.serve.layout import (
    UNKNOWN_OUTLET,
    Counts,
    Outlets,
    disagreement_rows,
    format_time,
    framing_rows,
    parse_time,
    source_name,
    story_time_span,
    summary_segments,
)
from synoptic.serve.marks import Mark, mark_text
from synoptic.serve.timeline import timeline_chart, timeline_events
from synoptic.store import StorySummary
from synoptic.store.search import MARK_END, MARK_START

TITLE_CHARS = 200
# A quoted fragment shorter than this many words is a phrase, not a statement.
PHRASE_WORDS = 4
_ENTITY_CLASS = {"People": "person", "Organisations": "org", "Places": "place"}


# -- dates ------------------------------------------------------------------------------------


_parse_time = parse_time


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


OUTLETS_ON_CARD = 3


def ago(seconds: float) -> str:
    """Say how long ago: ``just now``, ``5 min ago``, ``2 h ago``, ``3 days ago`` ("" past 30 d)."""
    if seconds < 60:
        return "just now"
    for size, unit in ((86400, "days"), (3600, "h"), (60, "min")):
        if seconds >= size:
            n = int(seconds // size)
            if unit == "days" and n >= 30:
                break
            return f"{n} {'day' if unit == 'days' and n == 1 else unit} ago"
    return ""


def undated_text(added: float | None) -> str:
    """Name an undated story by when it was added: ``undated, added 7 Dec 2026`` (UTC)."""
    if added is None:
        return "undated"
    day = datetime.fromtimestamp(added, UTC)
    return f"undated, added {day.day} {day:%b %Y}"


def story_item(
    summary: StorySummary,
    card: dict[str, Any] | None = None,
    snippet: str | None = None,
    now: float | None = None,
) -> dict[str, Any]:
    """Return the template data of one story card.

    Args:
        summary: The story's listing line.
        card: Its ``queries.card_details`` entry (outlets, lede, times, topics).
        snippet: A passage with the search's matches marked (``store.search`` marks).
        now: The time of the page, epoch seconds (for "updated 2 h ago").
    """
    card = card or {}
    raw = [inline(n) for n in card.get("outlets", [])]
    known = list(dict.fromkeys(n for n in raw if n != UNKNOWN_OUTLET))
    shown = known[:OUTLETS_ON_CARD]
    # Each report of an unknown outlet may be another outlet: each counts as one more.
    more = len(known) - len(shown) + raw.count(UNKNOWN_OUTLET)
    first_pub, last_pub = card.get("published", (None, None))
    iso = [
        datetime.fromtimestamp(t, UTC).isoformat() if t is not None else None
        for t in (first_pub, last_pub)
    ]
    changed = card.get("changed")
    now = now if now is not None else datetime.now(UTC).timestamp()
    lede = inline(card.get("lede"))
    if lede and inline(card.get("title")) and lede.startswith(inline(summary.headline)[:40]):
        lede = ""  # the headline already says it
    # The story page's honest counts: copies apart, each report of an unknown outlet its own.
    counts = Counts(summary.articles, len(known) + raw.count(UNKNOWN_OUTLET), card.get("copies", 0))
    return {
        "id": summary.id,
        "headline": inline(summary.headline) or summary.id,
        "counts": counts.text if card else None,
        "outlets": summary.outlets,
        "articles": summary.articles,
        "outlet_names": shown,
        "more_outlets": more,
        "lede": lede,
        "first_seen": iso[0],
        # An undated story is listed after the dated ones, by the time it was added: say so,
        # never pass that time off as its publication date.
        "span": time_span(iso[0], iso[1]) if iso[0] else undated_text(changed),
        "changed": changed,
        "changed_text": ago(now - changed) if changed is not None else "",
        "changed_iso": datetime.fromtimestamp(changed, UTC).isoformat() if changed else None,
        "topics": [layout_topic(t) for t in card.get("topics", [])][:4],
        "conflicts": summary.conflicts,
        "closed": summary.closed,
        "snippet": marked(snippet) if snippet else None,
    }


def layout_topic(topic: str) -> str:
    """A conflict topic as a card shows it (without the update note)."""
    return re.sub(r"\s*\(update:[^)]*\)\s*$", "", inline(topic))


def marked(passage: str) -> Markup:
    """Escape a search passage, then turn its two match characters into ``<mark>``."""
    safe = str(escape(inline(passage)))
    return Markup(safe.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


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
        self.index = SourceIndex(self.articles, brief.copies)
        self.by_id = {a.id: a for a in self.articles}
        self.anchors = _Anchors({a.id: a.text for a in self.articles})
        self.outlets = Outlets(self.articles, brief.outlets, brief.copies)

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
                        str(source.number),
                        self.outlets.label(article_id),
                        f"#{anchor}",
                        _clip(cited, TITLE_CHARS),
                    )
        return Chip(
            str(source.number),
            self.outlets.label(article_id),
            f"#{article_anchor(article_id)}",
            _clip(inline(source.article.title) or source.label, TITLE_CHARS),
        )

    def chips(
        self, sources: Iterable[str], spans: Sequence[Span] = (), kind: str = "s"
    ) -> list[Chip]:
        """Return one chip per cited article, in the order the sources are given."""
        return [self.chip(a, spans, kind) for a in dict.fromkeys(sources)]

    def _facts(self) -> list[dict[str, Any]]:
        # A fact's support counts independent outlets: a wire copy repeats, it does not confirm.
        return [
            {
                "text": inline(fact.text),
                "count": self.outlets.count(fact.sources),
                "chips": self.chips(self.outlets.independent(fact.sources), fact.spans),
            }
            for fact in self.brief.facts
        ]

    def _quotes(self) -> list[dict[str, Any]]:
        """Quotes by speaker; fragments of under four words go to one "phrases" line each."""
        groups = quote_groups(self.brief.quotes, functools.partial(self.chips, kind="q"))
        for group in groups:
            short = [
                q
                for q in group["quotes"]
                if len(q["text"].split()) < PHRASE_WORDS and not q["variants"]
            ]
            group["phrases"] = short
            group["quotes"] = [q for q in group["quotes"] if q not in short]
        return groups

    def _entities(self) -> list[dict[str, Any]]:
        return [
            {
                "name": group,
                "count": len(entities),
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
        return timeline_events(
            self.brief.timeline,
            {a.id: a.text for a in self.articles},
            [a.published for a in self.articles],
            self.chips,
        )

    def _unique(self) -> list[dict[str, Any]]:
        return [
            {
                "label": self.outlets.label(article_id) if source else inline(article_id),
                "number": str(source.number) if source else "?",
                "href": f"#{article_anchor(article_id)}" if source else None,
                "count": len(items),
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
            found = self.index.copies.get(a.id)
            original = self.index.get(a.duplicate_of or (found.copy_of if found else None))
            out.append(
                {
                    "id": a.id,
                    "anchor": article_anchor(a.id),
                    "number": source.number,
                    "label": self.outlets.label(a.id),
                    "kind": self.outlets.kind(a.id),
                    "input": source_name(a.source),
                    "title": inline(a.title),
                    "byline": inline(a.byline),
                    "published": a.published,
                    "published_text": format_time(a.published) or "undated",
                    "url": safe_url(a.url),
                    "url_text": inline(a.url),
                    "lang": language_tag(a.language),
                    "words": len(a.text.split()),
                    "duplicate_of": (
                        {
                            "number": original.number,
                            "label": self.outlets.label(original.article.id),
                            "id": original.article.id,
                            "near": found is not None and found.kind == "near-copy",
                            "differs": found.differs if found else "",
                        }
                        if original
                        else None
                    ),
                    "text": mark_text(a.text, self.anchors.marks(a.id)),
                }
            )
        return out

    def build(self) -> dict[str, Any]:
        """Return the page data in reading order (the sections number the anchors in order)."""
        b = self.brief
        texts = {a.id: a.text for a in self.articles}
        data: dict[str, Any] = {
            "id": b.story.id,
            "headline": inline(b.story.headline) or b.story.id,
            "counts": self.outlets.counts(),
            "span": story_time_span(self.articles),
            "outlet_names": _outlet_names(self.outlets),
            "summary": [
                {
                    "segments": summary_segments(c, texts, b.conflicts),
                    "chips": self.chips(c.sources, c.spans),
                }
                for c in b.summary
            ],
            "conflicts": disagreement_rows(
                b.conflicts, self.outlets, functools.partial(self.chip, kind="fig")
            ),
            "quote_groups": self._quotes(),
            "framing": framing_rows(self.outlets, article_anchor),
            "facts": self._facts(),
            "timeline": self._timeline(),
            "entity_groups": self._entities(),
            "unique": self._unique(),
            "flags": [
                {"kind": inline(f.kind), "text": inline(f.text), "chips": self.chips(f.sources)}
                for f in b.flags
            ],
        }
        data["quote_count"] = sum(
            len(g["quotes"]) + len(g["phrases"]) for g in data["quote_groups"]
        )
        data["sources"] = self._sources()
        return data


def _outlet_names(outlets: Outlets) -> list[str]:
    """The named outlets of the independent reports (with their kind), then the unknown."""
    names: dict[str, str] = {}
    unknown = 0
    for a in outlets.articles:
        if outlets.original(a.id) != a.id:
            continue
        label = outlets.label(a.id)
        if label == UNKNOWN_OUTLET:
            unknown += 1
            continue
        kind = outlets.kind(a.id)
        names.setdefault(label, f"{label} ({kind})" if kind else label)
    out = list(names.values())
    if unknown:
        out.append(f"{unknown} of unknown outlet{'' if unknown == 1 else 's'}")
    return out


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


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
        "source": source_name(article.source),
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
