"""Date expressions: find them, tell their tense, and pin them to the calendar.

A news report dates its events relative to the day it was written ("on Wednesday", "last
month", "today"), and scraped copies often lose that day. This module finds the date phrases of
an article, reads the tense of the clause they date, resolves them against an *anchor* (the
article's publication date as written in its own time zone) and, for an undated article, infers
the anchor from the rest of the story.

Finding (``extract_dates``), a cascade over the parsed ``Doc``:

1. our own patterns, because the small spaCy model misses or mis-bounds many of them: weekday
   names ("on Monday", "later on Wednesday", "next Tuesday"), "today"/"yesterday"/"tomorrow",
   "last/this/next week|month|year|weekend|<season>", "N days ago", full and partial calendar
   dates ("10 January 2022", "January 11th, 2022", "Jan. 10", "January 10", "June 2021"),
   years after a preposition ("in 2014", "after 1997") and month names after one ("in
   December");
2. spaCy ``DATE`` entities that no pattern covered: parsed by the same rules when they hold a
   bare month or year ("a June summit", "the 2019 floods"); durations ("eight hours", "five
   years", "seven-and-a-half-hour") and ages ("71-year-old") are dropped; anything else that
   holds a year, a numeric date or a calendar word goes to ``dateparser`` as a last resort, and
   is dropped if dateparser cannot read it either.

Tense (``DateMention.tense``) comes from the verb the phrase dates. A finite verb written right
before the phrase wins ("said on Monday it would ...": the small parser often hangs the phrase
on the later clause); otherwise the walk goes up the dependency tree to the first verb whose
tense can be read: ``will``/``shall``/``would``/modals, "going to", "is due/set/expected/
planned/scheduled to", "are planned for" and the present progressive ("is meeting on
Wednesday") are future; simple past, past perfect and "did" are past; the simple present is
present. Participles ("followed by a meeting on Thursday") defer to the verb above them;
infinitives to their governing verb ("are to inspect", "agreed to meet": future; "refused to
leave": that verb's tense; anything else: ``None``). When no verb governs the phrase, the
sentence's verbs decide (any future marker, else any past-tense verb, else present).

Resolution conventions (relative to the anchor ``A``):

* weekday, past tense: the most recent such day on or before ``A`` (same day allowed: a report
  published on Monday evening about "talks ended Monday");
* weekday, future tense: the first such day on or after ``A``. Same day allowed too (a
  deliberate departure from "strictly after"): news style writes the weekday for "today", so a
  report published on Wednesday morning about talks "later on Wednesday" means that day;
* weekday, present or unknown tense: the nearest such day (at most three days away);
* "last Monday" / "next Monday" / "this coming Monday": strictly before / strictly after ``A``;
* "today", "tonight", "this morning": ``A``; "yesterday", "last night": ``A - 1``; "tomorrow":
  ``A + 1``;
* "last/this/next month": that month (month precision); "last/this/next year", "early next
  year", "later this year": that year (year precision);
* "last/this/next week", "N weeks ago": the Monday of that week, with ``precision="week"`` (the
  examples' gold convention; the timeline shows such an event under its Thursday's month);
  "last/this/next weekend": its Saturday, day precision;
* seasons: "last summer" is the most recent summer that ended before ``A``, "next spring" the
  first one starting after it, "this winter" the one around ``A`` (else the coming one); seasons
  resolve to the year they start in (year precision; northern hemisphere);
* "N days/weeks/months/years ago": ``A`` minus N units, at that unit's precision;
* month and day without a year ("January 10"): past tense takes the most recent such day on or
  before ``A``, future the first on or after it, present the nearest;
* a month name alone ("in December"): the same rule by months, with month precision;
* a year, or a month and year, or a full date: itself (``kind="absolute"``) whatever the anchor.

Without an anchor, relative phrases keep ``date=None``. ``dateparser`` (with ``RELATIVE_BASE``
set to the anchor and ``PREFER_DATES_FROM`` set from the tense) only reads spaCy date entities
the rules above do not cover; the rules, not dateparser, decide the tense.

Anchors (``infer_anchor``): a dated article's anchor is its publication date, read from the ISO
8601 string as written (a report stamped ``2022-01-11T00:30+05:30`` was written on the 11th in
its own zone, even though it was still the 10th in UTC). An undated article takes its anchor
from the story: its day-precise relative phrases ("on Monday", "today") are matched against the
day-precise dates already resolved in other articles whose sentences report the same thing
(lexical overlap of the two sentences); every candidate anchor within eight days of a matched
date is scored by how many matched events it reproduces (weighted by similarity); ties go to the
anchor that keeps the article's past-tense day phrases closest behind it (a report covers the
last few days), then to the one nearest the story's earliest publication date, then to the
earliest. Sentence similarity is the IDF-weighted Dice overlap of stemmed content words, date
words left out (``sentence_similarity``); a pair counts from ``PIN_SIMILARITY``. Articles pinned
this way feed the next round, so a chain of undated copies is resolved too. An article that
shares no dated event falls back to the story's earliest publication date (a copy cannot be
older than the first report of the events it describes, and wire copies are usually published
within hours of it); with no dated article at all, the anchor is ``None``.

``precision="week"`` is an addition to the day/month/year of the timeline contract, for "next
week" and the like; ``TimelineEvent`` dates never carry it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from spacy.tokens import Doc, Span, Token

from synoptic.analyze.nlp import sentences
from synoptic.model import Article

Kind = Literal["absolute", "relative"]
Precision = Literal["day", "week", "month", "year"]
Tense = Literal["past", "future", "present"]

WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
# (first month, last month); winter runs over the new year.
SEASONS = {
    "spring": (3, 5),
    "summer": (6, 8),
    "autumn": (9, 11),
    "fall": (9, 11),
    "winter": (12, 2),
}
NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}

# How far (days) from a matched event's date an undated article's anchor is searched.
PIN_WINDOW = 8
# Sentence similarity (see ``sentence_similarity``) at or above which two sentences that date an
# event to compatible days are taken to report the same event.
PIN_SIMILARITY = 0.15


@dataclass(frozen=True, slots=True)
class DateMention:
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


# --------------------------------------------------------------------------------------------
# Expressions: what a phrase says, before any anchor is known.


@dataclass(frozen=True, slots=True)
class _Expr:
    """A parsed date phrase.

    ``type`` is one of: ``weekday`` (value: weekday number, rel: None|last|next|this|coming),
    ``dayoff`` (value: day offset from the anchor), ``unit`` (unit: week|weekend|month|year,
    value: -1, 0 or 1), ``season`` (unit: season name, value: -1, 0, 1), ``ago`` (unit,
    value: count), ``ymd`` / ``md`` / ``ym`` / ``m`` / ``y`` (calendar fields in ``y, m, d``),
    ``parsed`` (a date already resolved by dateparser: ``y, m, d`` and ``unit`` = precision).
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


