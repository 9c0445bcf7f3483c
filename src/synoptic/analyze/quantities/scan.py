"""Candidates: a number phrase read off the text, with its approximation, range and glued unit.

``scan(text)`` yields, left to right, every number phrase of a text ("about 70,000", "between
10 and 20", "eight-hour", "4%", "5km") as a ``Candidate``; ``text_skip`` gives the reasons read
off the surrounding text for which a number is not a figure (a date, a label, a list number...).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from synoptic.analyze.quantities.parse import ParsedNumber, is_year, parse_number, unscaled
from synoptic.analyze.quantities.records import (
    ABOUT_TOLERANCE,
    INF,
    NEARLY_TOLERANCE,
    Approx,
)
from synoptic.analyze.quantities.vocab import (
    ABBR_UNIT,
    ADDRESS,
    AGE_AFTER_NAME_AFTER,
    AGE_AFTER_NAME_BEFORE,
    APPROX_PREFIX,
    APPROX_SUFFIX,
    BETWEEN_BEFORE,
    CHANGE_VERBS,
    CONVERSION_BEFORE,
    FRACTION_WORDS,
    FROM_BEFORE,
    HYPHEN_UNIT,
    MONTH_AFTER,
    MONTH_BEFORE,
    MULTIWORD_UNIT,
    NUMBER_LABEL,
    NUMBER_WORDS,
    PARTITIVE,
    PERCENT,
    PHONE,
    RANGE_SEP,
    START,
    SUBSET_AFTER,
    SUBSET_BEFORE,
    SUFFIX_KIND,
    TIME_OF_DAY,
    URL_LINE,
)


@dataclass(slots=True)
class Candidate:
    start: int  # phrase start (approximator included)
    end: int  # phrase end so far (number, scale, unit glued to it)
    core_start: int
    core_end: int
    value: float
    low: float
    high: float
    approx: Approx
    currency: str | None = None
    text_unit: str | None = None  # unit read off the text ("percent", "hour" from "-hour")
    text_unit_end: int | None = None
    hyphen_adj: str | None = None  # "old" in "72-year-old", "strong" in "5,000-strong"
    hyphen_unit: bool = False
    vague: bool = False
    words: bool = False
    is_range: bool = False
    year_like: bool = False
    reject: str | None = None


def _approx_prefix(text: str, start: int) -> tuple[str | None, int]:
    window = text[max(0, start - 40) : start]
    for rx, kind in APPROX_PREFIX:
        m = rx.search(window)
        if m:
            return kind, start - (len(window) - m.start())
    return None, start


def interval(
    kind: str | None, value: float, low: float, high: float
) -> tuple[float, float, Approx]:
    if kind == "about":
        return value * (1 - ABOUT_TOLERANCE), value * (1 + ABOUT_TOLERANCE), "about"
    if kind in ("nearly", "just_under"):  # "nearly 100", "just under 100"
        return value * (1 - NEARLY_TOLERANCE), value, "about"
    if kind == "over":
        return low, INF, "over"
    if kind == "just_over":
        return low, value * (1 + NEARLY_TOLERANCE), "over"
    if kind == "under":
        return 0.0, high, "under"
    return low, high, "exact"


# The rest of a rejected number's token ("1st", "10:30", "3/4", "v2.1-beta").
_TOKEN_TAIL = re.compile(r"[\w.,:/-]*")


def scan(text: str) -> Iterator[Candidate]:
    """Yield number phrases in ``text`` left to right (rejected ones carry a reason)."""
    # Phone numbers do not overlap: sorted by start, the one holding ``s`` is found by bisection.
    phones = [(m.start(), m.end()) for m in PHONE.finditer(text) if _looks_like_phone(m.group())]
    phone_starts = [a for a, _ in phones]
    pos = 0
    for sm in START.finditer(text):
        s = sm.start()
        if s < pos:
            continue
        k = bisect_right(phone_starts, s) - 1
        if k >= 0 and s < phones[k][1]:
            end = phones[k][1]
            yield Candidate(s, end, s, end, 0, 0, 0, "exact", reject="phone number")
            pos = end
            continue
        num = parse_number(text, s)
        if num is None:
            continue
        if isinstance(num, str):
            m = _TOKEN_TAIL.match(text, s)
            end = s + max(1, len(m.group()) if m else 1)
            yield Candidate(s, end, s, end, 0, 0, 0, "exact", reject=num)
            pos = end
            continue
        cand = _phrase(text, num)
        pos = cand.end
        yield cand


def _looks_like_phone(s: str) -> bool:
    digits = re.sub(r"\D", "", s)
    # Thousands-separated figures ("1 000 000") are not phones; 7+ digits in 3+ groups are.
    groups = re.split(r"[\s.()-]+", s.strip("+ "))
    if all(len(g) == 3 for g in groups[1:]) and len(groups[0]) <= 3 and "+" not in s:
        return False
    return len(digits) >= 7


def _phrase(text: str, num: ParsedNumber) -> Candidate:
    """Extend a parsed number to its phrase: prefix, range partner, suffix, text units."""
    kind, pstart = _approx_prefix(text, num.start)
    before = text[max(0, num.start - 60) : num.start]
    cand = Candidate(pstart, num.end, num.start, num.end, num.value, num.low, num.high, "exact")
    cand.currency = num.currency
    cand.vague = num.vague
    cand.words = num.words
    change = FROM_BEFORE.search(before) is not None and bool(
        CHANGE_VERBS.search(before[: before.lower().rfind("from")])
    )
    if not num.vague and _range(text, num, cand, kind, before, change):
        if cand.reject:
            return cand
    elif change:
        cand.reject = "previous value of a change"  # "rose from 30 to 45": 30 is history
        return cand
    elif num.dozen and kind is None:
        cand.approx = "about"
    elif num.vague:
        cand.approx = "range"
        if kind in ("over", "under", "just_over"):
            cand.low, cand.high, cand.approx = interval(kind, num.value, num.low, num.high)
    else:
        cand.low, cand.high, cand.approx = interval(kind, num.value, num.low, num.high)
    cand.year_like = not num.words and is_year(num) and not cand.is_range
    if num.unit:
        cand.text_unit, cand.text_unit_end = num.unit, num.end
    else:
        _text_unit(text, cand)
    sfx = APPROX_SUFFIX.match(text, cand.end)
    if sfx and cand.approx == "exact":
        word = re.sub(r"\s+", " ", (sfx.group("w") or sfx.group("plus")).lower())
        cand.low, cand.high, cand.approx = interval(
            SUFFIX_KIND[word], cand.value, cand.low, cand.high
        )
        cand.end = sfx.end()
    return cand


def _range(
    text: str, num: ParsedNumber, cand: Candidate, kind: str | None, before: str, change: bool
) -> bool:
    """Read a range after ``num`` into ``cand``; return whether one was found (or rejected).

    "between 10 and 20", "from 10 to 20", "10-20", "10 to 20", "seven or eight". After a change
    verb ("rose from 30 to 45") only the new value counts. Hyphenated years ("2014-2022") are
    periods, and "a-b" with a >= b is a score or a code.
    """
    rm = RANGE_SEP.match(text, num.end)
    if not rm or rm.end() >= len(text):
        return False
    sep = (rm.group("w") or rm.group("dash")).lower()
    dash = sep in ("-", "–", "—")
    between = BETWEEN_BEFORE.search(before)
    if not (dash or sep in ("to", "or") or (sep == "and" and between)):
        return False
    other = parse_number(text, rm.end())
    if not isinstance(other, ParsedNumber) or other.vague or other.words != num.words:
        return False
    a, b = num.value, other.value
    if other.has_scale and not num.has_scale:
        # "between 2 and 3 million": the scale word applies to both ends.
        factor = other.value / unscaled(text, other)
        if factor > 1 and a * factor <= b:
            a *= factor
    if dash and not num.words and a >= b:
        cand.reject = "score, result or code (a-b with a >= b)"
        cand.end = other.end
        return True
    if a >= b:
        return False
    if dash and not num.words and is_year(num) and is_year(other):
        cand.reject = "year range"
        cand.end = other.end
        return True
    if change:
        # "rose from 30 to 45": the figure is the new value.
        cand.start = cand.core_start = other.start
        cand.value = cand.low = cand.high = b
        cand.end = cand.core_end = other.end
        cand.currency = cand.currency or other.currency
        return True
    cand.value = (a + b) / 2
    cand.low, cand.high = a, b
    cand.approx = "range"
    cand.is_range = True
    cand.core_end = cand.end = other.end
    cand.currency = cand.currency or other.currency
    lead = between or FROM_BEFORE.search(before)
    if lead is not None and kind is None:
        cand.start = num.start - (len(before) - lead.start())
    if kind == "over":
        cand.high, cand.approx = INF, "over"
    elif kind == "under":
        cand.low, cand.approx = 0.0, "under"
    return True


def _text_unit(text: str, cand: Candidate) -> None:
    """Read units glued to the number in the text: %, per cent, -hour, km, cubic metres."""
    end = cand.core_end
    if cand.currency:
        cand.text_unit = cand.currency
        cand.text_unit_end = end
        return
    m = PERCENT.match(text, end)
    if m:
        cand.text_unit = "percentage point" if m.group("pp") else "percent"
        cand.end = cand.text_unit_end = m.end()
        return
    m = HYPHEN_UNIT.match(text, end)
    if m and m.group("u").lower() in FRACTION_WORDS:
        cand.reject = "fraction ('two-thirds')"
        cand.end = m.end()
        return
    if m and m.group("u").lower() not in NUMBER_WORDS | {"and", "a", "an", "half"}:
        word = m.group("u").lower()
        if word == "plus":
            cand.low, cand.high, cand.approx = cand.value, INF, "over"
            cand.end = m.end()
            return
        cand.hyphen_unit = True
        cand.text_unit = word
        cand.hyphen_adj = (m.group("adj") or "").lower() or None
        if word in ("strong", "long", "wide", "high", "deep", "tall", "old"):
            cand.hyphen_adj, cand.text_unit = word, None
        cand.end = m.end()
        cand.text_unit_end = m.end("u")
        return
    m = MULTIWORD_UNIT.match(text, end)
    if m:
        cand.text_unit = re.sub(r"\s+", " ", m.group("u").lower())
        cand.end = cand.text_unit_end = m.end()
        return
    m = ABBR_UNIT.match(text, end)
    if m and not (m.group("sp") and m.group("u").lower() in ("h", "m")):
        cand.text_unit = m.group("u").lower()
        cand.end = cand.text_unit_end = m.end()


def text_skip(text: str, cand: Candidate) -> str | None:
    """Skip rules read off the text around the number (see the module docstring)."""
    before = text[max(0, cand.core_start - 40) : cand.core_start]
    after = text[cand.core_end : cand.core_end + 40]
    line_start = text.rfind("\n", 0, cand.core_start) + 1
    if TIME_OF_DAY.match(after):
        return "time of day"
    if URL_LINE.match(text, line_start):
        return "part of a URL"
    if CONVERSION_BEFORE.search(before) and re.match(r"[^()\n]{0,30}\)", after):
        return "conversion in brackets ('58km (36 miles)', '€110bn ($141bn)')"
    if cand.currency is None and (MONTH_BEFORE.search(before) or MONTH_AFTER.match(after)):
        return "date"
    if NUMBER_LABEL.search(before) and not cand.currency:
        return "label such as 'No. 2'"
    if not text[line_start : cand.core_start].strip() and re.match(r"[.)]\s", after):
        return "list number"
    if cand.words and cand.value == 1 and re.match(r"\s+of\b", after, re.I):
        return "'one of'"
    if not cand.vague and PARTITIVE.match(after):
        return "part of a group ('37 of the candidates')"
    if SUBSET_AFTER.match(text, cand.core_end) or SUBSET_BEFORE.search(before):
        return "increment or remainder ('two more', 'three other', 'another 3,000')"
    if not cand.currency and ADDRESS.match(after):
        return "street address"
    if (
        not cand.currency
        and not cand.text_unit
        and cand.approx == "exact"
        and cand.value < 130
        and AGE_AFTER_NAME_BEFORE.search(before)
        and AGE_AFTER_NAME_AFTER.match(after)
    ):
        return "age after a name"
    return None
