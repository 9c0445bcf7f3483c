"""What a reader needs first on a story page: honest counts, disputed figures, disagreements.

Template data only (no I/O, no HTML). The counts tell reports, independent outlets and wire
copies apart: a copy (an article with ``duplicate_of``) is not another outlet's account, so it
neither adds an outlet nor doubles a figure. An article without an outlet is shown under its
URL's domain, else as "unknown outlet" (never under its file name or line number, which say
where the server read it, not who wrote it); each such article counts as one outlet, since
nothing shows two of them come from the same newsroom.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from synoptic.model import Article, Brief, Cited, Conflict, ConflictValue, Copy, Span
from synoptic.render.common import (
    UNKNOWN_OUTLET,
    conflict_value_display,
    inline,
    outlet_label,
)

# The conflicts stage names a rising tally with this suffix (synthesize/conflicts.py).
_UPDATE = re.compile(r"\s*\(update:[^)]*\)\s*$")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*(?=\s)|\n")
FIRST_SENTENCE_CHARS = 280


def source_name(source: str | None) -> str:
    """Return an input's name without its location on the server (a URL stays whole).

    ``/home/x/feeds/ebn.jsonl:12`` becomes ``ebn.jsonl:12``: the page and the API say which
    input an article came from, never where the server's files live.
    """
    text = inline(source)
    if not text or "://" in text:
        return text
    return re.split(r"[\\/]", text.rstrip("/\\"))[-1] or text


def parse_time(value: str | None) -> datetime | None:
    """Read an ISO 8601 time (a bare date counts as midnight UTC); ``None`` if unreadable."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def format_time(value: str | None) -> str:
    """Return an ISO time as ``14 Oct 2024, 17:30 UTC`` (the page's one zone); a date as is."""
    if not value:
        return ""
    parsed = parse_time(value)
    if parsed is None:
        return inline(value)
    if len(value) <= 10:
        return f"{parsed.day} {parsed:%b %Y}"
    parsed = parsed.astimezone(UTC)
    return f"{parsed.day} {parsed:%b %Y, %H:%M} UTC"


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


@dataclass(frozen=True, slots=True)
class Counts:
    """Reports, independent outlets and wire copies of a story."""

    reports: int
    outlets: int
    copies: int

    @property
    def text(self) -> str:
        """``7 reports · 6 outlets · 1 wire copy`` (the copies part only when there are any)."""
        parts = [
            _plural(self.reports, "report", "reports"),
            _plural(self.outlets, "outlet", "outlets"),
        ]
        if self.copies:
            parts.append(_plural(self.copies, "wire copy", "wire copies"))
        return " · ".join(parts)


class Outlets:
    """Who stands behind each article of a story, with copies folded into their originals.

    Args:
        articles: The story's articles.
    """

    def __init__(
        self,
        articles: Sequence[Article],
        attributions: Iterable[Mapping[str, Any]] = (),
        copies: Iterable[Copy] = (),
    ) -> None:
        self.by_id = {a.id: a for a in articles}
        self.articles = list(articles)
        # The brief's copies: a near-copy (one wire story republished with edits) is folded
        # into the report it copies, as a marked copy is.
        self.copy_of = {c.article: c.copy_of for c in copies}
        # The brief's outlet attributions (the outlets registry): who an article counts for
        # (an agency for its republished wire story, a parent for its outlets) and its kind.
        self.attributions = {str(o.get("article")): o for o in attributions}

    def label(self, article_id: str) -> str:
        """Return the outlet an article is shown under (see ``outlet_label``)."""
        article = self.by_id.get(article_id)
        if article is None:
            return UNKNOWN_OUTLET
        if not inline(article.outlet):
            name = inline(str(self.attributions.get(article_id, {}).get("name") or ""))
            if name:
                return name
        return outlet_label(article)

    def kind(self, article_id: str) -> str | None:
        """Return the registry's kind of an article's outlet (wire, public, ...), if known."""
        kind = self.attributions.get(article_id, {}).get("kind")
        return inline(str(kind)) if kind else None

    def original(self, article_id: str) -> str:
        """Return the id of the report ``article_id`` copies (itself if it is no copy)."""
        seen = {article_id}
        current = self.by_id.get(article_id)
        while current is not None:
            target = current.duplicate_of or self.copy_of.get(current.id)
            if not target or target in seen:
                break
            seen.add(target)
            nxt = self.by_id.get(target)
            if nxt is None:
                break
            current = nxt
        return current.id if current is not None else article_id

    def key(self, article_id: str) -> str:
        """Return the outlet an article counts under: a named outlet, or the report itself."""
        original = self.original(article_id)
        article = self.by_id.get(original)
        if article is None:
            return article_id
        key = self.attributions.get(original, {}).get("key")
        if key and not str(key).startswith("article:"):
            return str(key)
        label = self.label(original)
        return article.id if label == UNKNOWN_OUTLET else label.casefold()

    def count(self, article_ids: Iterable[str]) -> int:
        """Return how many independent outlets the given articles come from."""
        return len({self.key(a) for a in article_ids})

    def counts(self) -> Counts:
        """Return the story's counts."""
        copies = sum(1 for a in self.articles if self.original(a.id) != a.id)
        return Counts(len(self.articles), self.count(a.id for a in self.articles), copies)

    def copies_of(self, article_id: str) -> list[Article]:
        """Return the articles that copy ``article_id`` (marked copies and near-copies)."""
        return [
            a for a in self.articles if a.id != article_id and self.original(a.id) == article_id
        ]

    def independent(self, article_ids: Iterable[str]) -> list[str]:
        """Return the ids with copies replaced by their originals, each once, in order."""
        return list(dict.fromkeys(self.original(a) for a in article_ids))


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


