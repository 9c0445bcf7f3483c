"""Lines of metadata around a headline: a byline, a dateline, or both on one line.

``read_meta_line`` reads "By A | Jan 10, 2022", "Posted by A on <date>", "<date> by A" and
"Ann Lee - Nov 19, 2019, 10:31 pm" into a byline and dates, and refuses anything else.
"""

from __future__ import annotations

import re

from synoptic.extract.byline import BYLINE_PREFIX, Byline, is_name, may_name_agency, read_byline
from synoptic.extract.dateline import DATE_CORE, Dateline, is_timestamp, parse_dateline


def read_meta_line(text: str) -> tuple[Byline | None, list[Dateline]] | None:
    """Read a line made only of byline and dateline segments ("By A | Jan 10, 2022")."""
    has_digit = any(ch.isdigit() for ch in text)
    if has_digit:
        dates = parse_dateline(text)
        if dates:
            return None, dates
    elif not BYLINE_PREFIX.match(text) and not may_name_agency(text):
        return None  # no date and no byline shape: the common case, decided cheaply
    byline = read_byline(text)
    if byline is not None:
        return byline, []
    if not has_digit:
        return None
    segments = [s for s in re.split(r"\s*[|•·]\s*", text) if s.strip()]
    if len(segments) < 2:
        return _read_byline_and_date(text)
    found_byline: Byline | None = None
    found_dates: list[Dateline] = []
    for segment in segments:
        seg_dates = parse_dateline(segment)
        if seg_dates:
            found_dates.extend(seg_dates)
            continue
        seg_byline = read_byline(segment)
        if seg_byline is None or found_byline is not None:
            return None
        found_byline = seg_byline
    return found_byline, found_dates


_HAS_BY = re.compile(r"\bby\b", re.IGNORECASE)
_BYLINE_DATE_JOINT = re.compile(r"\s+(?:on|at|,)\s+|,\s*|\s+[-–—]\s+|\s+", re.IGNORECASE)


def _read_byline_and_date(text: str) -> tuple[Byline | None, list[Dateline]] | None:
    """Read "Posted by A on <date>" and "<date> by A": a byline and a date joined by a word."""
    if len(text) > 160 or not DATE_CORE.search(text):
        return None
    if not _HAS_BY.search(text) and not may_name_agency(text) and not text[:1].isupper():
        return None
    for joint in _BYLINE_DATE_JOINT.finditer(text):
        left, right = text[: joint.start()], text[joint.end() :]
        byline = read_byline(left)
        if byline is None and is_name(left) and is_timestamp(right):
            byline = Byline((left,), None)  # "Ann Lee - Nov 19, 2019, 10:31 pm": a name, stamped
        dates = parse_dateline(right) if byline is not None else None
        if byline is not None and dates:
            return byline, dates
        dates = parse_dateline(left)
        byline = read_byline(right) if dates else None
        if dates and byline is not None and BYLINE_PREFIX.match(right):
            return byline, dates
    return None
