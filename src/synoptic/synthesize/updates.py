"""Update or conflict: whether disagreeing figures are one count rising over time.

Step 7 of ``synthesize.conflicts``: when articles are dated and a count rises with the date (a
death toll of 4 on Tuesday, 5 on Wednesday), later reports update earlier ones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Protocol


class Figure(Protocol):
    """What the update rule reads of one article's figure."""

    article: str

    @property
    def bvalue(self) -> float:
        """The figure in the unit of comparison."""
        ...


def parse_date(value: str | None) -> tuple[str, str | None] | None:
    """Return a sortable ``(date, time-or-None)`` key in UTC for an ISO string, or None."""
    if not value:
        return None
    text = value.strip()
    try:
        if len(text) <= 10:
            return datetime.fromisoformat(text).date().isoformat(), None
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC).replace(tzinfo=None)
    return dt.date().isoformat(), dt.time().isoformat()


def date_order(a: tuple[str, str | None], b: tuple[str, str | None]) -> int:
    """1 if ``a`` is after ``b``, -1 if before, 0 if the same or not ordered."""
    if a[0] != b[0]:
        return 1 if a[0] > b[0] else -1
    if a[1] is None or b[1] is None or a[1] == b[1]:
        return 0
    return 1 if a[1] > b[1] else -1


def is_update(
    pairs: Sequence[tuple[Figure, Figure]],
    mentions: Sequence[Figure],
    when: Mapping[str, tuple[str, str | None] | None],
) -> bool:
    """Whether a group of disagreeing figures is one figure rising over time.

    See step 7 of ``synthesize.conflicts``.
    """
    dated = [m for m in mentions if when.get(m.article) is not None]
    if len({when[m.article] for m in dated}) < 2:
        return False
    lo = min(m.bvalue for m in dated)
    hi = max(m.bvalue for m in dated)
    dates_involved: set[tuple[str, str | None]] = set()
    for a, b in pairs:
        da, db = when.get(a.article), when.get(b.article)
        if da is not None and db is not None:
            order = date_order(da, db)
            if order == 0:
                return False
            later, earlier = (a, b) if order > 0 else (b, a)
            if later.bvalue <= earlier.bvalue:
                return False  # a figure that falls in later reports is a correction: a conflict
            dates_involved.update((da, db))
        else:
            for m, d in ((a, da), (b, db)):
                if d is None and not lo <= m.bvalue <= hi:
                    return False
                if d is not None:
                    dates_involved.add(d)
    return len(dates_involved) >= 2


__all__ = ["Figure", "date_order", "is_update", "parse_date"]
