"""Bylines: the names and agency of "By Matthew Lee, Associated Press" and its variants.

``parse_byline`` accepts ``By <names>[, <agency or job title>]``, ``Reported by: <names>``,
``Written by``/``Author:`` forms, ``<Name>, <known agency>`` and a known agency alone. The
agencies, job titles, credentials and name particles it knows are language data
(``synoptic.lang``: ``news_agencies``, ``news_agency_acronyms``, ``organisation_words``,
``job_title_words``, ``credentials``, ``name_particles``, ``non_name_words``, ``months``,
``weekdays``, ``relative_days``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from synoptic import lang
from synoptic.extract.lines import WORD


def _full_month_names() -> list[str]:
    """The full name of each month (the longest of its spellings in ``months``)."""
    spellings: defaultdict[str, list[str]] = defaultdict(list)
    for name, number in lang.mapping("months").items():
        spellings[number].append(name)
    return [max(names, key=len) for names in spellings.values()]


#: "By", "Written by", "Author:" and the like opening a byline.
BYLINE_PREFIX = re.compile(
    r"(?P<strong>(?:written|reported|reporting|words|story|text|report|compiled|posted|"
    r"produced)\s+by|author(?:s|\(s\))?|by\s*:|byline)\s*[:|-]?\s*|(?P<weak>by)\s+",
    re.IGNORECASE,
)
# Agencies and outlets that appear in bylines, canonical spelling. Acronyms match only in
# capitals, so the word "ap" or "pa" in a sentence never reads as an agency.
_AGENCIES = lang.entries("news_agencies")
_AGENCY_ACRONYMS = lang.entries("news_agency_acronyms")
_AGENCY_NAMES = {a.casefold(): a.removeprefix("The ") for a in _AGENCIES}
_AGENCY_HINT = re.compile(
    r"(?i:"
    + "|".join(re.escape(a) for a in _AGENCIES)
    + r")|\b(?:"
    + "|".join(_AGENCY_ACRONYMS)
    + r")\b"
)
_AGENCY_WORDS = frozenset(
    w.casefold() for name in (*_AGENCIES, *_AGENCY_ACRONYMS) for w in re.findall(r"\w+", name)
)


def may_name_agency(text: str) -> bool:
    """A cheap test before the agency pattern: does any word of ``text`` occur in a name?"""
    return any(w.casefold() in _AGENCY_WORDS for w in WORD.findall(text)) and bool(
        _AGENCY_HINT.search(text)
    )


# Words that make a byline part an organisation or a job title rather than a person.
_ORG_WORDS = lang.words("organisation_words")
_ROLE_WORDS = lang.words("job_title_words")
# Academic and professional credentials after a name ("Rachael Link, MS, RD").
_CREDENTIALS = lang.words("credentials")
_NAME_PARTICLES = lang.words("name_particles")
# Days and months: "By Monday" or "March" is a date phrase, not a name.
_CALENDAR_WORDS = frozenset(
    {*_full_month_names(), *lang.mapping("weekdays"), *lang.words("relative_days")}
)
_NOT_NAME_WORDS = lang.words("non_name_words")
_NAME_TOKEN = re.compile(r"(?:[^\W\d_][\w'’.-]*|[A-Z]\.)", re.UNICODE)
_BYLINE_SPLIT = re.compile(r"\s*,\s*|\s+and\s+|\s*&\s*|\s*;\s*|\s+(?:for|of)\s+(?=[A-Z])")
#: A wire lead naming its agency: "WASHINGTON (AP) - ".
AGENCY_LEAD = re.compile(r"^[A-Z][A-Z .,'’-]{1,40}\s*\((?P<agency>[A-Z][\w .-]{1,30})\)\s*[-—–:]\s")


@dataclass(frozen=True, slots=True)
class Byline:
    """A byline read: the people's names in order, and the agency named, if any."""

    names: tuple[str, ...]
    agency: str | None


