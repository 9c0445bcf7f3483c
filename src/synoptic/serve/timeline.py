"""The story page's timeline: events in two groups (background, the story's days) and a chart.

What a reader is shown, from the brief's ``TimelineEvent`` values:

* one sentence once: a sentence printed under one date is not printed again under another;
  an event whose words lie within a longer event's sentence is that sentence, printed once,
  at the first date that reaches it;
* never a fragment: an event whose text opens mid-sentence ("will inspect the spillway on
  Wednesday") is read from its sentence's start in the article, verbatim, and its citation
  covers what is printed;
* background apart: an event dated more than a year before the story began (its first
  publication, else its latest dated event) is background ("The dam was completed in 1968"),
  listed under its own heading and kept off the chart of the story's days;
* a chart whose date labels never overlap: short labels ("14 Oct", "Oct 2024", "2018") laid
  on two rows, and a label that would still touch its neighbour is left out (its dot keeps the
  date in its tooltip and accessible name).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from synoptic.model import Span, TimelineEvent
from synoptic.render.common import inline

CHART_WIDTH = 760
# The chart a phone shows (synoptic.css swaps them below 48rem): drawn about 1:1 on a 390 px
# screen, so its 14-unit labels stay readable where the wide one would shrink them to 7 px
# or scroll inside its box. Fewer labels fit; a dot left unlabelled keeps its date in its
# tooltip and accessible name, and the list below the chart gives every event.
NARROW_WIDTH = 380
_AXIS_Y = 30
_MARGIN = 48
_ROW = 17  # the second row of labels sits this far below the first
# The label font is 14 SVG units (synoptic.css); a character of it is at most about this wide
# on average (digits ~7.8, "M" ~11.7, "t" ~3.9).
_CHAR_WIDTH = 8.2
_LABEL_GAP = 10
# An event this many days before the story began is background.
BACKGROUND_DAYS = 366
# How far back an event's sentence start is looked for, in characters.
_SENTENCE_REACH = 400
_YEAR = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s|\n")

Chips = Callable[[Sequence[str], Sequence[Span]], list[Any]]


def date_key(value: str) -> date | None:
    """Return the first day an event date (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) covers."""
    match = _YEAR.fullmatch(value)
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2) or 1), int(match.group(3) or 1))
    except ValueError:
        return None


def _norm(text: str) -> str:
    return " ".join(text.casefold().split()).strip(" .…")


def whole_sentence(event: TimelineEvent, texts: Mapping[str, str]) -> TimelineEvent:
    """Return ``event`` read from its sentence's start when its text opens mid-sentence.

    The text before the cited span, back to the previous sentence end or line break, is
    taken verbatim from the first cited article, and that article's span is widened to it.
    An event that opens with a capital, a digit or a quote mark is left as it is.
    """
    if not event.text[:1].islower() or not event.spans:
        return event
    span = event.spans[0]
    text = texts.get(span.article)
    if text is None or not 0 < span.start <= len(text):
        return event
    floor = max(0, span.start - _SENTENCE_REACH)
    left = floor
    for match in _SENTENCE_END.finditer(text, floor, span.start):
        left = match.end()
    while left < span.start and text[left].isspace():
        left += 1
    head = text[left : span.start]
    opens = head[:1].isupper() or head[:1].isdigit() or head[:1] in "“‘\"'("
    if not head.strip() or (left == floor and floor > 0) or not opens:
        return event  # no sentence start within reach: leave the words as cited
    wider = Span(span.article, left, span.end)
    return replace(event, text=text[left : span.end], spans=(wider, *event.spans[1:]))


def story_start(published: Sequence[str | None], dates: Sequence[str]) -> date | None:
    """Return the day the story began: its first publication, else its latest event date."""
    days = [date.fromisoformat(p[:10]) for p in published if p and _YEAR.match(p[:10])]
    if days:
        return min(days)
    keys = [k for d in dates if (k := date_key(d)) is not None]
    return max(keys) if keys else None


def timeline_events(
    events: Sequence[TimelineEvent],
    texts: Mapping[str, str],
    published: Sequence[str | None],
    chips: Chips,
) -> dict[str, Any]:
    """Return the timeline's template data: background and story events, and the chart.

    Args:
        events: The brief's timeline, in its order.
        texts: The story's article texts by id (to read a fragment from its sentence start).
        published: The articles' publication times (ISO 8601; ``None`` when undated).
        chips: The page's citation chips for ``(sources, spans)``.
    """
    whole = [whole_sentence(t, texts) for t in events]
    norms = [_norm(t.text) for t in whole]
    start = story_start(published, [t.date for t in whole])
    printed: set[int] = set()
    background: list[dict[str, Any]] = []
    story: list[dict[str, Any]] = []
    for t, norm in zip(whole, norms, strict=True):
        # Printed once, whole: an event within a longer one's sentence is that sentence,
        # printed at the first date that reaches it and never again.
        holder = max(
            (j for j, other in enumerate(norms) if norm and norm in other),
            key=lambda j: len(norms[j]),
            default=None,
        )
        if holder is None or holder in printed:
            continue
        printed.add(holder)
        shown = whole[holder]
        key = date_key(t.date)
        item = {
            "id": f"t{len(background) + len(story) + 1}",
            "date": inline(t.date),
            "datetime": t.date if key is not None else None,
            "text": inline(shown.text),
            "planned": t.kind == "planned",
            "chips": chips(shown.sources, shown.spans),
        }
        old = start is not None and key is not None and (start - key).days > BACKGROUND_DAYS
        (background if old else story).append(item)
    return {
        "events": background + story,
        "background": background,
        "story": story,
        "chart": timeline_chart(story),
        "narrow_chart": timeline_chart(story, NARROW_WIDTH),
    }


def _label(value: str, years: set[int]) -> str:
    """A short axis label: ``14 Oct``, ``Oct 2024`` or ``2018`` (the year on days only when
    the chart spans several years)."""
    key = date_key(value)
    if key is None:
        return value
    parts = value.split("-")
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        return f"{key:%b %Y}"
    return f"{key.day} {key:%b}" + (f" {key.year}" if len(years) > 1 else "")


def _place_labels(points: list[dict[str, Any]]) -> None:
    """Give each point a label row (0 or 1) or none, so that no two labels touch.

    Each row keeps the right edge of its last label; a label goes on the first row where it
    clears that edge by ``_LABEL_GAP``, else it is left out.
    """
    edges = [-math.inf, -math.inf]
    for p in points:
        half = len(p["label"]) * _CHAR_WIDTH / 2
        p["row"] = None
        for row in (0, 1):
            if p["x"] - half >= edges[row] + _LABEL_GAP:
                p["row"] = row
                edges[row] = p["x"] + half
                break


def timeline_chart(
    events: Sequence[dict[str, Any]], width: int = CHART_WIDTH
) -> dict[str, Any] | None:
    """Lay the timeline out for an inline SVG: one dot per distinct date, sized by its events.

    Dates are spaced evenly in order rather than to scale (events a week apart and the days
    between them read alike); a gap of more than a year between neighbours is drawn as a break
    in the axis. Labels are short, horizontal, on two rows, and never overlap
    (``_place_labels``). ``width`` is the drawing's width in SVG units (``CHART_WIDTH``, or
    ``NARROW_WIDTH`` for a phone).

    Returns:
        ``None`` when no event has a readable date; else the width, height, axis and points
        (``x``, ``r``, the date, its short label and row (``None``: not shown), ``label_y``,
        how many events, and the id of the first event to link to).
    """
    dated: dict[str, list[dict[str, Any]]] = {}
    for event in events:
        if date_key(event["date"]) is not None:
            dated.setdefault(event["date"], []).append(event)
    if not dated:
        return None
    order = sorted(dated, key=lambda d: (date_key(d), len(d)))
    years = {k.year for d in order if (k := date_key(d)) is not None}
    n = len(order)
    step = (width - 2 * _MARGIN) / max(n - 1, 1)
    points = []
    breaks = []
    for i, key in enumerate(order):
        x = _MARGIN + (i * step if n > 1 else (width - 2 * _MARGIN) / 2)
        count = len(dated[key])
        points.append(
            {
                "x": round(x, 1),
                "r": round(4 + 2.5 * math.sqrt(count - 1), 1),
                "date": key,
                "label": _label(key, years),
                "count": count,
                "href": f"#{dated[key][0]['id']}",
                "text": dated[key][0]["text"],
            }
        )
        if i:
            gap = date_key(key), date_key(order[i - 1])
            if gap[0] and gap[1] and (gap[0] - gap[1]).days > 366:
                breaks.append(round(x - step / 2, 1))
    _place_labels(points)
    label_y = _AXIS_Y + 26
    for p in points:
        p["label_y"] = label_y + _ROW * (p["row"] or 0)
    rows = 1 + any(p["row"] == 1 for p in points)
    return {
        "width": width,
        "height": label_y + _ROW * (rows - 1) + 8,
        "axis_y": _AXIS_Y,
        "x0": _MARGIN,
        "x1": width - _MARGIN,
        "points": points,
        "breaks": breaks,
    }


__all__ = [
    "CHART_WIDTH",
    "NARROW_WIDTH",
    "date_key",
    "story_start",
    "timeline_chart",
    "timeline_events",
    "whole_sentence",
]