@dataclass(frozen=True, slots=True)
class _Found:
    start: int
    end: int
    text: str
    sentence: tuple[int, int]
    expr: _Expr
    tense: Tense | None


_MONTH_NAMES = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
)
_WEEKDAY_NAMES = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
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
        ("md", rf"\b{_LEAD}(?P<m>{_MONTH_NAMES})\.?\s+(?P<d>{_DAY})\b{_NO_MORE_DIGITS}"),
        ("my", rf"\b{_LEAD}(?P<m>{_MONTH_NAMES})\.?,?\s+(?P<y>{_YEAR})\b"),
        (
            "season_y",
            rf"\b{_LEAD}(?:(?i:the)\s+)?(?P<season>(?i:spring|summer|autumn|fall|winter))"
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
            rf"\b{_LEAD}(?P<word>(?i:today|tonight|yesterday|tomorrow|"
            r"this\s+(?:morning|afternoon|evening)|last\s+night))\b",
        ),
        (
            "unit",
            r"\b(?:(?i:the\s+)?(?i:end|start|beginning|middle)\s+of\s+)?"
            r"(?:(?i:early|late|mid|earlier|later)[\s-]+)?"
            r"(?:(?i:in|on|at|by|until|from|since|during|over|for|of)\s+)?"
            r"(?P<rel>(?i:last|next|this))\s+"
            r"(?P<unit>(?i:week|weekend|month|year|spring|summer|autumn|fall|winter))\b",
        ),
        (
            "end_of",
            r"\b(?i:(?:the\s+)?(?:end|start|beginning|middle)\s+of\s+the\s+)"
            r"(?P<unit>(?i:week|month|year))\b",
        ),
        (
            "ago",
            r"\b(?P<n>\d{1,3}|(?i:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
            r"twelve))\s+(?P<unit>(?i:day|week|month|year))s?\s+(?i:ago)\b",
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
_CALENDAR_WORD = re.compile(
    rf"(?i)\b(?:{_MONTH_NAMES[3:-1]}|{_WEEKDAY_NAMES[3:-1]}|spring|summer|autumn|winter)\b"
)


def _expr_from_match(name: str, m: re.Match[str]) -> _Expr | None:
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
        return _Expr("ymd", y=year, m=month, d=day)
    if name in ("dm", "md"):
        if day > calendar.monthrange(2000, month)[1]:  # 2000: a leap year allows 29 February
            return None
        return _Expr("md", m=month, d=day)
    if name == "my":
        return _Expr("ym", y=year, m=month)
    if name == "season_y":
        return _Expr("y", y=year)
    if name == "y":
        return _Expr("y", y=year)
    if name == "m":
        return _Expr("m", m=month)
    if name == "weekday":
        rel = (g.get("rel") or "").lower() or None
        if rel == "this coming":
            rel = "coming"
        return _Expr("weekday", value=WEEKDAYS[g["wd"].lower()], rel=rel)
    if name == "dayword":
        word = " ".join(g["word"].lower().split())
        offset = {"yesterday": -1, "last night": -1, "tomorrow": 1}.get(word, 0)
        return _Expr("dayoff", value=offset)
    if name in ("unit", "end_of"):
        unit = g["unit"].lower()
        rel = (g.get("rel") or "this").lower()
        value = {"last": -1, "this": 0, "next": 1}[rel]
        if unit in SEASONS:
            return _Expr("season", value=value, unit=unit)
        return _Expr("unit", value=value, unit=unit)
    if name == "ago":
        n = g["n"].lower()
        count = int(n) if n.isdigit() else NUMBERS[n]
        return _Expr("ago", value=count, unit=g["unit"].lower())
    return None  # pragma: no cover - every pattern name is handled above


def parse_phrase(text: str) -> _Expr | None:
    """Parse a stand-alone date phrase with the module's rules (bare months and years allowed).

    Used for spaCy entities the in-text patterns did not catch ("a June summit", "the 2019
    floods") and by tests. Returns ``None`` when the rules do not read the phrase.
    """
    best: tuple[int, _Expr] | None = None
    for name, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            expr = _expr_from_match(name, m)
            if expr is not None and (best is None or m.end() - m.start() > best[0]):
                best = (m.end() - m.start(), expr)
    if best is not None:
        return best[1]
    bare_year = re.search(rf"(?<![\d.,]){_YEAR}(?![\d]|[.,]\d|s\b)", text)
    if bare_year and not re.search(r"\d", text.replace(bare_year.group(0), "")):
        return _Expr("y", y=int(bare_year.group(0)))
    bare_month = re.search(rf"\b{_MONTH_NAMES}\b", text)
    if bare_month and not re.search(r"\d", text):
        return _Expr("m", m=MONTHS[bare_month.group(0).lower()])
    return None


# --------------------------------------------------------------------------------------------
# Tense.

_FUTURE_AUX = {"will", "shall", "'ll", "’ll", "wo", "would", "could", "may", "might", "should"}
_FUTURE_PREDICATES = {"plan", "schedule", "due", "expect", "set", "intend", "slate", "poise"}
_PAST_AUX = {"was", "were", "did", "had", "has", "have"}
_BE_PRESENT = {"is", "are", "am", "'s", "’s", "'re", "’re"}


_INFINITIVE = "infinitive"
# Verbs whose infinitive complement looks forward ("agreed to meet on Friday") or reports what
# happened ("refused to leave on Monday").
_PROSPECTIVE = {
    "agree",
    "decide",
    "promise",
    "vow",
    "pledge",
    "plan",
    "hope",
    "want",
    "intend",
    "aim",
    "expect",
    "threaten",
    "offer",
    "prepare",
    "arrange",
    "ask",
    "call",
    "urge",
    "invite",
    "order",
    "tell",
    "schedule",
    "set",
    "due",
    "go",
    "be",
    "seek",
    "propose",
    "wish",
    "need",
}
_IMPLICATIVE = {
    "refuse",
    "try",
    "fail",
    "manage",
    "attempt",
    "begin",
    "start",
    "continue",
    "decline",
    "stop",
    "cease",
    "dare",
    "neglect",
    "forget",
    "remember",
    "hesitate",
}


def _clause_tense(verb: Token) -> Tense | str | None:
    """The tense of the clause headed by ``verb``.

    Returns ``None`` for a non-finite form (a participle: the verb above decides) and
    ``_INFINITIVE`` for a "to" infinitive (its governing verb decides).
    """
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    words = {c.lower_ for c in auxes}
    if words & _FUTURE_AUX or (verb.tag_ == "MD" and verb.lower_ in _FUTURE_AUX):
        return "future"
    if "to" in words:
        return _INFINITIVE
    if (
        verb.lemma_.lower() in _FUTURE_PREDICATES
        and (words & (_BE_PRESENT | {"be"}) or (verb.tag_ in ("VBN", "JJ") and verb.dep_ != "amod"))
        and not words & {"was", "were", "had"}
    ):
        return "future"  # "are planned for Wednesday", "is due on Friday", "is expected on ..."
    if verb.lemma_ == "go" and verb.tag_ == "VBG" and any(c.lower_ == "to" for c in verb.children):
        return "future"
    if verb.tag_ == "VBG" and words & _BE_PRESENT:
        return "future"  # present progressive with a date: an arrangement ("is meeting on ...")
    if words & _PAST_AUX or verb.tag_ == "VBD":
        return "past"
    if verb.tag_ in ("VBZ", "VBP") or words & _BE_PRESENT or words & {"do", "does", "can"}:
        return "present"
    if verb.tag_ == "MD":
        return "present"
    return None


def _infinitive_tense(verb: Token) -> Tense | None:
    """The tense of a "to" infinitive's date, from the verb that governs the infinitive.

    "are to inspect", "is due to sign", "agreed to meet" look forward (future); "refused to
    leave", "tried to reach" report what happened (the governing verb's tense); any other
    governor gives no reading (``None``: the nearest day is taken).
    """
    head = verb.head
    if head is verb:
        return None
    lemma = head.lemma_.lower()
    head_tense = _clause_tense(head) if head.tag_.startswith("VB") or head.tag_ == "MD" else None
    if head_tense == "future":
        return "future"
    if lemma in _PROSPECTIVE or lemma in _FUTURE_PREDICATES:
        return "future"
    if lemma in _IMPLICATIVE and head_tense in ("past", "present"):
        return head_tense  # type: ignore[return-value]
    return None


def _sentence_tense(sent: Span) -> Tense | None:
    """The sentence-level fallback: any future marker, else any past verb, else present."""
    tags = [t for t in sent if t.tag_ == "MD" or t.tag_.startswith("VB")]
    if not tags:
        return None
    for t in tags:
        if t.tag_ == "MD" and t.lower_ in _FUTURE_AUX:
            return "future"
        if t.lemma_.lower() in _FUTURE_PREDICATES and any(
            c.lower_ == "to" or c.dep_ == "prep" for c in t.children
        ):
            return "future"
    if any(t.tag_ in ("VBD",) for t in tags):
        return "past"
    return "present"


def _is_verb(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB") or token.tag_ == "MD"


def tense_of(span: Span) -> Tense | None:
    """Return the tense of the clause a date phrase ``span`` dates.

    A verb written right before the phrase ("said on Monday", "ended Monday") dates it: the
    small parser often hangs such a phrase on a later clause ("said on Monday it would ...").
    Otherwise the walk goes from the phrase up the dependency tree to the first verb whose
    tense can be read (participles defer to the verb above them, infinitives to their governing
    verb); with no such verb, the sentence's verbs decide.
    """
    doc = span.doc
    if span.start > 0:
        before = doc[span.start - 1]
        if _is_verb(before) and before.tag_ in ("VBD", "VBZ", "VBP"):
            tense = _clause_tense(before)
            if tense in ("past", "present", "future"):
                return tense  # type: ignore[return-value]
    node = span.root
    seen = 0
    while node.head is not node and seen < 50:
        node = node.head
        seen += 1
        if _is_verb(node):
            tense = _clause_tense(node)
            if tense == _INFINITIVE:
                return _infinitive_tense(node)
            if tense is not None:
                return tense  # type: ignore[return-value]
        elif node.lemma_.lower() in _FUTURE_PREDICATES and any(
            c.lemma_ == "be" for c in node.children
        ):
            return "future"  # "The compact is due on Friday": an adjective predicate
    return _sentence_tense(span.sent)


# --------------------------------------------------------------------------------------------
# Finding.


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\n,.;:":
        start += 1
    while end > start and text[end - 1] in " \t\n,;:":
        end -= 1
    return start, end


def _sentence_index(article: Article, doc: Doc) -> tuple[list[int], list[tuple[int, int]]]:
    sents = sentences(article, doc)
    return [s.start for s in sents], [(s.start, s.end) for s in sents]


def _sentence_of(
    starts: list[int], spans: list[tuple[int, int]], pos: int, text: str
) -> tuple[int, int]:
    i = bisect_right(starts, pos) - 1
    if i >= 0 and spans[i][0] <= pos < spans[i][1]:
        return spans[i]
    return (pos, min(len(text), pos + 1))


def _is_duration_or_age(text: str) -> bool:
    """Whether a date entity is a duration, an age or a span of years ("2007-08 season")."""
    phrase = " ".join(text.replace("-", " - ").split()).replace(" - ", "-")
    phrase = re.sub(r"(?i)^(?:for|in|over|after|within|during|of)\s+", "", phrase)
    return bool(_DURATION.match(phrase) or _AGE.search(phrase) or _YEAR_SPAN.search(phrase))


def _counts_things(span: Span) -> bool:
    """Whether a year-like number counts a plural noun ("in 2000 homes"), not a year.

    "the 2019 floods" keeps its year: a determiner before the number marks a date used as a
    modifier, which a count rarely takes.
    """
    for t in span:
        if (
            t.like_num
            and t.dep_ == "nummod"
            and t.head.tag_ in ("NNS", "NNPS")
            and not (t.i > 0 and t.doc[t.i - 1].pos_ == "DET")
        ):
            return True
    return False


def _find(article: Article, doc: Doc) -> list[_Found]:
    """Find the article's date phrases (patterns first, then spaCy DATE entities)."""
    text = doc.text
    candidates: list[tuple[int, int, _Expr]] = []
    for name, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            expr = _expr_from_match(name, m)
            if expr is not None:
                start, end = _trim(text, m.start(), m.end())
                candidates.append((start, end, expr))
    # Longest first, then earliest: overlapping matches keep the widest reading.
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    taken: list[tuple[int, int, _Expr]] = []
    for c in candidates:
        if all(c[1] <= t[0] or c[0] >= t[1] for t in taken):
            taken.append(c)
    for ent in doc.ents:
        if ent.label_ != "DATE":
            continue
        if any(ent.start_char < t[1] and ent.end_char > t[0] for t in taken):
            continue
        if _is_duration_or_age(ent.text):
            continue
        expr = parse_phrase(ent.text)
        if expr is None and (_DATE_NUMBER.search(ent.text) or _CALENDAR_WORD.search(ent.text)):
            expr = _Expr("dateparser")
        if expr is not None:
            taken.append((ent.start_char, ent.end_char, expr))
    taken.sort(key=lambda c: c[0])
    starts, spans = _sentence_index(article, doc)
    found: list[_Found] = []
    for start, end, expr in taken:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None and expr.type == "y" and _counts_things(span):
            continue
        tense = tense_of(span) if span is not None and len(span) else None
        found.append(
            _Found(
                start, end, text[start:end], _sentence_of(starts, spans, start, text), expr, tense
            )
        )
    return found


# --------------------------------------------------------------------------------------------
# Resolution.


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


def _resolve(
    expr: _Expr, anchor: dt.date | None, tense: Tense | None, text: str = ""
) -> tuple[str, Precision] | None:
    """Resolve an expression against ``anchor`` (see the module docstring for the rules)."""
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
        options = []
        for y in (a.year - 1, a.year, a.year + 1):
            try:
                options.append(dt.date(y, expr.m, expr.d))
            except ValueError:  # 29 February outside a leap year
                continue
        past = max((d for d in options if d <= a), default=None)
        future = min((d for d in options if d >= a), default=None)
        if past is not None and future is not None:
            return _fmt(_pick(past, future, a, tense), "day"), "day"
        only = past or future
        return (_fmt(only, "day"), "day") if only is not None else None
    if t == "m":
        this = dt.date(a.year, expr.m, 1)
        month_start = dt.date(a.year, a.month, 1)
        past = this if this <= month_start else dt.date(a.year - 1, expr.m, 1)
        future = this if this >= month_start else dt.date(a.year + 1, expr.m, 1)
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


def _mention(article: Article, f: _Found, anchor: dt.date | None) -> DateMention:
    resolved = _resolve(f.expr, anchor, f.tense, f.text)
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


def extract_dates(
    article: Article, doc: Doc, *, anchor: dt.date | None = None
) -> tuple[DateMention, ...]:
    """Return the article's date phrases, resolved against ``anchor``.

    Args:
        article: The article; mention spans index into its ``text``.
        doc: The article's parsed ``Doc`` (from ``Analyzer.parse``).
        anchor: The day relative phrases are relative to (see ``infer_anchor``); ``None``
            uses the article's own publication date, and leaves relative phrases unresolved
            when it has none.

    Returns:
        The mentions in reading order; durations and ages are not mentions.
    """
    if anchor is None:
        anchor = published_date(article.published)
    return tuple(_mention(article, f, anchor) for f in _find(article, doc))


# --------------------------------------------------------------------------------------------
# Anchors.


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


_TOKEN = re.compile(r"[A-Za-z][A-Za-z’'-]*")
_STOP = frozenset(
    """a an the and or but of to in on at by for with from as into over after before about
    than that this these those there their they them he she his her hers him it its we our you
    your i me my was were is are be been being has have had do does did will would shall should
    can could may might must not no nor so if then also which who whom whose what when where
    while said says say told tell according more most some any all each other such only just
    very mr ms mrs one two three four five six seven eight nine ten early late later earlier
    last next this week month year today yesterday tomorrow tonight morning evening night
    afternoon""".split()  # noqa: SIM905 - a word list reads better as text
)
_DATE_WORDS = frozenset(WEEKDAYS) | frozenset(MONTHS) | frozenset(SEASONS)


def _stem(word: str) -> str:
    w = word.lower().strip("’'-")
    w = re.sub(r"[’']s$", "", w)
    for suffix, repl in (("ies", "y"), ("ing", ""), ("ed", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith("ss"):
            w = w[: len(w) - len(suffix)] + repl
            break
    return w[:6]


def content_terms(text: str) -> frozenset[str]:
    """Return the stemmed content words of a sentence (stop words and date words dropped)."""
    out = set()
    for raw in _TOKEN.findall(text):
        for part in raw.split("-"):
            low = part.lower().strip("’'")
            if len(low) < 3 or low in _STOP or low in _DATE_WORDS:
                continue
            out.add(_stem(low))
    return frozenset(out)


class TermWeights:
    """Inverse document frequency of terms over a set of sentences (a story's)."""

    def __init__(self, term_sets: Iterable[frozenset[str]]) -> None:
        sets = list(term_sets)
        self.n = len(sets)
        self.df: Counter[str] = Counter()
        for s in sets:
            self.df.update(s)

    def weight(self, term: str) -> float:
        """Smoothed IDF: terms every sentence shares weigh little, rare ones a lot."""
        return math.log((1 + self.n) / (1 + self.df.get(term, 0))) + 1.0


def sentence_similarity(a: frozenset[str], b: frozenset[str], weights: TermWeights) -> float:
    """IDF-weighted Dice overlap of two sentences' content terms, in [0, 1]."""
    if not a or not b:
        return 0.0
    shared = sum(weights.weight(t) for t in a & b)
    total = sum(weights.weight(t) for t in a) + sum(weights.weight(t) for t in b)
    return 2.0 * shared / total if total else 0.0


@dataclass(frozen=True, slots=True)
class _Dated:
    article: str
    date: dt.date
    terms: frozenset[str]


def _reach_back(found: Sequence[_Found], anchor: dt.date) -> int:
    """How many days back the article's oldest past-tense day phrase lands from ``anchor``.

    A report covers recent days: of two anchors that agree equally with the story, the one
    that keeps its past events closest is likelier ("ended Monday ... resumed Tuesday" is
    written on Tuesday, not on the Monday before a Tuesday six days earlier).
    """
    reach = 0
    for f in found:
        if f.expr.day_relative and f.tense == "past":
            r = _resolve(f.expr, anchor, f.tense)
            if r:
                reach = max(reach, (anchor - dt.date.fromisoformat(r[0])).days)
    return reach


def _pin(
    article: Article,
    found: Sequence[_Found],
    pool: Sequence[_Dated],
    weights: TermWeights,
    story_date: dt.date | None,
) -> dt.date | None:
    """Infer an undated article's anchor from the events it shares with dated ones."""
    text = article.text
    scores: dict[dt.date, float] = {}
    for f in found:
        if not f.expr.day_relative:
            continue
        terms = content_terms(text[f.sentence[0] : f.sentence[1]])
        best: dict[dt.date, float] = {}  # candidate anchor -> best similarity for this mention
        for p in pool:
            if p.article == article.id:
                continue
            sim = sentence_similarity(terms, p.terms, weights)
            if sim < PIN_SIMILARITY:
                continue
            for delta in range(-PIN_WINDOW, PIN_WINDOW + 1):
                cand = p.date + dt.timedelta(days=delta)
                r = _resolve(f.expr, cand, f.tense)
                if r and r[0] == p.date.isoformat() and sim > best.get(cand, 0.0):
                    best[cand] = sim
        for cand, sim in best.items():
            scores[cand] = scores.get(cand, 0.0) + sim
    if not scores:
        return None
    top = max(scores.values())
    finalists = [c for c, s in scores.items() if s >= top - 1e-9]
    near = story_date or min(finalists)
    return min(finalists, key=lambda c: (_reach_back(found, c), abs((c - near).days), c))


def infer_anchor(articles: Sequence[Article], docs: Mapping[str, Doc]) -> dict[str, dt.date | None]:
    """Return, per article id, the day its relative date phrases are relative to.

    A dated article's anchor is its publication date as written (in its own offset). An
    undated one is pinned by the events it shares with articles already anchored (repeated
    until nothing changes, so copies of copies resolve too); failing that it takes the story's
    earliest publication date, or ``None`` when no article of the story is dated. See the
    module docstring for the scoring.

    Args:
        articles: The story's articles.
        docs: Parsed docs by article id; articles without one keep their own date (or the
            fallback).
    """
    own = {a.id: published_date(a.published) for a in articles}
    anchors: dict[str, dt.date | None] = dict(own)
    found = {a.id: _find(a, docs[a.id]) for a in articles if a.id in docs}
    by_id = {a.id: a for a in articles}
    terms: dict[tuple[str, tuple[int, int]], frozenset[str]] = {}
    for aid, fs in found.items():
        for f in fs:
            key = (aid, f.sentence)
            if key not in terms:
                terms[key] = content_terms(by_id[aid].text[f.sentence[0] : f.sentence[1]])
    weights = TermWeights(terms.values())
    pinned: set[str] = {aid for aid, d in own.items() if d is not None}
    dated = [d for d in own.values() if d is not None]
    fallback = min(dated) if dated else None
    while True:
        pool: list[_Dated] = []
        for aid in sorted(pinned):
            for f in found.get(aid, ()):
                r = _resolve(f.expr, anchors[aid], f.tense, f.text)
                if r and r[1] == "day":
                    pool.append(_Dated(aid, dt.date.fromisoformat(r[0]), terms[(aid, f.sentence)]))
        progress = False
        for a in articles:
            if a.id in pinned or a.id not in found:
                continue
            anchor = _pin(a, found[a.id], pool, weights, fallback)
            if anchor is not None:
                anchors[a.id] = anchor
                pinned.add(a.id)
                progress = True
        if not progress:
            break
    for a in articles:
        if a.id not in pinned:
            anchors[a.id] = fallback
    return anchors


__all__ = [
    "DateMention",
    "TermWeights",
    "content_terms",
    "extract_dates",
    "infer_anchor",
    "parse_phrase",
    "published_date",
    "sentence_similarity",
    "tense_of",
]