def agency_of(part: str) -> str | None:
    """Return the canonical agency named by ``part`` (job titles around it are ignored)."""
    words = part.split()
    while words and words[-1].casefold() in _ROLE_WORDS:
        words.pop()
    core = " ".join(words)
    if not core:
        return None
    if core.casefold() in _AGENCY_NAMES:
        return _AGENCY_NAMES[core.casefold()]
    if core in _AGENCY_ACRONYMS:
        return core
    # "AP Diplomatic Writer": the acronym leads a job title.
    if words[0] in _AGENCY_ACRONYMS and all(w.casefold() in _ROLE_WORDS for w in words[1:]):
        return words[0]
    return None


def _is_org(part: str) -> bool:
    words = part.split()
    return (
        bool(words)
        and words[0][:1].isupper()
        and any(w.casefold().strip(".,") in _ORG_WORDS for w in words)
    )


def _is_role(part: str) -> bool:
    words = [w.casefold().strip(".,") for w in part.split()]
    return bool(words) and all(
        w in _ROLE_WORDS or w in _ORG_WORDS or w in _CREDENTIALS for w in words
    )


def is_name(part: str) -> bool:
    """True for a person's name: 2-5 capitalised words, initials and particles allowed."""
    tokens = part.split()
    if not 2 <= len(tokens) <= 5:
        return False
    real = 0
    for tok in tokens:
        low = tok.casefold()
        if low in _NAME_PARTICLES:
            continue
        if not _NAME_TOKEN.fullmatch(tok) or not tok[0].isupper():
            return False
        if low.strip(".") in _CALENDAR_WORDS or low in _NOT_NAME_WORDS:
            return False
        if low in _ORG_WORDS or low in _ROLE_WORDS:
            return False
        real += 1
    return real >= 2


def parse_byline(line: str) -> tuple[str | None, str | None] | None:
    """Read a byline into names and agency.

    ``"By Matthew Lee, Associated Press"`` gives ``("Matthew Lee", "Associated Press")``.

    Accepted shapes: ``By <names>[, <agency or job title>]``, ``Reported by: <names>``,
    ``Written by``/``Author:`` forms, ``<Name>, <known agency>`` and a known agency alone
    (``Reuters``). Names are joined as ``"A"``, ``"A and B"`` or ``"A, B and C"``. A line
    opening with "By" that goes on as a sentence ("By Monday, the talks had ...") is not a
    byline: every comma- or "and"-separated part must be a name, an agency or a job title.

    Args:
        line: One whitespace-normalised line.

    Returns:
        ``(names, agency)`` (either may be ``None``), or ``None`` when the line is no byline.
    """
    parsed = read_byline(line)
    if parsed is None:
        return None
    return join_names(parsed.names), parsed.agency


def join_names(names: Sequence[str]) -> str | None:
    """Join names as ``"A"``, ``"A and B"`` or ``"A, B and C"`` (``None`` for no names)."""
    if not names:
        return None
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def read_byline(line: str) -> Byline | None:
    """Read a byline into its parts (see ``parse_byline``), or ``None`` if the line is none."""
    text = line.strip().rstrip(".")
    if len(text) > 160:
        return None
    m = BYLINE_PREFIX.match(text)
    if m is None and (len(text) > 80 or not may_name_agency(text)):
        return None  # without "By", only a line naming a known agency can be a byline
    strong = bool(m and m.group("strong"))
    rest = text[m.end() :] if m else text
    rest = rest.strip(" :|-—–")
    if not rest:
        return None
    names: list[str] = []
    agency: str | None = None
    for raw_part in _BYLINE_SPLIT.split(rest):
        part = raw_part.strip(" .")
        if not part:
            continue
        found = agency_of(part)
        if found:
            agency = agency or found
        elif is_name(part):
            names.append(part)
        elif _is_role(part):
            continue
        elif _is_org(part) and (m or agency is None):
            agency = agency or part
        else:
            return None
    if not names and agency is None:
        return None
    if not m:
        # Without "By", accept only "<Name>, <known agency>" or a known agency alone: other
        # short capitalised lines are too often headlines or captions.
        known = agency is not None and agency_of(agency) is not None
        if not known or len(names) > 1:
            return None
    elif not strong and not names and agency is None:
        return None
    return Byline(tuple(names), agency)