# -- the summary's disputed figures --------------------------------------------------------------


def _disputed_spans(conflicts: Sequence[Conflict]) -> list[tuple[Span, int]]:
    return [
        (span, number)
        for number, conflict in enumerate(conflicts, start=1)
        for value in conflict.values
        for span in value.spans
    ]


def summary_segments(
    item: Cited, texts: dict[str, str], conflicts: Sequence[Conflict]
) -> list[dict[str, Any]]:
    """Split a summary sentence into plain text and the figures outlets dispute.

    A figure is disputed where a conflict value's span lies inside the span the summary cites
    (same article) and the summary's text is that span's text, so its offset is known.

    Returns:
        ``{"text": ..., "conflict": n | None}`` pieces in order; ``n`` numbers the conflict.
    """
    text = inline(item.text)
    hits: list[tuple[int, int, int]] = []
    for span in item.spans:
        source = texts.get(span.article)
        cited = source[span.start : span.end] if source is not None else ""
        if cited.strip() != text:
            continue  # not the sentence verbatim (folded lines): offsets would not line up
        lead = len(cited) - len(cited.lstrip())
        for value_span, number in _disputed_spans(conflicts):
            if value_span.article != span.article:
                continue
            if span.start <= value_span.start < value_span.end <= span.end:
                start = value_span.start - span.start - lead
                hits.append((start, start + value_span.end - value_span.start, number))
        if hits:
            break
    out: list[dict[str, Any]] = []
    pos = 0
    for start, end, number in sorted(set(hits)):
        if start < pos or start < 0 or end > len(text):
            continue
        if start > pos:
            out.append({"text": text[pos:start], "conflict": None})
        out.append({"text": text[start:end], "conflict": number})
        pos = end
    if pos < len(text):
        out.append({"text": text[pos:], "conflict": None})
    return out


# -- "Where they disagree" ---------------------------------------------------------------------


def _value_display(conflict: Conflict, value: ConflictValue) -> str:
    if conflict.kind == "number":
        return conflict_value_display(value)
    return _clip(inline(value.text), 160)


