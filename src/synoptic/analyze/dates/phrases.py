"""Date phrases: what a phrase says ("on Monday", "10 January 2022"), before any anchor.

The in-text patterns, the spaCy-entity filters (durations, ages, spans of years) and the parsed
form of a phrase (``DateExpr``). Words come from the lexicon (``synoptic.lang``): month,
weekday and season names, number words.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from synoptic.lang import mapping, words
from synoptic.model import Record

Kind = Literal["absolute", "relative"]

WEEKDAYS: dict[str, int] = {k: int(v) for k, v in mapping("weekdays").items()}
MONTHS: dict[str, int] = {k: int(v) for k, v in mapping("months").items()}
# (first month, last month); winter runs over the new year.
SEASONS: dict[str, tuple[int, int]] = {
    k: (int(v.split("-")[0]), int(v.split("-")[1])) for k, v in mapping("seasons").items()
}
# The counts "N days ago" takes in words: "a", "an" and one to twelve.
NUMBERS: dict[str, int] = {
    **{k: int(v) for k, v in mapping("number_words").items() if 1 <= int(v) <= 12},
    **dict.fromkeys(sorted(words("indefinite_articles")), 1),
}


def _alternation(names: Iterable[str], capitalize: bool = True) -> str:
    """A regex alternation of ``names``, longest first (so "Sept" is tried before "Sep")."""
    items = sorted(names, key=lambda n: (-len(n), n))
    return "(?:" + "|".join(n.capitalize() if capitalize else n for n in items) + ")"


@dataclass(frozen=True, slots=True)
class DateExpr(Record):
    """A parsed date phrase.

    ``type`` is one of: ``weekday`` (value: weekday number, rel: None|last|next|this|coming),
    ``dayoff`` (value: day offset from the anchor), ``unit`` (unit: week|weekend|month|year,
    value: -1, 0 or 1), ``season`` (unit: season name, value: -1, 0, 1), ``ago`` (unit,
    value: count), ``ymd`` / ``md`` / ``ym`` / ``m`` / ``y`` (calendar fields in ``y, m, d``),
    ``parsed`` (a date already resolved by dateparser: ``y, m, d`` and ``unit`` = precision).
    ``md`` and ``m`` take ``rel`` "last" or "next" too ("last January 22").
    """

    type: str
    value: int = 0
    rel: str | None = None
    unit: str | None = None
    y: int = 0
    m: int = 0
    d: int = 0

    @property
    def kind(self) -> Kind:
        return "absolute" if self.type in ("ymd", "ym", "y") else "relative"

    @property
    def day_relative(self) -> bool:
        """Whether the phrase names one day relative to the anchor (used to pin anchors)."""
        return self.type in ("weekday", "dayoff")


_MONTH_NAMES = _alternation(MONTHS)  # capitalised only: "may" and "march" are verbs too
_WEEKDAY_NAMES = _alternation(WEEKDAYS)
_SEASON_NAMES = _alternation(SEASONS, capitalize=False)
# "today", "yesterday", "last night": the day they name, in days from the day of writing.
DAY_OFFSETS: dict[str, int] = {k: int(v) for k, v in mapping("relative_day_offsets").items()}
_DAY_WORDS = "|".join(
    r"\s+".join(k.split()) for k in sorted(DAY_OFFSETS, key=lambda k: (-len(k), k))
)
# Counted ("a week ago", "two weeks ago"), alternatives for a case-insensitive group.
_COUNT_WORDS = "|".join(sorted(NUMBERS, key=lambda n: (-len(n), n)))
_YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
# Leading words kept in the phrase ("early on Monday", "until at least Wednesday", "in 2014").
_MOD = r"(?:(?i:early|late|mid|earlier|later|the\s+early\s+hours\s+of)[\s-]+)?"
_PREP = (
    r"(?:(?i:until\s+at\s+least|on|in|since|by|until|till|from|during|after|before|as\s+of|"
    r"of|for)\s+)?"
)
_LEAD = _MOD + _PREP + _MOD
_PART_OF_DAY = r"(?:\s+(?i:morning|afternoon|evening|night))?"
_NO_MORE_DIGITS = r"(?![\d]|[,.:]\d)"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        (
            "dmy",
            rf"\b{_LEAD}(?P<d>{_DAY})\s+(?:of\s+)?(?P<m>{_MONTH_NAMES})\.?,?\s+(?P<y>{_YEAR})\b",
        ),
        ("mdy", rf"\b{_LEAD}(?P<m>{_MONTH_NAMES})\.?\s+(?P<d>{_DAY}),?\s+(?P<y>{_YEAR})\b"),
        (
            "dm",
            rf"\b{_LEAD}(?P<d>{_DAY})\s+(?:of\s+)?(?P<m>{_MONTH_NAMES})\b\.?",
        ),
        (
            "md",
            rf"\b{_LEAD}(?:(?P<rel>(?i:last|next|this\s+coming|coming))\s+)?"
            rf"(?P<m>{_MONTH_NAMES})\.?\s+(?P<d>{_DAY})\b{_NO_MORE_DIGITS}",
        ),
        ("my", rf"\b{_LEAD}(?P<m>{_MONTH_NAMES})\.?,?\s+(?P<y>{_YEAR})\b"),
        (
            "season_y",
            rf"\b{_LEAD}(?:(?i:the)\s+)?(?P<season>(?i:{_SEASON_NAMES[3:-1]}))"
            rf"\s+(?:of\s+)?(?P<y>{_YEAR})\b",
        ),
        # A year needs a word that makes it a date: "in 2014", "the year 2019", "mid-2014".
        (
            "y",
            r"\b(?:(?i:early|late|mid|earlier|later)[\s-]+)?"
            r"(?:(?i:in|since|by|until|till|after|before|from|during|of|around|circa|"
            r"the\s+year|year|mid|early|late)[\s-]+)"
            rf"(?P<y>{_YEAR})\b{_NO_MORE_DIGITS}",
        ),
        # A month alone needs a lead word too: "in December", "since June", "early March".
        (
            "m",
            r"\b(?:(?i:early|late|mid|earlier|later)[\s-]+)?"
            r"(?:(?i:in|since|by|until|till|after|before|from|during|of|last|next|this|"
            r"early|late|mid)[\s-]+)"
            rf"(?P<m>{_MONTH_NAMES})\b(?!\.?\s*\d)",
        ),
        (
            "weekday",
            rf"\b{_LEAD}(?:(?P<rel>(?i:last|next|this\s+coming|this|coming))\s+)?"
            rf"(?P<wd>{_WEEKDAY_NAMES})(?![a-z]){_PART_OF_DAY}",
        ),
        (
            "dayword",
            rf"\b{_LEAD}(?P<word>(?i:{_DAY_WORDS}))\b",
        ),
        (
            "unit",
            r"\b(?:(?i:the\s+)?(?i:end|start|beginning|middle)\s+of\s+)?"
            r"(?:(?i:early|late|mid|earlier|later)[\s-]+)?"
            r"(?:(?i:in|on|at|by|until|from|since|during|over|for|of)\s+)?"
            r"(?P<rel>(?i:last|next|this))\s+"
            rf"(?P<unit>(?i:week|weekend|month|year|{_SEASON_NAMES[3:-1]}))\b",
        ),
        (
            "end_of",
            r"\b(?i:(?:the\s+)?(?:end|start|beginning|middle)\s+of\s+the\s+)"
            r"(?P<unit>(?i:week|month|year))\b",
        ),
        (
            "ago",
            rf"\b(?P<n>\d{{1,3}}|(?i:{_COUNT_WORDS}))\s+"
            r"(?P<unit>(?i:day|week|month|year))s?\s+(?i:ago)\b",
        ),
    )
)

_DURATION = re.compile(
    r"(?i)^(?:(?:the|a|an|some|about|around|nearly|almost|over|more\s+than|at\s+least|"
    r"past|last|next|first|previous|coming|few|several|many|all|every|each)\s+)*"
    r"(?:[\d.,]+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
    r"forty|fifty|hundred|dozens?|several|few|many|couple(?:\s+of)?|half|a|an|"
    r"[a-z]+-and-a-half|some)?[\s-]*(?:and[\s-]a[\s-]half[\s-]*)?"
    r"(?:seconds?|minutes?|hours?|days?|nights?|weeks?|months?|years?|decades?|centur(?:y|ies)|"
    r"weekends?|lifetimes?)$"
)
_AGE = re.compile(r"(?i)\b(?:year|month|week)s?[\s-]old\b|\baged\b")
_YEAR_SPAN = re.compile(rf"{_YEAR}\s*[-–/]\s*(?:\d\d|{_YEAR})\b(?!\s*[-–/]\s*\d)")
# Digits that can make a date on their own: a year or a numeric date ("10/01/2022").
_DATE_NUMBER = re.compile(
    rf"(?<!\d){_YEAR}(?!\d|s\b|[’']s\b)|\b\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}\b"
)
# "fall" is left out: in an entity it is more often the verb than the season.
_UNAMBIGUOUS_SEASONS = "|".join(s for s in SEASONS if s != "fall")
_CALENDAR_WORD = re.compile(
    rf"(?i)\b(?:{_MONTH_NAMES[3:-1]}|{_WEEKDAY_NAMES[3:-1]}|{_UNAMBIGUOUS_SEASONS})\b"
)


def _expr_from_match(name: str, m: re.Match[str]) -> DateExpr | None:
    """Turn a pattern match into an expression (``None`` for an impossible date)."""
    g = m.groupdict()
    month = MONTHS.get((g.get("m") or "").lower(), 0)
    day = int(re.sub(r"\D", "", g["d"])) if g.get("d") else 0
    year = int(g["y"]) if g.get("y") else 0
    if name in ("dmy", "mdy"):
        try:
            dt.date(year, month, day)
        except ValueError:
            return None
        return DateExpr("ymd", y=year, m=month, d=day)
    if name in ("dm", "md"):
        if day > calendar.monthrange(2000, month)[1]:  # 2000: a leap year allows 29 February
            return None
        rel = (g.get("rel") or "").lower() or None
        # "last January 22": the latest one before the day of writing, whatever the tense.
        return DateExpr("md", m=month, d=day, rel="next" if rel and rel != "last" else rel)
    if name == "my":
        return DateExpr("ym", y=year, m=month)
    if name == "season_y":
        return DateExpr("y", y=year)
    if name == "y":
        return DateExpr("y", y=year)
    if name == "m":
        lead = m.group(0).split(None, 1)[0].lower()
        return DateExpr("m", m=month, rel=lead if lead in ("last", "next") else None)
    if name == "weekday":
        rel = (g.get("rel") or "").lower() or None
        if rel == "this coming":
            rel = "coming"
        return DateExpr("weekday", value=WEEKDAYS[g["wd"].lower()], rel=rel)
    if name == "dayword":
        word = " ".join(g["word"].lower().split())
        return DateExpr("dayoff", value=DAY_OFFSETS[word])
    if name in ("unit", "end_of"):
        unit = g["unit"].lower()
        rel = (g.get("rel") or "this").lower()
        value = {"last": -1, "this": 0, "next": 1}[rel]
        if unit in SEASONS:
            return DateExpr("season", value=value, unit=unit)
        return DateExpr("unit", value=value, unit=unit)
    if name == "ago":
        n = g["n"].lower()
        count = int(n) if n.isdigit() else NUMBERS[n]
        return DateExpr("ago", value=count, unit=g["unit"].lower())
    return None  # pragma: no cover - every pattern name is handled above


def parse_phrase(text: str) -> DateExpr | None:
    """Parse a stand-alone date phrase with the module's rules (bare months and years allowed).

    Used for spaCy entities the in-text patterns did not catch ("a June summit", "the 2019
    floods") and by tests. Returns ``None`` when the rules do not read the phrase.
    """
    best: tuple[int, DateExpr] | None = None
    for name, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            expr = _expr_from_match(name, m)
            if expr is not None and (best is None or m.end() - m.start() > best[0]):
                best = (m.end() - m.start(), expr)
    if best is not None:
        return best[1]
    bare_year = re.search(rf"(?<![\d.,]){_YEAR}(?![\d]|[.,]\d|s\b)", text)
    if bare_year and not re.search(r"\d", text.replace(bare_year.group(0), "")):
        return DateExpr("y", y=int(bare_year.group(0)))
    bare_month = re.search(rf"\b{_MONTH_NAMES}\b", text)
    if bare_month and not re.search(r"\d", text):
        return DateExpr("m", m=MONTHS[bare_month.group(0).lower()])
    return None


def is_duration_or_age(text: str) -> bool:
    """Whether a date entity is a duration, an age or a span of years ("2007-08 season")."""
    phrase = " ".join(text.replace("-", " - ").split()).replace(" - ", "-")
    phrase = re.sub(r"(?i)^(?:for|in|over|after|within|during|of)\s+", "", phrase)
    return bool(_DURATION.match(phrase) or _AGE.search(phrase) or _YEAR_SPAN.search(phrase))


def needs_dateparser(text: str) -> bool:
    """Whether an entity the rules cannot read holds a year, a numeric date or a calendar word."""
    return bool(_DATE_NUMBER.search(text) or _CALENDAR_WORD.search(text))


class DisjointSpans:
    """Non-overlapping character spans, kept sorted so that an overlap test is a bisection.

    Date-dense text holds thousands of phrases: testing each new one against every phrase taken
    so far made finding quadratic in the article's length.
    """

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` overlaps a span already added."""
        # The spans are disjoint, so sorted by start they are sorted by end too: of those that
        # start before ``end``, the last one reaches furthest.
        i = bisect_left(self._starts, end)
        return i > 0 and self._ends[i - 1] > start

    def add(self, start: int, end: int) -> bool:
        """Add ``[start, end)`` unless it overlaps a span already added; return whether added."""
        if self.overlaps(start, end):
            return False
        i = bisect_left(self._starts, start)
        self._starts.insert(i, start)
        self._ends.insert(i, end)
        return True


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\n,.;:":
        start += 1
    while end > start and text[end - 1] in " \t\n,;:":
        end -= 1
    return start, end


def pattern_phrases(text: str, spans: DisjointSpans) -> list[tuple[int, int, DateExpr]]:
    """Return the phrases the in-text patterns find, as ``(start, end, expr)``, not overlapping.

    Overlapping matches keep the widest reading (longest first, then earliest); the result is
    in that order of choice, not in reading order. The phrases taken are added to ``spans``.
    """
    candidates: list[tuple[int, int, DateExpr]] = []
    for name, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            expr = _expr_from_match(name, m)
            if expr is not None:
                start, end = _trim(text, m.start(), m.end())
                candidates.append((start, end, expr))
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    taken: list[tuple[int, int, DateExpr]] = []
    for c in candidates:
        if spans.add(c[0], c[1]):
            taken.append(c)
    return taken
