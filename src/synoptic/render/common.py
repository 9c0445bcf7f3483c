"""What every renderer shares: source numbering, safe URLs, text sanitising and groupings.

Each output format shows the same brief the same way (sources numbered in story order, quotes
grouped by speaker, unique items grouped by article), so the decisions live here once and the
format modules only lay them out.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from synoptic.analyze.units import format_amount
from synoptic.model import (
    IDENTICAL,
    Article,
    Brief,
    Cited,
    ConflictValue,
    Copy,
    Entity,
    Quote,
    Span,
    Unique,
)

# C0 controls except tab and newline, DEL and C1 controls: an escape sequence in article text
# must never reach a terminal, and none of them is readable in any format.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACE = re.compile(r"\s+")

UNATTRIBUTED = "Unattributed"

# Display groups for entity types (spaCy labels and plain words), in the order shown.
ENTITY_GROUPS: tuple[tuple[str, frozenset[str]], ...] = (
    ("People", frozenset({"PERSON", "PER", "PEOPLE"})),
    ("Organisations", frozenset({"ORG", "ORGANIZATION", "ORGANISATION", "NORP"})),
    ("Places", frozenset({"GPE", "LOC", "PLACE", "LOCATION", "FAC"})),
)
OTHER_GROUP = "Other"


def sanitize(text: str) -> str:
    """Replace control characters with U+FFFD, one for one (so span offsets still hold)."""
    return _CONTROL.sub("\ufffd", text)


def inline(text: str | None) -> str:
    """Return ``text`` sanitised and folded onto one line (runs of whitespace become a space)."""
    if not text:
        return ""
    return _SPACE.sub(" ", sanitize(text)).strip()


def safe_url(url: str | None) -> str | None:
    """Return ``url`` if it may be shown as a link, else ``None``.

    Only absolute ``http``/``https`` URLs with a host qualify: article metadata is untrusted,
    and a ``javascript:`` or ``data:`` URL must never become a link. URLs holding whitespace or
    control characters are refused rather than repaired, since a repaired URL is not the one
    the input gave.
    """
    if not url:
        return None
    url = url.strip()
    if _SPACE.search(url) or _CONTROL.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def format_value(
    value: float | None,
    unit: str | None,
    *,
    low: float | None = None,
    high: float | None = None,
    approx: str | None = None,
) -> str:
    """Return a conflict value for display: ``100,000 troops``, ``7.5 hours``, or ``—``.

    Units are written as a reader expects them ("1 hour", "7.5 hours", "€240 million", "4%").
    With ``approx`` (and the interval, ``high=None`` meaning open above) the wording's
    approximation is kept: "about 70,000 troops", "at least €300 million", "$140–150 million".
    """
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return f"— {inline(unit)}" if unit else "—"
    unit = inline(unit) or None
    if approx == "range" and low is not None and high is not None and low < high:
        lo, hi = format_amount(low, unit), format_amount(high, unit)
        shared = _shared_suffix(lo, hi)
        return f"{lo[: len(lo) - len(shared)].rstrip()}–{hi}" if shared else f"{lo}–{hi}"
    amount = format_amount(value, unit)
    if approx == "about":
        return f"about {amount}"
    if approx == "over":
        return f"at least {amount}" if high is None else f"over {amount}"
    if approx == "under":
        return f"up to {amount}"
    return amount


def conflict_value_display(value: ConflictValue) -> str:
    """Return one side of a numeric conflict for display, approximation included."""
    return format_value(
        value.value, value.unit, low=value.low, high=value.high, approx=value.approx
    )


def _shared_suffix(a: str, b: str) -> str:
    """The unit words both ends of a range share ("€240 million" / "€300 million": " million")."""
    words_a, words_b = a.split(" "), b.split(" ")
    n = 0
    while n < min(len(words_a), len(words_b)) - 1 and words_a[-1 - n] == words_b[-1 - n]:
        n += 1
    return " " + " ".join(words_a[len(words_a) - n :]) if n else ""


UNKNOWN_OUTLET = "unknown outlet"


def outlet_label(article: Article | Any) -> str:
    """Return who published ``article``: its outlet, its URL's domain, or "unknown outlet".

    Never the input's file name or line number: they say where a reader found the text, not
    who wrote it ("ecb300.jsonl:101" is no outlet).
    """
    outlet = inline(article.outlet)
    if outlet:
        return outlet
    url = safe_url(article.url)
    host = urlsplit(url).hostname if url else None
    if host:
        return host.removeprefix("www.")
    return UNKNOWN_OUTLET


@dataclass(frozen=True, slots=True)
class Source:
    """One article as a numbered source of a brief."""

    number: int
    article: Article

    @property
    def label(self) -> str:
        """The outlet, its URL's domain, or "unknown outlet" (see ``outlet_label``)."""
        return outlet_label(self.article)


