"""Scoring timeline entries: is each entry dated with the date of the event it reports?

Gold comes from MEANTIME's temporal links (``../shared/data/timeline-meantime``): an in-text
date expression (``DATE`` timex on the calendar, not the creation time) *dates an event* when
an event is linked to it as happening then (``IS_INCLUDED``, ``SIMULTANEOUS``, ``BEGINS``,
``ENDS``, or the timex ``INCLUDES`` the event). It dates a *planned* event when that event is
marked ``FUTURE`` (or ends by it: a deadline, ``ENDED_BY``). A date linked to its events only as
a bound ("since 2004": ``BEGUN_BY``; ``BEFORE``, ``AFTER``, a ``MEASURE``) dates no event.

An entry (date, kind, text) is judged on the date expressions inside its text:

* *right* when its date is one that dates an event of the sentence, or one that dates a planned
  event and the entry is marked ``planned``;
* *wrong* otherwise (a "since" date, a target listed as an event, a resolution error), and every
  listing of a sentence after its first is wrong (a sentence is listed once);
* *unjudged* when the date expressions inside it that carry its date are linked to no event,
  or none inside it is linked at all (MEANTIME's links are not exhaustive), or its text is not
  found in the gold article. A date no expression inside the sentence carries is wrong as soon
  as one expression is linked (a resolution error).

``coverage`` is the share of gold sentences holding an event date that the timeline lists.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# A MEANTIME DATE value on the calendar: a year, month, day, or ISO week.
_CALENDAR = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?|-W(\d{2}))?")
_AT = {"IS_INCLUDED", "SIMULTANEOUS", "BEGINS", "ENDS", "DURING", "IDENTITY"}
_HOLDS = {"INCLUDES", "SIMULTANEOUS", "BEGUN_BY", "ENDED_BY", "DURING", "IDENTITY"}


def calendar_form(value: str) -> str | None:
    """Return a MEANTIME value as a timeline date (a week: the month of its Thursday)."""
    m = _CALENDAR.fullmatch(value or "")
    if m is None:
        return None
    if m.group(4):
        thursday = dt.date.fromisocalendar(int(m.group(1)), int(m.group(4)), 4)
        return f"{thursday.year:04d}-{thursday.month:02d}"
    return value


@dataclass(frozen=True, slots=True)
class GoldDate:
    """One in-text date expression of a gold article and what it dates."""

    start: int
    end: int
    date: str
    role: str  # "event", "planned", "bound" (since/before/after), "unlinked"


def gold_dates(row: Mapping[str, Any]) -> list[GoldDate]:
    """Return the calendar date expressions of one MEANTIME article with their roles."""
    timexes = {t["id"]: t for t in row["timexes"]}
    events = {e["id"]: e for e in row["events"]}
    roles: dict[str, set[str]] = {}
    for link in row["tlinks"]:
        src, tgt, rel = link["source"], link["target"], link["reltype"]
        if src in events and tgt in timexes:
            event, timex, at = events[src], tgt, rel in _AT
            deadline = rel == "ENDED_BY"
        elif tgt in events and src in timexes:
            event, timex, at = events[tgt], src, rel in _HOLDS and rel not in ("BEGUN_BY",)
            deadline = False
        else:
            continue
        future = event.get("time") == "FUTURE"
        if at and not future:
            roles.setdefault(timex, set()).add("event")
        elif (at or deadline) and future:
            roles.setdefault(timex, set()).add("planned")
        else:
            roles.setdefault(timex, set()).add("bound")
    out = []
    for t in row["timexes"]:
        date = calendar_form(t.get("value") or "")
        if t["type"] != "DATE" or t["function"] == "CREATION_TIME" or date is None:
            continue
        if t["start"] is None:
            continue
        got = roles.get(t["id"], set())
        role = next((r for r in ("event", "planned", "bound") if r in got), "unlinked")
        out.append(GoldDate(t["start"], t["end"], date, role))
    return out


@dataclass(frozen=True, slots=True)
class Entry:
    """One timeline entry as the scorer reads it."""

    file: str
    date: str
    text: str
    planned: bool = False


@dataclass
class EntryScore:
    """Counts of timeline entries judged against MEANTIME's event dates."""

    entries: int = 0
    judged: int = 0
    right: int = 0
    repeated: int = 0  # listings of a sentence after its first (counted wrong)
    unlocated: int = 0
    gold_sentences: int = 0  # sentences holding a date that dates an event
    covered: int = 0
    wrong: list[str] = field(default_factory=list)

    def accuracy(self) -> float:
        """Share of the judged entries dated with the date of the event they report."""
        return self.right / self.judged if self.judged else 0.0

    def coverage(self) -> float:
        """Share of the gold event sentences the timeline lists."""
        return self.covered / self.gold_sentences if self.gold_sentences else 0.0

    def line(self) -> str:
        """One line of figures."""
        return (
            f"entries right {self.accuracy():.3f} ({self.right}/{self.judged} judged, "
            f"{self.entries} listed, {self.repeated} repeats)   "
            f"event sentences listed {self.coverage():.3f} ({self.covered}/{self.gold_sentences})"
        )


