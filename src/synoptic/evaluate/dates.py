"""Scoring resolved dates against gold date phrases.

A gold entry is a snippet holding a date phrase in one article (``file``, ``text``; repeated
snippets are taken in order), the calendar date it means (``date``: ``YYYY-MM-DD``, ``YYYY-MM``
or ``YYYY``; ``null`` when the report does not fix it) and, for a week ("next week"),
``precision: "week"`` with the week's Monday as its date.

``locate`` finds a snippet in an article's text. ``score_timeline`` scores a story's timeline
(Brief JSON ``timeline``: events with a date and the sentences that report them) against the
gold: a gold phrase is *on the timeline* when a cited sentence holds it, and *right* when one
of the events citing that sentence carries its date in the timeline's form (a week shows as the
month holding its Thursday, the ISO week rule, since the contract has no week form), or when
every event citing that sentence carries the gold date of some phrase of it: a sentence is
listed once, under the date of the event it reports, so its other phrases are not shown, but
none is shown wrong.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


def locate(text: str, snippet: str, nth: int = 0) -> int | None:
    """Return the offset of the ``nth`` (0-based) occurrence of ``snippet`` in ``text``."""
    pos = -1
    for _ in range(nth + 1):
        pos = text.find(snippet, pos + 1)
        if pos < 0:
            return None
    return pos


def timeline_form(date: str, precision: str | None = None) -> str:
    """Return a gold date as a timeline shows it (a week: the month of its Thursday)."""
    if precision != "week":
        return date
    thursday = dt.date.fromisoformat(date) + dt.timedelta(days=3)
    return f"{thursday.year:04d}-{thursday.month:02d}"


@dataclass(frozen=True, slots=True)
class CitedDate:
    """One sentence a timeline event cites: the event's date, the article, the span."""

    date: str
    file: str
    start: int
    end: int


@dataclass
class DateScore:
    """Counts of timeline scoring against gold date phrases."""

    gold: int = 0  # gold phrases with a date
    unlocated: int = 0  # gold snippets not found in the article text
    on_timeline: int = 0  # gold phrases inside a sentence the timeline cites
    right: int = 0  # ... whose date is among the dates of the events citing it
    cited: int = 0  # (event, sentence) pairs whose sentence holds a gold phrase
    cited_right: int = 0  # ... whose event date is the date of a gold phrase it holds

    def accuracy(self) -> float:
        """Share of the gold phrases on the timeline that it dates right."""
        return self.right / self.on_timeline if self.on_timeline else 0.0

    def coverage(self) -> float:
        """Share of the dated gold phrases whose sentence the timeline cites."""
        return self.on_timeline / self.gold if self.gold else 0.0

    def precision(self) -> float:
        """Share of the cited sentences holding a gold phrase that are dated as one of them."""
        return self.cited_right / self.cited if self.cited else 0.0


def score_timeline(
    texts: Mapping[str, str],
    cited: Iterable[CitedDate],
    gold: Sequence[Mapping[str, Any]],
    score: DateScore | None = None,
) -> DateScore:
    """Score a story's timeline against the gold date phrases of its articles.

    Args:
        texts: Each article's text, by gold file name (articles of the story only).
        cited: Every (event date, cited sentence) of the story's timeline.
        gold: Gold entries; those of files not in ``texts`` are skipped.
        score: Counts to add to (a new one when ``None``).
    """
    score = score if score is not None else DateScore()
    cited = list(cited)
    seen: Counter[tuple[str, str]] = Counter()
    # (file, start, end) of each cited sentence -> the gold dates of the phrases inside it.
    inside: dict[tuple[str, int, int], set[str]] = {}
    placed: list[tuple[str, list[CitedDate]]] = []
    for g in gold:
        if g["file"] not in texts:
            continue
        key = (g["file"], g["text"])
        nth = seen[key]
        seen[key] += 1
        if g.get("date") is None:
            continue
        score.gold += 1
        pos = locate(texts[g["file"]], g["text"], nth)
        if pos is None:
            score.unlocated += 1
            continue
        end = pos + len(g["text"])
        want = timeline_form(g["date"], g.get("precision"))
        holding = [c for c in cited if c.file == g["file"] and c.start <= pos and end <= c.end]
        for c in holding:
            inside.setdefault((c.file, c.start, c.end), set()).add(want)
        if holding:
            score.on_timeline += 1
            placed.append((want, holding))
    for want, holding in placed:
        # Right: shown under its own date, or its sentence shown only under the gold dates of
        # its phrases (a sentence is listed once, under the date of the event it reports).
        score.right += any(c.date == want for c in holding) or all(
            c.date in inside[(c.file, c.start, c.end)] for c in holding
        )
    for c in cited:
        dates = inside.get((c.file, c.start, c.end))
        if dates:
            score.cited += 1
            score.cited_right += c.date in dates
    return score