class SourceIndex:
    """Numbers a story's articles 1..n in story order, the numbers every marker ``[n]`` uses."""

    def __init__(self, articles: Sequence[Article], copies: Sequence[Copy] = ()) -> None:
        self.sources = [Source(i, a) for i, a in enumerate(articles, start=1)]
        self._by_id = {s.article.id: s for s in reversed(self.sources)}
        self.copies = {c.article: c for c in copies}

    def copy_cell(self, article: Article) -> str:
        """The "Copy of" cell: ``[2]`` for an identical copy, ``[2], new headline`` for a
        marked copy with changes, ``near-copy of [2], 1 sentence edited`` for a near-copy
        (``Brief.copies``), else a dash."""
        found = self.copies.get(article.id)
        if found is None:
            return f"[{self.number(article.duplicate_of)}]" if article.duplicate_of else "—"
        marker = f"[{self.number(found.copy_of)}]"
        if found.kind == "near-copy":
            return f"near-copy of {marker}, {found.differs}"
        return marker if found.differs == IDENTICAL else f"{marker}, {found.differs}"

    def get(self, article_id: str | None) -> Source | None:
        """Return the source for ``article_id``, or ``None`` if the story has no such article."""
        return self._by_id.get(article_id) if article_id is not None else None

    def number(self, article_id: str) -> str:
        """Return the marker number of ``article_id`` (``?`` for an id outside the story)."""
        source = self._by_id.get(article_id)
        return str(source.number) if source else "?"

    def markers(self, article_ids: Iterable[str]) -> str:
        """Return ``[1][3]`` for the given ids, in source order (unknown ids, ``[?]``, last)."""
        numbers = sorted(
            {self.number(a) for a in article_ids}, key=lambda n: int(n) if n.isdigit() else 1 << 30
        )
        return "".join(f"[{n}]" for n in numbers)


def first_span(spans: Iterable[Span], article_id: str) -> Span | None:
    """Return the first of ``spans`` citing ``article_id``."""
    return next((s for s in spans if s.article == article_id), None)


def quotes_by_speaker(quotes: Sequence[Quote]) -> list[tuple[str, list[Quote]]]:
    """Group quotes by speaker in first-seen order; unattributed quotes come last."""
    groups: dict[str | None, list[Quote]] = {}
    for quote in quotes:
        speaker = inline(quote.speaker) or None
        groups.setdefault(speaker, []).append(quote)
    named = [(k, v) for k, v in groups.items() if k is not None]
    if None in groups:
        named.append((UNATTRIBUTED, groups[None]))
    return [(str(k), v) for k, v in named]


def quote_groups(
    quotes: Sequence[Quote], chips: Callable[[Sequence[str], Sequence[Span]], list[Any]]
) -> list[dict[str, Any]]:
    """Return the quotes grouped by speaker as template data (see ``quotes_by_speaker``).

    Args:
        quotes: The brief's quotes.
        chips: The renderer's citation chips for ``(sources, spans)``; called for each quote,
            then for each of its variants, in reading order (chips may number anchors).
    """
    return [
        {
            "speaker": speaker,
            "quotes": [
                {
                    "text": inline(q.text),
                    "relayed_by": inline(q.relayed_by),
                    "chips": chips(q.sources, q.spans),
                    "variants": [
                        {"text": inline(v.text), "chips": chips(v.sources, v.spans)}
                        for v in q.variants
                    ],
                }
                for q in group
            ],
        }
        for speaker, group in quotes_by_speaker(quotes)
    ]


def entity_group(entity_type: str) -> str:
    """Return the display group (People, Organisations, Places, Other) of an entity type."""
    key = entity_type.strip().upper()
    for name, types in ENTITY_GROUPS:
        if key in types:
            return name
    return OTHER_GROUP


def entities_by_group(entities: Sequence[Entity]) -> list[tuple[str, list[Entity]]]:
    """Group entities into People, Organisations, Places and Other, keeping their order."""
    groups: dict[str, list[Entity]] = {}
    for entity in entities:
        groups.setdefault(entity_group(entity.type), []).append(entity)
    order = [name for name, _ in ENTITY_GROUPS] + [OTHER_GROUP]
    return [(name, groups[name]) for name in order if name in groups]


def unique_by_article(brief: Brief) -> list[tuple[Source | None, str, list[Unique]]]:
    """Group unique items by article, in story order.

    Returns:
        ``(source, article_id, items)`` triples; ``source`` is ``None`` for an id outside the
        story (shown rather than dropped, so that a synthesis bug stays visible).
    """
    index = SourceIndex(brief.story.articles)
    groups: dict[str, list[Unique]] = {}
    for item in brief.unique:
        groups.setdefault(item.article, []).append(item)

    def order(article_id: str) -> int:
        source = index.get(article_id)
        return source.number if source else len(index.sources) + 1

    return [(index.get(k), k, groups[k]) for k in sorted(groups, key=order)]


def fact_matrix(brief: Brief) -> list[tuple[Cited, list[bool]]]:
    """Return, per fact, whether each article of the story (in order) supports it."""
    ids = [a.id for a in brief.story.articles]
    return [(fact, [a in set(fact.sources) for a in ids]) for fact in brief.facts]


def language_tag(language: str | None) -> str | None:
    """Return ``language`` if it looks like a BCP 47 tag (for HTML ``lang``), else ``None``."""
    if language and re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", language):
        return language
    return None
