"""Datelines: "Updated January 11th, 2022 at 12:23 IST" read into ISO 8601 dates.

A dateline may hold several segments (``"Published: ... | Updated: ..."``); each must be a date
with optional weekday, time, timezone and a published/updated label, so that a sentence holding
a date is never taken for a dateline. Month names and timezone abbreviations are language data
(``synoptic.lang``: ``months``, ``timezone_offsets``, ``timezone_regions``,
``timezone_standard_offsets``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from synoptic import lang
from synoptic.extract.lines import words
from synoptic.extract.residue import RELATIVE_TIME

# Longest first, so "september" is not cut at "sep".
_MONTH = "(?:{})\\.?".format(
    "|".join(sorted(lang.mapping("months"), key=lambda name: (-len(name), name)))
)
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"
DATE_CORE = re.compile(
    rf"\b(?:(?P<m1>{_MONTH})\s+(?P<d1>{_DAY}),?\s+(?P<y1>{_YEAR})|"
    rf"(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m2>{_MONTH}),?\s+(?P<y2>{_YEAR})|"
    rf"(?P<m3>{_MONTH}),?\s+(?P<y3>{_YEAR})|"
    rf"(?P<y4>{_YEAR})[-/](?P<mo4>[01]?\d)[-/](?P<d4>[0-3]?\d)|"
    rf"(?P<a5>[0-3]?\d)(?P<sep5>[/.])(?P<b5>[0-3]?\d)[/.](?P<y5>{_YEAR}|\d{{2}}))\b",
    re.IGNORECASE,
)
_TIME = re.compile(
    r"\b(?P<h>[01]?\d|2[0-3])[:.h](?P<mi>[0-5]\d)(?:[:.](?P<s>[0-5]\d))?"
    r"(?:\s*(?P<ap>[ap])\.?\s?m\.?)?(?=\W|$)|"
    r"\b(?P<h2>1[0-2]|0?[1-9])\s*(?P<ap2>[ap])\.?\s?m\.?(?=\W|$)",
    re.IGNORECASE,
)
_MONTHS = {name: int(number) for name, number in lang.mapping("months").items()}
_ISO_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?"
)
_WEEKDAY = re.compile(
    r"\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\b\.?",
    re.IGNORECASE,
)
_DATE_LABEL = re.compile(
    r"^\s*(?P<label>(?:first |originally )?published|posted|(?:last )?updated|"
    r"(?:last )?modified|created|date|dated|released|issued|on)\b\s*(?:on|at)?\s*[:|-]?\s*",
    re.IGNORECASE,
)
_DATE_FILLER = re.compile(
    r"\b(?:at|on|hrs|hours|local time|time|the|of)\b|[,.:;|/()\[\]–—-]",
    re.IGNORECASE,
)

# Timezone abbreviations news pages print, as fixed offsets (minutes east of UTC); generic zone
# names whose offset depends on daylight saving time on the day, with their standard offsets.
_TZ_OFFSETS = {abbr: int(minutes) for abbr, minutes in lang.mapping("timezone_offsets").items()}
_TZ_REGIONS = lang.mapping("timezone_regions")
_TZ_STANDARD = {
    abbr: int(minutes) for abbr, minutes in lang.mapping("timezone_standard_offsets").items()
}
_TZ_TOKEN = re.compile(
    r"(?<![\w+-])(?:(?P<abbr>"
    + "|".join(sorted([*_TZ_OFFSETS, *_TZ_REGIONS], key=len, reverse=True))
    + r")(?:\s*(?P<sign>[+-])\s*(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?)?"
    r"|(?P<sign2>[+-])(?P<h2>\d{2}):?(?P<m2>\d{2}))(?![\w])",
    re.IGNORECASE,  # "10:18am ist" is written in lower case by some outlets
)


@dataclass(frozen=True, slots=True)
class Dateline:
    """A date read from a dateline.

    Attributes:
        kind: ``"published"`` (labelled so), ``"date"`` (no label) or ``"updated"``.
        iso: ISO 8601 at the precision the line gives.
    """

    kind: str
    iso: str


@functools.lru_cache(maxsize=1)
def _date_parser() -> Any:
    # dateparser builds its language data on first use; do it once, and only when a
    # dateline candidate shows up.
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=["en"],
        settings={"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False},
    )


def _offset_for(match: re.Match[str], naive: datetime) -> timezone | None:
    abbr = match.group("abbr")
    if abbr is None:
        sign = -1 if match.group("sign2") == "-" else 1
        return timezone(
            sign * timedelta(hours=int(match.group("h2")), minutes=int(match.group("m2")))
        )
    abbr = abbr.upper()
    minutes: int | None = _TZ_OFFSETS.get(abbr)
    if minutes is None:
        try:
            from zoneinfo import ZoneInfo

            off = naive.replace(tzinfo=ZoneInfo(_TZ_REGIONS[abbr])).utcoffset()
            minutes = int(off.total_seconds() // 60) if off is not None else None
        except Exception:  # no tz database: fall back to standard time
            minutes = _TZ_STANDARD[abbr]
    if minutes is None:
        return None
    if match.group("sign"):
        sign = -1 if match.group("sign") == "-" else 1
        minutes += sign * (int(match.group("h")) * 60 + int(match.group("m") or 0))
    return timezone(timedelta(minutes=minutes))


def _ymd(core: re.Match[str]) -> tuple[int, int, int | None] | None:
    """Return (year, month, day) of a matched date, or ``None`` if the order is ambiguous."""
    g = core.groupdict()

    def num(value: str) -> int:
        return int(re.match(r"\d+", value).group())  # type: ignore[union-attr]

    for m, d, y in (("m1", "d1", "y1"), ("m2", "d2", "y2")):
        if g[m]:
            return int(g[y]), _MONTHS[g[m][:3].casefold()], num(g[d])
    if g["m3"]:
        return int(g["y3"]), _MONTHS[g["m3"][:3].casefold()], None
    if g["y4"]:
        return int(g["y4"]), int(g["mo4"]), int(g["d4"])
    a, b, y = int(g["a5"]), int(g["b5"]), g["y5"]
    year = int(y) if len(y) == 4 else 2000 + int(y)
    if g["sep5"] == "." or a > 12:  # 10.01.2022 and 25/12/2021 put the day first
        return year, b, a
    if b > 12:
        return year, a, b
    return None  # 01/02/2022: let dateparser apply its locale's order


def _hms(leftover: str) -> tuple[int, int, int] | None:
    m = _TIME.search(leftover)
    if m is None:
        return None
    if m.group("h2"):
        hour, minute, second, ampm = int(m.group("h2")), 0, 0, m.group("ap2")
    else:
        hour, minute = int(m.group("h")), int(m.group("mi"))
        second, ampm = int(m.group("s") or 0), m.group("ap")
    if ampm and hour <= 12:  # "13:42pm": a 24-hour clock with a stray suffix
        hour = hour % 12 + (12 if ampm.casefold() == "p" else 0)
    return hour, minute, second


def _dateparser_ymd(text: str) -> tuple[int, int, int | None] | None:
    data = _date_parser().get_date_data(text)
    if data is None or data.date_obj is None or "year" not in (data.parts or ()):
        return None
    day = data.date_obj.day if "day" in (data.parts or ()) else None
    return data.date_obj.year, data.date_obj.month, day


def _parse_date_segment(segment: str) -> Dateline | None:
    label_match = _DATE_LABEL.match(segment)
    label = label_match.group("label").casefold() if label_match else ""
    body = segment[label_match.end() :] if label_match else segment
    if "updated" in label or "modified" in label:
        kind = "updated"
    elif label and label not in ("on", "date", "dated"):
        kind = "published"
    else:
        kind = "date"
    if _ISO_DATETIME.fullmatch(body.strip()):
        try:
            value = datetime.fromisoformat(body.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
        return Dateline(kind, value.isoformat(timespec="seconds"))
    core = DATE_CORE.search(body)
    if core is None:
        return None
    # Everything else on the line must be time, weekday, zone or filler: a sentence that
    # contains a date is not a dateline.
    leftover = body[: core.start()] + " " + body[core.end() :]
    rest = leftover
    for pattern in (_TIME, _WEEKDAY, _TZ_TOKEN, _DATE_FILLER):
        rest = pattern.sub(" ", rest)
    if rest.strip():
        return None
    # The common shapes are read directly (fast, and exact about precision); dateparser
    # settles the ones whose day/month order depends on the locale.
    ymd = _ymd(core) or _dateparser_ymd(core.group(0))
    if ymd is None:
        return None
    year, month, day = ymd
    hms = _hms(leftover) if day is not None else None
    try:
        value = datetime(year, month, day or 1, *(hms or (0, 0, 0)))
    except ValueError:
        return None
    if day is None:
        return Dateline(kind, value.strftime("%Y-%m"))
    if hms is None:
        return Dateline(kind, value.strftime("%Y-%m-%d"))
    tz_match = _TZ_TOKEN.search(leftover)
    tz = _offset_for(tz_match, value) if tz_match else None
    return Dateline(kind, value.replace(tzinfo=tz).isoformat(timespec="seconds"))


_DATE_SEGMENTS = re.compile(
    r"\s*[|•·]\s*|\s+[-—–/]\s+|\s+(?=(?:(?:first |last )?published|(?:last )?updated|"
    r"(?:last )?modified|posted)\b)",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=4096)
def _parse_dateline_cached(line: str) -> tuple[Dateline, ...] | None:
    if len(line) > 160 or len(words(line)) > 24 or not re.search(r"\d", line):
        return None
    found: list[Dateline] = []
    previous = ""
    for segment in _DATE_SEGMENTS.split(line):
        if not segment.strip(" ,.:|") or RELATIVE_TIME.fullmatch(segment.strip()):
            continue
        parsed = _parse_date_segment(segment)
        if parsed is None and found and len(found[-1].iso) == 10:
            # "November 19, 2019 / 12:21 AM": the time has a segment of its own.
            parsed = _parse_date_segment(previous + " " + segment)
            if parsed is not None:
                found.pop()
        if parsed is None:
            return None
        found.append(parsed)
        previous = segment
    return tuple(found) or None


def parse_dateline(line: str) -> list[Dateline] | None:
    """Read a dateline such as ``"Updated January 11th, 2022 at 12:23 IST"``.

    The line may hold several segments (``"Published: ... | Updated: ..."``); each must be a
    date with optional weekday, time, timezone and a published/updated label, so that a
    sentence containing a date is never taken for a dateline. A year is required (a date
    without one cannot be placed). Timezone abbreviations become offsets (IST +05:30,
    EST -05:00, ET by the US Eastern daylight rules of that day, GMT, BST, CET, ...).

    Args:
        line: One whitespace-normalised line.

    Returns:
        The dates on the line, or ``None`` when it is not a dateline.
    """
    found = _parse_dateline_cached(line)
    return list(found) if found else None


def is_timestamp(line: str) -> bool:
    """A dateline with a time, weekday or label: an item's stamp, not a date subheading."""
    return bool(_TIME.search(line) or _WEEKDAY.search(line) or _DATE_LABEL.match(line))


def pick_published(dates: Sequence[Dateline]) -> str | None:
    """Prefer a date labelled published, then an unlabelled one, then an update time."""
    for kind in ("published", "date", "updated"):
        for d in dates:
            if d.kind == kind:
                return d.iso
    return None