def disagreement_rows(
    conflicts: Sequence[Conflict],
    outlets: Outlets,
    chip: Callable[[str, Sequence[Span]], Any],
) -> list[dict[str, Any]]:
    """Return one row per conflict: its topic and each value with its outlets and times.

    A rising tally (the conflicts stage marks it as an update) lists its values in publication
    order and says so as a sequence, ``3 → 4 → 5``; a copy is folded into its original, so a
    wire sentence is shown once with "+1 copy".
    """
    rows = []
    for number, conflict in enumerate(conflicts, start=1):
        topic = inline(conflict.topic)
        update = bool(_UPDATE.search(topic))
        topic = _UPDATE.sub("", topic)
        values: list[dict[str, Any]] = []
        for value in conflict.values:
            ids = outlets.independent(value.sources or [s.article for s in value.spans])
            reports = []
            for article_id in ids:
                article = outlets.by_id.get(article_id)
                if article is None:
                    continue
                spans = [s for s in value.spans if outlets.original(s.article) == article_id]
                copies = sum(
                    1
                    for a in value.sources
                    if a != article_id and outlets.original(a) == article_id
                )
                text = outlets.by_id[spans[0].article].text if spans else ""
                words = sentence_around(text, spans[0].start, spans[0].end) if spans else None
                reports.append(
                    {
                        "words": words,
                        "label": outlets.label(article_id),
                        "chip": chip(spans[0].article if spans else article_id, spans),
                        "published": article.published,
                        "time": format_time(article.published) or "undated",
                        "copies": copies,
                    }
                )
            times = [t for r in reports if (t := parse_time(r["published"])) is not None]
            values.append(
                {
                    "display": _value_display(conflict, value),
                    "reports": reports,
                    "first": min(times) if times else None,
                }
            )
        if update:
            never = datetime.max.replace(tzinfo=UTC)
            values.sort(key=lambda v: v["first"] or never)
        rows.append(
            {
                "id": f"conflict-{number}",
                "topic": topic,
                "kind": conflict.kind,
                "is_update": update,
                "sequence": " → ".join(str(v["display"]) for v in values) if update else None,
                "sides": values,
            }
        )
    return rows


# -- how each outlet framed it -----------------------------------------------------------------


LEDE_WORDS = 6


def first_sentence(text: str, limit: int = FIRST_SENTENCE_CHARS) -> str:
    """Return the first sentence of ``text`` (clipped to ``limit`` characters).

    A short line before it (a dateline, "Words: Leo Varga", a section name) is skipped: a
    sentence has at least ``LEDE_WORDS`` words, else the first line stands.
    """
    body = text.lstrip()
    start, first = 0, ""
    while start < len(body):
        match = _SENTENCE_END.search(body, start, min(len(body), start + limit + 1))
        end = match.end() if match else min(len(body), start + limit)
        piece = inline(body[start:end])
        first = first or piece
        if len(piece.split()) >= LEDE_WORDS:
            return _clip(piece, limit)
        if match is None:
            break
        start = end
    return _clip(first, limit)


def framing_rows(outlets: Outlets, anchor: Callable[[str], str]) -> list[dict[str, Any]]:
    """Return one row per independent report, earliest first: outlet, time, headline, lede."""
    never = datetime.max.replace(tzinfo=UTC)
    originals = [a for a in outlets.articles if outlets.original(a.id) == a.id]
    originals.sort(key=lambda a: parse_time(a.published) or never)
    return [
        {
            "label": outlets.label(a.id),
            "kind": outlets.kind(a.id),
            "href": f"#{anchor(a.id)}",
            "published": a.published,
            "time": format_time(a.published) or "undated",
            "title": inline(a.title),
            "lede": first_sentence(a.text),
            "copies": [outlets.label(c.id) for c in outlets.copies_of(a.id)],
        }
        for a in originals
    ]


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def story_time_span(articles: Sequence[Article]) -> str:
    """Return the span of the dated reports' publication times in UTC ("" if none is dated)."""
    dated = sorted(t for a in articles if (t := parse_time(a.published)) is not None)
    if not dated:
        return ""
    a, b = dated[0].astimezone(UTC), dated[-1].astimezone(UTC)
    if a == b:
        return f"{a.day} {a:%b %Y, %H:%M} UTC"
    if a.date() == b.date():
        return f"{a.day} {a:%b %Y, %H:%M}–{b:%H:%M} UTC"
    return f"{a.day} {a:%b %Y, %H:%M} – {b.day} {b:%b %Y, %H:%M} UTC"


def brief_counts(brief: Brief) -> Counts:
    """Return the counts of a brief's story."""
    return Outlets(brief.story.articles, brief.outlets, brief.copies).counts()


__all__ = [
    "UNKNOWN_OUTLET",
    "Counts",
    "Outlets",
    "brief_counts",
    "disagreement_rows",
    "first_sentence",
    "format_time",
    "framing_rows",
    "outlet_label",
    "parse_time",
    "source_name",
    "story_time_span",
    "summary_segments",
]