def score_entries(
    entries: Iterable[Entry],
    rows: Mapping[str, Mapping[str, Any]],
    score: EntryScore | None = None,
) -> EntryScore:
    """Judge timeline entries against the gold of their articles.

    Args:
        entries: The entries (each with its gold file name: a MEANTIME id).
        rows: The MEANTIME rows by id.
        score: Counts to add to.
    """
    score = score if score is not None else EntryScore()
    listed: dict[str, set[tuple[int, int]]] = {}
    golds = {f: gold_dates(r) for f, r in rows.items()}
    for e in entries:
        row = rows.get(e.file)
        if row is None:
            continue
        score.entries += 1
        pos = row["text"].find(e.text)
        if pos < 0:
            score.unlocated += 1
            continue
        end = pos + len(e.text)
        inside = [g for g in golds[e.file] if pos <= g.start and g.end <= end]
        seen = listed.setdefault(e.file, set())
        if (pos, end) in seen:
            score.judged += 1
            score.repeated += 1
            score.wrong.append(f"{e.file} {e.date} REPEAT {e.text[:90]!r}")
            continue
        seen.add((pos, end))
        same = [g for g in inside if g.date == e.date]
        ok = any(g.role == "event" or (g.role == "planned" and e.planned) for g in same)
        if not ok and (
            not inside
            or (same and all(g.role == "unlinked" for g in same))
            or all(g.role == "unlinked" for g in inside)
        ):
            continue  # no gold link says what this date dates
        score.judged += 1
        score.right += ok
        if not ok:
            roles = ", ".join(f"{g.date}:{g.role}" for g in inside)
            mark = " planned" if e.planned else ""
            score.wrong.append(f"{e.file} {e.date}{mark} [gold {roles}] {e.text[:90]!r}")
    return score


def score_coverage(
    files: Iterable[str],
    listed: Iterable[Entry],
    rows: Mapping[str, Mapping[str, Any]],
    score: EntryScore,
) -> EntryScore:
    """Add the coverage counts: gold event sentences of ``files`` whose text an entry lists."""
    texts: dict[str, list[tuple[int, int]]] = {}
    for e in listed:
        row = rows.get(e.file)
        if row is None:
            continue
        pos = row["text"].find(e.text)
        if pos >= 0:
            texts.setdefault(e.file, []).append((pos, pos + len(e.text)))
    for f in files:
        row = rows[f]
        spans = [tuple(s) for s in row["sentences"][2:]]
        events = [g for g in gold_dates(row) if g.role == "event"]
        for s0, s1 in spans:
            if not any(s0 <= g.start < s1 for g in events):
                continue
            score.gold_sentences += 1
            score.covered += any(a < s1 and s0 < b for a, b in texts.get(f, []))
    return score
