"""Resolution: date phrases pinned to the calendar against an anchor day (rules: package docs).

``resolve_dates(article, evidence, anchor)`` is the second step of date handling: a pure
function of the article's ``DateEvidence`` and the anchor ``infer_anchors`` chose for it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from synoptic.analyze.dates.evidence import DateEvidence, DateFinding
from synoptic.analyze.dates.phrases import SEASONS, DateExpr, Kind
from synoptic.analyze.dates.tense import Tense
from synoptic.model import Article, Record

Precision = Literal["day", "week", "month", "year"]


@dataclass(frozen=True, slots=True)
class DateMention(Record):
    """A date phrase of one article, resolved to the calendar when possible.

    Attributes:
        article: The article id.
        start: Start of the phrase in ``Article.text``.
        end: End of the phrase in ``Article.text``.
        text: The phrase as written ("on Wednesday", "last month", "in 2014", "January 10").
        sentence: The span ``(start, end)`` of the sentence the phrase belongs to.
        kind: ``"absolute"`` when the phrase names its year, else ``"relative"``.
        date: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; ``None`` when it cannot be resolved
            (a relative phrase without an anchor).
        precision: ``"day"``, ``"week"`` (the date is that week's Monday), ``"month"`` or
            ``"year"``; ``None`` when unresolved.
        tense: The tense of the clause the phrase dates, from its verbs.
    """

    article: str
    start: int
    end: int
    text: str
    sentence: tuple[int, int]
    kind: Kind
    date: str | None
    precision: Precision | None
    tense: Tense | None


def _fmt(day: dt.date, precision: Precision) -> str:
    if precision == "year":
        return f"{day.year:04d}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + (day.month - 1) + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _season_bounds(name: str, year: int) -> tuple[dt.date, dt.date]:
    first, last = SEASONS[name]
    start = dt.date(year, first, 1)
    end_year = year + 1 if last < first else year
    end = dt.date(end_year, last, calendar.monthrange(end_year, last)[1])
    return start, end


def _nearest(options: Iterable[dt.date], anchor: dt.date) -> dt.date:
    # Ties go to the later option (a present-tense report of a scheduled event).
    return min(options, key=lambda d: (abs((d - anchor).days), -d.toordinal()))


def _pick(
    past: dt.date, future: dt.date, anchor: dt.date, tense: Tense | None
) -> dt.date:  # past <= anchor <= future
    if tense == "past":
        return past
    if tense == "future":
        return future
    return _nearest((past, future), anchor)


def _month_day(expr: DateExpr, a: dt.date, tense: Tense | None) -> tuple[str, Precision] | None:
    """Resolve a month and day without a year ("January 10", "last January 22")."""
    month = (a.year, a.month)
    options = []
    for y in (a.year - 1, a.year, a.year + 1):
        try:
            options.append(dt.date(y, expr.m, expr.d))
        except ValueError:  # 29 February outside a leap year
            continue
    past = max((d for d in options if d <= a), default=None)
    future = min((d for d in options if d >= a), default=None)
    # "last January 22" written in January 1988 is 1987's: with its month named, "last"
    # and "next" skip the month of writing (else the bare date would do).
    if expr.rel == "last":
        tense, future = "past", None
        past = max((d for d in options if (d.year, d.month) < month), default=None)
    elif expr.rel == "next":
        tense, past = "future", None
        future = min((d for d in options if (d.year, d.month) > month), default=None)
    if past is not None and future is not None:
        return _fmt(_pick(past, future, a, tense), "day"), "day"
    only = past or future
    return (_fmt(only, "day"), "day") if only is not None else None


def resolve(
    expr: DateExpr, anchor: dt.date | None, tense: Tense | None, text: str = ""
) -> tuple[str, Precision] | None:
    """Resolve an expression to ``(date, precision)`` against ``anchor`` (see the package doc)."""
    t = expr.type
    if t == "ymd":
        return _fmt(dt.date(expr.y, expr.m, expr.d), "day"), "day"
    if t == "ym":
        return f"{expr.y:04d}-{expr.m:02d}", "month"
    if t == "y":
        return f"{expr.y:04d}", "year"
    if anchor is None:
        return None
    a = anchor
    if t == "weekday":
        back = (a.weekday() - expr.value) % 7
        forward = (expr.value - a.weekday()) % 7
        if expr.rel == "last":
            return _fmt(a - dt.timedelta(days=back or 7), "day"), "day"
        if expr.rel in ("next", "coming"):
            return _fmt(a + dt.timedelta(days=forward or 7), "day"), "day"
        day = _pick(a - dt.timedelta(days=back), a + dt.timedelta(days=forward), a, tense)
        return _fmt(day, "day"), "day"
    if t == "dayoff":
        return _fmt(a + dt.timedelta(days=expr.value), "day"), "day"
    if t == "unit":
        if expr.unit == "week":
            return _fmt(_monday(a) + dt.timedelta(weeks=expr.value), "day"), "week"
        if expr.unit == "weekend":
            saturday = _monday(a) + dt.timedelta(days=5 + 7 * expr.value)
            return _fmt(saturday, "day"), "day"
        if expr.unit == "month":
            return _fmt(_add_months(a, expr.value), "month"), "month"
        return f"{a.year + expr.value:04d}", "year"
    if t == "season":
        assert expr.unit is not None
        bounds = [(y, *_season_bounds(expr.unit, y)) for y in range(a.year - 2, a.year + 2)]
        if expr.value < 0:
            year = max(y for y, _s, e in bounds if e < a)
        elif expr.value > 0:
            year = min(y for y, s, _e in bounds if s > a)
        else:
            current = [y for y, s, e in bounds if s <= a <= e]
            year = current[0] if current else min(y for y, s, _e in bounds if s > a)
        return f"{year:04d}", "year"
    if t == "ago":
        n = expr.value
        if expr.unit == "day":
            return _fmt(a - dt.timedelta(days=n), "day"), "day"
        if expr.unit == "week":
            return _fmt(_monday(a - dt.timedelta(weeks=n)), "day"), "week"
        if expr.unit == "month":
            return _fmt(_add_months(a, -n), "month"), "month"
        return f"{a.year - n:04d}", "year"
    if t == "md":
        return _month_day(expr, a, tense)
    if t == "m":
        this = dt.date(a.year, expr.m, 1)
        month_start = dt.date(a.year, a.month, 1)
        past = this if this <= month_start else dt.date(a.year - 1, expr.m, 1)
        future = this if this >= month_start else dt.date(a.year + 1, expr.m, 1)
        if expr.rel == "last":  # "last March" in March: a year ago
            tense = "past"
            past = past if past < month_start else dt.date(a.year - 1, expr.m, 1)
        elif expr.rel == "next":
            tense = "future"
            future = future if future > month_start else dt.date(a.year + 1, expr.m, 1)
        return _fmt(_pick(past, future, month_start, tense), "month"), "month"
    if t == "dateparser":
        return _dateparser(text, a, tense)
    return None


def _dateparser(text: str, anchor: dt.date, tense: Tense | None) -> tuple[str, Precision] | None:
    """Last resort for spaCy date entities the rules do not read."""
    # Imported here: dateparser takes about a second to load and most articles never need it.
    from dateparser.date import DateDataParser

    settings = {
        "RELATIVE_BASE": dt.datetime(anchor.year, anchor.month, anchor.day, 12, 0),
        "PREFER_DATES_FROM": {"past": "past", "future": "future"}.get(
            tense or "", "current_period"
        ),
        "REQUIRE_PARTS": [],
    }
    data = DateDataParser(languages=["en"], settings=settings).get_date_data(text)
    if data is None or data.date_obj is None:
        return None
    day = data.date_obj.date()
    if day == anchor and not re.search(r"(?i)\b(?:today|now|tonight|this)\b", text):
        return None  # dateparser falls back to its base date for what it half-reads
    period = data.period or "day"
    if period == "year":
        return _fmt(day, "year"), "year"
    if period == "month":
        return _fmt(day, "month"), "month"
    if period == "week":
        return _fmt(_monday(day), "day"), "week"
    return _fmt(day, "day"), "day"


def _mention(article: Article, f: DateFinding, anchor: dt.date | None) -> DateMention:
    resolved = resolve(f.expr, anchor, f.tense, f.text)
    date, precision = resolved if resolved else (None, None)
    return DateMention(
        article=article.id,
        start=f.start,
        end=f.end,
        text=f.text,
        sentence=f.sentence,
        kind=f.expr.kind,
        date=date,
        precision=precision,
        tense=f.tense,
    )


def resolve_dates(
    article: Article, evidence: DateEvidence, anchor: dt.date | None
) -> tuple[DateMention, ...]:
    """Return the article's date phrases, resolved against ``anchor``.

    Args:
        article: The article the evidence was read from (``date_evidence``).
        evidence: The article's date evidence.
        anchor: The day relative phrases are relative to (see ``infer_anchors``); ``None``
            uses the article's own publication date, and leaves relative phrases unresolved
            when it has none.

    Returns:
        The mentions in reading order; durations and ages are not mentions.
    """
    if anchor is None:
        anchor = published_date(article.published)
    return tuple(_mention(article, f, anchor) for f in evidence.found)


def published_date(published: str | None) -> dt.date | None:
    """Return the calendar date of an ISO 8601 ``published`` value, as written.

    The date is read in the value's own offset (the day the report was written where it was
    written), never converted to UTC. Returns ``None`` for a missing or unreadable value.
    """
    if not published:
        return None
    value = published.strip()
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    return None
