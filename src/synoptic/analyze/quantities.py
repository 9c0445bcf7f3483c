"""Quantities: the figures an article gives, what each counts, and how exactly it is stated.

A news figure is more than a number: "an estimated 100,000 troops", "a seven-and-a-half-hour
consultation", "tens of thousands of Russian troops", "more than 11.000 inhabitants". Comparing
such figures across outlets needs three things read off the wording, and this module reads them:

* the **value** and the **interval the wording admits** (``low``..``high``): "about" widens the
  value, "more than" opens it upwards, a range or a vague plural ("hundreds") spans it;
* the **unit**: the counted thing, from the dependency parse (``nummod``/``compound`` heads,
  hyphenated adjectives such as "eight-hour talks", "of" complements as in "tens of thousands of
  troops", or a verb for bare numbers as in "Thousands have been killed"), normalised through a
  small table (soldiers/forces -> ``troops``, killed/deaths/hurt -> ``dead``/``injured``, per
  cent/% -> ``percent``, $ -> ``dollar``, "weighing 130 pounds" -> ``lb`` but "£5m" ->
  ``pound``...). Some wordings carry their own unit: magnitudes ("magnitude 6.1", "5.9-magnitude",
  "6.4 on the Richter scale", "a 6.1 earthquake"), ages at death ("died at 91", "aged 36"),
  rates ("$4 million a year" -> ``dollar per year``), speeds ("120 miles an hour" -> ``mph``),
  compound lengths ("4 minutes 48 seconds" = 4.8 minutes, "5-foot-8"), "an hour and a half",
  and the first of two figures sharing a unit ("the 7.6 and 7.5 magnitude quakes");
* **context** for telling whether two figures measure the same thing: the thing measured
  (``about``: "talk" for "eight hours of talks", "damage" for "puts the damage at €240
  million"), the sentence's content-word lemmas, the names of the clause giving the figure
  (sources such as "the agency said" left out) and its named ``subject`` ("Manning completed 17
  passes"), nearest first. A figure whose clause has a pronoun subject ("we are at €300 million
  at least") also takes the words, and if need be the thing measured, of the sentence before;
* whether the figure is **hedged** ("there might have been two people killed", "when one is
  killed") or **rising** ("the death toll has risen to five").

Detokenised text with a space after separators (ECB+ and some scrapers: "50, 000 people", "a
5. 9 magnitude quake") is read as one number where a sentence break cannot fall there.

Numbers that are not measured quantities are rejected with a reason (see ``rejected_numbers``):
years, dates, times of day, ordinals, list markers, "one of", "No. 2", phone numbers, ages after
names ("Smith, 45,"), numbers inside names ("Boeing 737", "COVID-19") or paths, codes with a
leading zero, street addresses, the old value of a change ("rose from 30 to 45"), scores and
year ranges ("3-1", "2014-2022"), fractions ("two-thirds"), and figures that are not the count
of a whole: a part of a group ("37 of the candidates"), an increment or remainder ("two more",
"another 3,000") and a point in time rather than a length ("two years ago"); also numbers in a
line that is a web address, a figure in brackets after another (a conversion: "58km (36
miles)", "€110bn ($141bn)") and one part of a list of people ("two women and a man died").

Interval conventions (``find_conflicts`` compares intervals, so these decide what agrees):

==========================  ===========================================  ==========
wording                     interval                                     ``approx``
==========================  ===========================================  ==========
"100,000" / "eight"          [v, v]                                       exact
"about/around/some/an        [0.9 v, 1.1 v]                               about
estimated/approximately v"
"nearly/almost v"            [0.95 v, v]                                  about
"a dozen", "half a dozen"    [0.9 v, 1.1 v]                               about
"more than/over/at least v"  [v, inf)  (what the words admit)             over
"just over v"                [v, 1.05 v]                                  over
"fewer than/up to/within v"  [0, v]                                       under
"between a and b", "a-b",    [a, b], value = midpoint                     range
"a to b", "a or b"
"hundreds", "tens of         [x, 20 x] for the decade x the words name    range
thousands", "dozens"         (the literal decade, widened x2 because      (value =
                             writers use these loosely); value = x        x)
"several/a few hundred"      [2 x, 9 x] / [2 x, 5 x]                      range
==========================  ===========================================  ==========
"""

from __future__ import annotations

import dataclasses
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Span, Token

from synoptic.model import Article, Record

Approx = Literal["exact", "about", "over", "under", "range"]

INF = math.inf
ABOUT_TOLERANCE = 0.10
NEARLY_TOLERANCE = 0.05
VAGUE_WIDENING = 20.0


@dataclass(frozen=True, slots=True)
class Quantity(Record):
    """A figure in one article: value, admitted interval, unit and context.

    Attributes:
        article: The article id.
        start: Start of the whole quantity phrase in ``Article.text`` ("about 70,000 troops",
            "seven-and-a-half-hour consultation", "Tens of thousands of Russian troops").
        end: End of the phrase (exclusive).
        text: ``Article.text[start:end]``.
        value: The figure as stated (70000.0, 7.5); the midpoint of an explicit range; the lower
            bound of a vague plural ("hundreds" -> 100).
        low: The lowest value the wording admits.
        high: The highest value the wording admits (``math.inf`` for "more than").
        approx: How the figure is stated: exact, about, over, under or range.
        unit: The normalised unit or counted thing ("troops", "hour", "dead", "dollar",
            "percent", "people"), or ``None`` when nothing counted could be found.
        head: The lemma of the counted noun as written ("troop", "soldier", "hour"), or
            ``None`` (a currency symbol, a verb-derived unit as in "Thousands have been killed").
        sentence: The ``(start, end)`` span of the sentence holding the figure.
        about: The lemma of the thing measured when the unit is a measure of something else
            ("talk" in "eight-hour talks", "water" in "40 million cubic metres of water").
        context: Stems of the sentence's content words outside the phrase, nearest first,
            used to tell whether two figures measure the same thing.
        entities: The named people, places, organisations and groups of the sentence (the
            stem of each name's last word: "ryabkov", "russian", "ukraine"), nearest first.
            Names that only attribute the figure ("..., the agency said", "according to
            Reuters") are left out: a source is not what the figure is about.
        subject: The stem of the named subject of the clause giving the figure ("manning" in
            "Manning completed 17 passes", "sox" in "the Red Sox offered eight years"), or
            ``None`` when the subject is not a name (a pronoun, a common noun, the figure).
        hedged: Whether the figure is only a possibility: under a modal verb ("there might
            have been two people killed") or in a condition ("if 40 people die").
        rising: Whether the figure is given as the new level of a growing count ("the death
            toll has risen to five", "rose to 10", "now stands at 12").

    In ``to_dict`` an open upper bound (``high == math.inf``) is written as ``None``, so the
    dictionary is valid JSON; ``from_dict`` reads ``None`` back as ``math.inf``.
    """

    article: str
    start: int
    end: int
    text: str
    value: float
    low: float
    high: float
    approx: Approx
    unit: str | None
    head: str | None
    sentence: tuple[int, int]
    about: str | None = None
    context: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    subject: str | None = None
    hedged: bool = False
    rising: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Return the quantity as JSON-ready data (an open ``high`` becomes ``None``)."""
        data = Record.to_dict(self)
        if not math.isfinite(self.high):
            data["high"] = None
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Quantity:
        """Build a quantity from ``to_dict`` output (``high: None`` is an open bound)."""
        if data.get("high", 0.0) is None:
            data = {**data, "high": INF}
        return super(Quantity, cls).from_dict(data)

    def compatible(self, other: Quantity) -> bool:
        """Return whether the two intervals overlap (the figures can both be true)."""
        return intervals_overlap((self.low, self.high), (other.low, other.high))


@dataclass(frozen=True, slots=True)
class RejectedNumber:
    """A number the extractor did not keep as a quantity, with the reason why."""

    start: int
    end: int
    text: str
    reason: str


def intervals_overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Return whether closed intervals ``a`` and ``b`` overlap (with float slack)."""
    slack = 1e-9 * max(1.0, abs(a[0]), abs(b[0]))
    return a[0] <= b[1] + slack and b[0] <= a[1] + slack


# --------------------------------------------------------------------------------------------
# Vocabulary

_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100.0, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_ABBR_SCALES = {"k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12}
_GLYPHS = {"½": 0.5, "¼": 0.25, "¾": 0.75, "⅓": 1 / 3, "⅔": 2 / 3}
_VAGUE_PLURALS = {"dozens": 12.0, "hundreds": 100.0, "thousands": 1e3, "millions": 1e6}
_VAGUE_PLURALS["billions"] = 1e9
_NUMBER_WORDS = set(_SMALL) | set(_TENS) | set(_SCALES) | {"dozen"}

_CURRENCIES = {
    "$": "dollar", "us$": "dollar", "$us": "dollar", "usd": "dollar", "a$": "dollar",
    "c$": "dollar",
    "hk$": "dollar", "€": "euro", "eur": "euro", "£": "pound", "gbp": "pound", "¥": "yen",
    "₹": "rupee", "rs": "rupee", "rs.": "rupee",
}  # fmt: skip

# Normalised units: counted nouns (lemmas, lower case) and abbreviations -> unit.
UNITS: dict[str, str] = {
    "troop": "troops", "troops": "troops", "soldier": "troops", "serviceman": "troops",
    "servicemen": "troops", "servicemember": "troops", "force": "troops",
    "dead": "dead", "death": "dead", "fatality": "dead", "killed": "dead",
    "injured": "injured", "injury": "injured", "wounded": "injured", "hurt": "injured",
    "people": "people", "person": "people", "persons": "people", "individual": "people",
    "inhabitant": "people", "resident": "people",
    "hour": "hour", "hr": "hour", "hrs": "hour", "h": "hour",
    "minute": "minute", "min": "minute", "mins": "minute",
    "second": "second", "sec": "second", "secs": "second",
    "day": "day", "week": "week", "month": "month", "year": "year", "decade": "decade",
    "percent": "percent", "per cent": "percent", "pct": "percent", "%": "percent",
    "percentage point": "percentage point",
    "dollar": "dollar", "euro": "euro", "pound": "pound", "yen": "yen", "rupee": "rupee",
    "rouble": "rouble", "ruble": "rouble", "yuan": "yuan",
    "kilometre": "kilometre", "kilometer": "kilometre", "km": "kilometre",
    "mile": "mile", "mi": "mile", "metre": "metre", "meter": "metre", "m": "metre",
    "centimetre": "centimetre", "centimeter": "centimetre", "cm": "centimetre",
    "foot": "foot", "feet": "foot", "ft": "foot", "inch": "inch", "inches": "inch",
    "yard": "yard",
    "kilogram": "kilogram", "kg": "kilogram", "tonne": "tonne", "ton": "tonne",
    "gram": "gram", "lb": "lb", "lbs": "lb",
    "litre": "litre", "liter": "litre",
    "cubic metre": "cubic metre", "cubic meter": "cubic metre", "m³": "cubic metre",
    "m3": "cubic metre", "square kilometre": "square kilometre",
    "square kilometer": "square kilometre", "km²": "square kilometre", "km2": "square kilometre",
    "square metre": "square metre", "square meter": "square metre",
    "square mile": "square mile", "hectare": "hectare", "acre": "acre",
    "mph": "mph", "mile per hour": "mph", "miles per hour": "mph", "mile an hour": "mph",
    "miles an hour": "mph", "km/h": "km/h", "kph": "km/h", "kilometre per hour": "km/h",
    "kilometres per hour": "km/h", "kilometer per hour": "km/h", "kilometers per hour": "km/h",
    "kilometres an hour": "km/h", "kilometers an hour": "km/h",
    "magnitude": "magnitude",
    "member": "member",
}  # fmt: skip
_KNOWN_UNITS = set(UNITS.values()) | {"age"}
_TIME_UNITS = {"hour", "minute", "second", "day", "week", "month", "year", "decade"}
# Units that measure something else (a length of talks, a volume of water, a sum): only these get
# an ``about``; counts (troops, people) are the thing itself.
MEASURES = _TIME_UNITS | {
    "percent", "percentage point", "dollar", "euro", "pound", "yen", "rupee", "rouble", "yuan",
    "kilometre", "mile", "metre", "centimetre", "foot", "kilogram", "tonne", "cubic metre",
    "square kilometre", "age", "inch", "yard", "gram", "lb", "litre", "square metre",
    "square mile", "hectare", "acre", "mph", "km/h", "magnitude",
}  # fmt: skip
_KILL_VERBS = {"kill", "die", "perish", "drown", "murder", "slay", "execute"}
_INJURE_VERBS = {"injure", "wound", "hurt", "hospitalise", "hospitalize"}
_DISPLACE_VERBS = {"evacuate", "displace", "relocate", "strand"}
_PERSON_NOUNS = {"civilian", "child", "man", "woman", "worker", "passenger", "resident"}
_DEAD_WORDS = {"dead", "killed", "died", "deaths", "fatalities"}
_INJURED_WORDS = {"injured", "wounded", "hurt"}
_CHANGE_VERBS = re.compile(
    r"\b(?:rise|rises|rising|rose|risen|increase[sd]?|increasing|grow|grows|grew|grown|"
    r"climb(?:s|ed)?|jump(?:s|ed)?|soar(?:s|ed)?|fall|falls|fell|fallen|drop(?:s|ped)?|"
    r"decline[sd]?|decrease[sd]?|cut|cuts|raise[sd]?|reduce[sd]?|revise[sd]?|lower(?:s|ed)?|"
    r"went|gone|go(?:es)?|up|down|shrank|shrunk|shrink(?:s)?)\b[^.;:!?]{0,40}$",
    re.IGNORECASE,
)
# Nouns a number hyphenated with another is a result of, not a range of ("a 3-1 win").
_SCORE_NOUNS = {"win", "victory", "defeat", "loss", "draw", "lead", "score", "scoreline", "vote"}
_SCORE_NOUNS |= {"ruling", "decision", "majority", "tie", "result", "margin"}
_NAME_ENTS = {"PERSON", "ORG", "PRODUCT", "WORK_OF_ART", "FAC", "EVENT", "LAW", "GPE", "LOC"}
# Capitalised only: "10 may die" and "will march" are not dates.
_MONTHS = (
    r"Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?|JANUARY|FEBRUARY|MARCH|"
    r"APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER"
)
# Reporting verbs appear around every figure; they say nothing about what is measured.
_WEAK_CONTEXT = {"say", "tell", "add", "report", "accord", "state", "note", "claim", "cite"}

# --------------------------------------------------------------------------------------------
# Lexical patterns

_DIGITS = re.compile(
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?"  # 100,000 / 1,250.5
    r"|\d{1,3}(?:[\u00a0\u202f\u2009]\d{3})+"  # 100 000 (non-breaking / thin space)
    r"|\d{1,3}(?:\.\d{3})+(?![.,]?\d)"  # 100.000 (thousands dot, decided below)
    r"|\d+(?:\.\d+)?)"  # 1000 / 1.5
    r"(?P<glyph>\s?[½¼¾⅓⅔])?"
)
# Detokenised text (ECB+, some scrapers) puts a space after separators: "50, 000 people",
# "a 5. 9 magnitude quake", "3. 9 percent". The comma form is read as thousands (unless a month
# precedes: "May 5, 400 people"); the decimal form only before a scale, percent or magnitude
# word, or after a currency sign or "magnitude", where a sentence break cannot fall.
_SPACED = re.compile(r"(?P<num>\d{1,3}(?:, \d{3})+(?![\d,])|(?P<dec>\d{1,3}\. \d{1,2})(?!\d))")
_SPACED_DECIMAL_AFTER = re.compile(
    r"\s?-?\s?(?:%|per\s?cent\b|percent\b|million\b|billion\b|trillion\b|bn\b|m\b|"
    r"magnitude\b|on\s+the\s+richter\b|strength\b|ghz\b)",
    re.IGNORECASE,
)
_SPACED_DECIMAL_BEFORE = re.compile(r"magnitude\b[^.;]{0,20}$|(?:measuring|registering)\s+$", re.I)
_CURRENCY_PREFIX = re.compile(
    r"(?P<cur>US\$|\$US|A\$|C\$|HK\$|[$€£¥₹]|(?:USD|EUR|GBP|Rs\.?)(?=\s?\d))\s?"
)
_SCALE_AFTER = re.compile(
    r"(?P<sp>\s?|\s?-\s?)(?P<scale>million|billion|trillion|thousand|mln|mn|bn|tn|k|m|b)(?![\w])",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z]+")
_WORD_SEP = re.compile(r"[ \t\u00a0]*-[ \t\u00a0]*|[ \t\u00a0]+")
_START = re.compile(
    r"(?:US\$|\$US|A\$|C\$|HK\$|[$€£¥₹]|\b(?:USD|EUR|GBP|Rs\.?)(?=\s?\d))\s?\d"
    r"|\d|[½¼¾]"
    r"|\b(?:"
    + "|".join(
        sorted(
            _NUMBER_WORDS | {"a", "an", "half", "tens", "several", "few"} | set(_VAGUE_PLURALS),
            key=len,
            reverse=True,
        )
    )
    + r")\b",
    re.IGNORECASE,
)
_VAGUE_OF = re.compile(
    r"(?P<mult>tens|hundreds|dozens)\s+of\s+(?P<scale>thousands|millions|billions)\b", re.I
)
_SEVERAL = re.compile(
    r"(?P<q>several|a\s+few|a\s+couple\s+of|a\s+couple)\s+(?P<scale>hundred|thousand|million|"
    r"billion|dozen)\b",
    re.IGNORECASE,
)
_HALF_UNIT = re.compile(
    r"(?:an?|one)\s+(?P<u>hour|day|week|month|year|minute)\s+and\s+a\s+half\b"
    r"|(?P<half>half)\s+an?\s+(?P<u2>hour|day|week|month|year|minute)\b",
    re.IGNORECASE,
)
_VAGUE_PLURAL = re.compile(r"(?P<w>dozens|hundreds|thousands|millions|billions)\b", re.I)

_APPROX_PREFIX = [
    (re.compile(r"\b(?:just|slightly)\s+(?:over|above|more\s+than)\s+$", re.I), "just_over"),
    (re.compile(r"\b(?:just|slightly)\s+(?:under|below|less\s+than|fewer\s+than)\s+$", re.I),
     "nearly"),
    (re.compile(r"\b(?:nearly|almost|close\s+to|not\s+quite|just\s+shy\s+of)\s+$", re.I),
     "nearly"),
    (re.compile(r"\b(?:more\s+than|over|above|upwards\s+of|in\s+excess\s+of|at\s+least|"
                r"no\s+(?:fewer|less)\s+than|not\s+less\s+than|a\s+minimum\s+of|"
                r"well\s+(?:over|above))\s+$", re.I), "over"),
    (re.compile(r"\b(?:fewer\s+than|less\s+than|under|below|up\s+to|at\s+most|within|"
                r"no\s+more\s+than|not\s+more\s+than|as\s+many\s+as|a\s+maximum\s+of)\s+$",
                re.I), "under"),
    (re.compile(r"(?:\b(?:about|around|approximately|approx\.|roughly|some|an\s+estimated|"
                r"estimated|an\s+approximate|circa|in\s+the\s+region\s+of)\s+|~\s?)$", re.I),
     "about"),
]  # fmt: skip
_APPROX_SUFFIX = re.compile(
    r"(?:\s*,?\s*(?P<w>or\s+so|or\s+more|or\s+over|or\s+fewer|or\s+less|at\s+least|at\s+most|"
    r"plus)\b|(?P<plus>\+))",
    re.IGNORECASE,
)
_SUFFIX_KIND = {
    "or so": "about", "or more": "over", "or over": "over", "or fewer": "under",
    "or less": "under", "at least": "over", "at most": "under", "plus": "over", "+": "over",
}  # fmt: skip
_PERCENT = re.compile(r"\s?%|\s(?:per\s?cent|percent|pct)\b|\s(?P<pp>percentage\s+points?)\b", re.I)
_MULTIWORD_UNIT = re.compile(
    r"\s+(?P<u>(?:cubic|square)\s+(?:metres?|meters?|kilometres?|kilometers?|miles?|feet|foot)"
    r"|(?:miles?|kilometres?|kilometers?)\s+(?:per|an)\s+hour)\b",
    re.IGNORECASE,
)
_ABBR_UNIT = re.compile(
    r"(?P<sp>\s?)(?P<u>(?i:km²|km2|m³|m3|km/h|kph|km|kg|mph|mi|ft|cm|hrs?|mins?|secs?)|h|m)"
    r"(?![\w²³/])"
)
# "eight-hour", "72-year-old"; spaced hyphens ("8 - year") come from detokenised text.
_HYPHEN_UNIT = re.compile(
    r" ?- ?(?P<u>[A-Za-z]+)(?: ?- ?(?P<adj>old|long|strong|wide|high|deep|tall))?\b"
)
_FRACTION_WORDS = {"third", "thirds", "quarter", "quarters", "fifth", "fifths", "tenth", "tenths"}
_TIME_OF_DAY = re.compile(
    r"\s?(?:a\.\s?m\.|p\.\s?m\.|am\b|pm\b|o'clock|o’clock|(?:gmt|utc|bst|cet|cest|est|edt|pst|ist)\b)",
    re.IGNORECASE,
)
_MONTH_BEFORE = re.compile(rf"\b(?:{_MONTHS})\.?\s+(?:the\s+)?$")
_MONTH_AFTER = re.compile(rf"(?:\s+of)?\s+(?:{_MONTHS})\b")
_NUMBER_LABEL = re.compile(r"(?:\b(?:no|nr|num|number)\.?\s*|#\s*)$", re.IGNORECASE)
_PHONE = re.compile(
    r"(?<![\w.])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,5}\)[\s.-]?)?\d{2,5}(?:[\s.-]\d{2,5}){2,}(?![\w])"
    r"|(?<![\w.])\+\d[\d\s.-]{6,}\d"
)
_AGE_AFTER_NAME_BEFORE = re.compile(r"[A-Z][\w'’.-]+,\s*$|[A-Z][\w'’.-]+\s+\($")
_AGE_AFTER_NAME_AFTER = re.compile(r"\s*[,)]")
# What makes a figure something other than the count of a whole.
_PARTITIVE = re.compile(
    r"\s+of\s+(?:the|those|these|them|its|their|his|her|our|your|whom|which|us)\b", re.I
)
_SUBSET_AFTER = re.compile(r"\s+(?:more|other|others|additional|extra|further|fresh|new)\b", re.I)
_SUBSET_BEFORE = re.compile(r"\b(?:another|remaining|additional|further|extra|other)\s+$", re.I)
_RELATIVE_TIME = re.compile(
    r"\s+(?:ago|later|earlier|before|after|afterwards|previously|prior|from\s+now)\b", re.I
)
_ADDRESS = re.compile(
    r"\s+block\s+of\b|\s+(?:[A-Z][\w'’-]+\s+){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|"
    r"Blvd|Lane|Drive|Way|Place|Square|Court)\b\.?"
)
# A line that is a (detokenised) web address: "http: / / www. example. com / 2010 / 3 - dead".
_URL_LINE = re.compile(r"[ \t]*(?:https?\s?:\s?/\s?/|www\s?\.)", re.I)
# A figure in brackets right after another figure is the same figure in other units.
_CONVERSION_BEFORE = re.compile(
    r"\d[\d.,]*\s?(?:[A-Za-z%²³]+\.?\s?){0,3}\(\s*(?:about|around|some|roughly|approx\.?|"
    r"approximately|nearly|almost|c\.|ca\.)?\s*$",
    re.IGNORECASE,
)
_BETWEEN_BEFORE = re.compile(r"\bbetween\s+$", re.I)
_FROM_BEFORE = re.compile(r"\bfrom\s+$", re.I)
_RANGE_SEP = re.compile(r"\s*(?P<dash>[-–—])\s*|\s+(?P<w>to|or|and)\s+", re.I)


@dataclass(slots=True)
class _Num:
    """One parsed number before unit attachment."""

    start: int
    end: int
    value: float
    low: float
    high: float
    vague: bool = False
    words: bool = False
    has_scale: bool = False
    currency: str | None = None
    has_decimal_point: bool = False
    thousands_sep: bool = False
    dozen: bool = False
    unit: str | None = None  # a unit inside the number words: "an hour and a half"


# --------------------------------------------------------------------------------------------
# Number lexing


def _word_seq(text: str, pos: int, limit: int = 12) -> list[tuple[str, int, int]]:
    """Return up to ``limit`` words from ``pos`` joined by spaces or hyphens (one line)."""
    out: list[tuple[str, int, int]] = []
    i = pos
    while len(out) < limit:
        m = _WORD.match(text, i)
        if not m:
            break
        out.append((m.group().lower(), m.start(), m.end()))
        sep = _WORD_SEP.match(text, m.end())
        if not sep:
            break
        i = sep.end()
    return out


def words_value(words: list[str]) -> tuple[float, int] | None:
    """Evaluate a run of English number words; return ``(value, words used)`` or ``None``.

    Handles "seven", "twenty-five", "one hundred and twenty", "seven and a half",
    "one and a half million", "half a million", "a dozen", "a thousand", "two thousand five
    hundred". It stops at the first word that does not continue the number, so "seven eight"
    reads as 7.
    """
    if not words:
        return None
    i = 0
    total = 0.0
    current = 0.0
    have = False
    last = ""
    if words[0] == "half":
        if (
            len(words) >= 3
            and words[1] in ("a", "an")
            and (words[2] in _SCALES or words[2] == "dozen")
        ):
            scale = 12.0 if words[2] == "dozen" else _SCALES[words[2]]
            return 0.5 * scale, 3
        return None
    if words[0] in ("a", "an"):
        if len(words) >= 2 and (words[1] in _SCALES or words[1] == "dozen"):
            current, have, last, i = 1.0, True, "small", 1
        else:
            return None
    while i < len(words):
        w = words[i]
        if w in _SMALL or w in _TENS:
            v = _SMALL.get(w, _TENS.get(w, 0))
            if last == "small" or last == "frac":
                break
            if last == "tens" and not (w in _SMALL and 0 < v < 10):
                break
            current += v
            last = "tens" if w in _TENS else "small"
        elif w == "hundred":
            if not have or last in ("hundred", "scale"):
                break
            current = (current or 1.0) * 100
            last = "hundred"
        elif w in _SCALES:
            if not have:
                break
            total += (current or 1.0) * _SCALES[w]
            current = 0.0
            last = "scale"
        elif w == "dozen":
            if not have or last not in ("small", "tens"):
                break
            current *= 12
            last = "dozen"
        elif w == "and" and have:
            rest = words[i + 1 : i + 3]
            if len(rest) == 2 and rest[0] in ("a", "an") and rest[1] in ("half", "quarter"):
                if last not in ("small", "tens", "hundred"):
                    break
                current += 0.5 if rest[1] == "half" else 0.25
                last = "frac"
                i += 3
                continue
            if rest and (rest[0] in _SMALL or rest[0] in _TENS) and last in ("hundred", "scale"):
                i += 1
                continue
            break
        else:
            break
        have = True
        i += 1
    if not have:
        return None
    return total + current, i


def _parse_digits(text: str, pos: int) -> _Num | str | None:
    """Parse a digit number (with currency and scale) at ``pos``; a str is a rejection."""
    start = pos
    currency = None
    cm = _CURRENCY_PREFIX.match(text, pos)
    if cm:
        currency = _CURRENCIES.get(cm.group("cur").lower().rstrip(), "dollar")
        pos = cm.end()
    m = _DIGITS.match(text, pos)
    if not m:
        gm = re.match(r"[½¼¾⅓⅔]", text[pos:])
        if gm:
            v = _GLYPHS[gm.group()]
            return _Num(start, pos + 1, v, v, v, currency=currency)
        return None
    raw = m.group("num")
    end = m.end()
    sp = _SPACED.match(text, pos)
    if sp and _spaced_ok(text, start, sp, currency is not None):
        raw, end = sp.group("num").replace(" ", ""), sp.end()
    # What sits right before the number: a letter or digit joined to it means a name or code.
    before = text[max(0, start - 2) : start]
    if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_"):
        return "part of a word or code"
    if start > 0 and text[start - 1] in ".,:/":
        return "part of a date, time or code"
    if re.search(r"/\s$", text[max(0, start - 2) : start]) or re.match(r"\s/", text[m.end() :]):
        return "part of a path or URL"
    if len(raw) > 1 and raw[0] == "0" and raw[1].isdigit():
        return "code or date part (leading zero)"
    if re.search(r"[A-Za-z]-$", before):
        return "part of a name or code"
    # What follows: letters glued to the number are ordinals, decades, times or codes.
    tail = text[end : end + 3]
    if re.match(r"(?:st|nd|rd|th)\b", tail, re.I):
        return "ordinal"
    if re.match(r"[:/] ?\d", tail) or re.search(r"\d: ?$", text[max(0, start - 3) : start]):
        return "time, date or fraction"
    if re.match(r"s\b", tail) and len(raw) == 4:
        return "decade"
    has_decimal = False
    thousands = False
    if "," in raw:
        value = float(raw.replace(",", ""))
        thousands = True
        has_decimal = "." in raw
    elif re.fullmatch(r"\d{1,3}(?:[\u00a0\u202f\u2009]\d{3})+", raw):
        value = float(re.sub(r"\D", "", raw))
        thousands = True
    elif re.fullmatch(r"\d{1,3}(?:\.\d{3})+", raw):
        # The 3-digit group rule: "100.000 troops" is a hundred thousand, unless a scale word or
        # percent follows ("1.500 million", "3.125 per cent") or there is a single group after a
        # zero ("0.125"), which only a decimal reading makes sense of.
        after = text[end : end + 12]
        decimal = raw.startswith("0.") or (
            raw.count(".") == 1
            and (_SCALE_AFTER.match(after) is not None or _PERCENT.match(after) is not None)
        )
        if decimal:
            value = float(raw)
            has_decimal = True
        else:
            value = float(raw.replace(".", ""))
            thousands = True
    else:
        value = float(raw)
        has_decimal = "." in raw
    if m.group("glyph"):
        value += _GLYPHS[m.group("glyph").strip()]
    num = _Num(start, end, value, value, value, currency=currency)
    num.has_decimal_point = has_decimal
    num.thousands_sep = thousands
    sm = _SCALE_AFTER.match(text, end)
    if sm:
        scale_word = sm.group("scale").lower()
        # Lone letters are scales only in money ("$3bn", "£5m", "50k"); "100m" without a currency
        # is a length, and "m"/"b" after a space are never scales.
        lone = scale_word in ("m", "b")
        factor = _SCALES.get(scale_word) or _ABBR_SCALES[scale_word]
        skip = (
            (lone and (currency is None or sm.group("sp")))
            or (scale_word == "k" and sm.group("sp"))
            or (scale_word == "hundred" and value >= 100)
        )
        if not skip:
            num.value = num.low = num.high = value * factor
            num.end = sm.end()
            num.has_scale = True
    return num


def _spaced_ok(text: str, start: int, sp: re.Match[str], currency: bool) -> bool:
    """Whether a detokenised number ("50, 000", "5. 9") reads as one number (see ``_SPACED``)."""
    before = text[max(0, start - 30) : start]
    if sp.group("dec") is None:
        # Not after a month ("May 5, 400 people") or a hyphen ("5-foot-8, 135 pounds").
        return not _MONTH_BEFORE.search(before) and not re.search(r"[-–]\s*$", before)
    return (
        currency
        or _SPACED_DECIMAL_AFTER.match(text, sp.end()) is not None
        or _SPACED_DECIMAL_BEFORE.search(before) is not None
    )


def _parse_words(text: str, pos: int) -> _Num | None:
    """Parse a number in words, or a vague plural ("tens of thousands"), at ``pos``."""
    m = _VAGUE_OF.match(text, pos)
    if m:
        mult = {"tens": 10.0, "hundreds": 100.0, "dozens": 12.0}[m.group("mult").lower()]
        base = mult * _VAGUE_PLURALS[m.group("scale").lower()]
        return _Num(pos, m.end(), base, base, base * VAGUE_WIDENING, vague=True, words=True)
    m = _SEVERAL.match(text, pos)
    if m:
        scale_word = m.group("scale").lower()
        base = 12.0 if scale_word == "dozen" else _SCALES[scale_word]
        q = re.sub(r"\s+", " ", m.group("q").lower())
        lo, hi = {"several": (2, 9), "a few": (2, 5)}.get(q, (2, 3))
        return _Num(pos, m.end(), lo * base, lo * base, hi * base, vague=True, words=True)
    m = _HALF_UNIT.match(text, pos)
    if m:
        # "an hour and a half", "half a day": the unit is part of the number words.
        value = 0.5 if m.group("half") else 1.5
        unit = (m.group("u") or m.group("u2")).lower()
        return _Num(pos, m.end(), value, value, value, words=True, unit=unit)
    m = _VAGUE_PLURAL.match(text, pos)
    if m:
        base = _VAGUE_PLURALS[m.group("w").lower()]
        return _Num(pos, m.end(), base, base, base * VAGUE_WIDENING, vague=True, words=True)
    seq = _word_seq(text, pos)
    parsed = words_value([w for w, _, _ in seq])
    if parsed is None:
        return None
    value, used = parsed
    end = seq[used - 1][2]
    num = _Num(pos, end, value, value, value, words=True)
    first = seq[0][0]
    num.has_scale = any(w in _SCALES for w, _, _ in seq[:used]) and first not in _SCALES
    if "dozen" in (w for w, _, _ in seq[:used]) and used <= 3:
        # "a dozen", "half a dozen": round figures writers use loosely.
        num.low, num.high = value * (1 - ABOUT_TOLERANCE), value * (1 + ABOUT_TOLERANCE)
        num.dozen = True
    return num


def _parse_number(text: str, pos: int) -> _Num | str | None:
    ch = text[pos]
    if ch.isdigit() or ch in "$€£¥₹½¼¾" or text[pos : pos + 3].upper() in ("US$", "USD", "EUR"):
        return _parse_digits(text, pos)
    if text[pos : pos + 2] in ("A$", "C$", "HK", "GB", "Rs", "RS"):
        r = _parse_digits(text, pos)
        if r is not None:
            return r
    return _parse_words(text, pos)


# --------------------------------------------------------------------------------------------
# Candidates: a number phrase with approximation, range and unit read off the text


@dataclass(slots=True)
class _Cand:
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
    for rx, kind in _APPROX_PREFIX:
        m = rx.search(window)
        if m:
            return kind, start - (len(window) - m.start())
    return None, start


def _interval(
    kind: str | None, value: float, low: float, high: float
) -> tuple[float, float, Approx]:
    if kind == "about":
        return value * (1 - ABOUT_TOLERANCE), value * (1 + ABOUT_TOLERANCE), "about"
    if kind == "nearly":
        return value * (1 - NEARLY_TOLERANCE), value, "about"
    if kind == "over":
        return low, INF, "over"
    if kind == "just_over":
        return low, value * (1 + NEARLY_TOLERANCE), "over"
    if kind == "under":
        return 0.0, high, "under"
    return low, high, "exact"


def _scan(text: str) -> Iterator[_Cand]:
    """Yield number phrases in ``text`` left to right (rejected ones carry a reason)."""
    phones = [(m.start(), m.end()) for m in _PHONE.finditer(text) if _looks_like_phone(m.group())]
    pos = 0
    for sm in _START.finditer(text):
        s = sm.start()
        if s < pos:
            continue
        if any(a <= s < b for a, b in phones):
            end = next(b for a, b in phones if a <= s < b)
            yield _Cand(s, end, s, end, 0, 0, 0, "exact", reject="phone number")
            pos = end
            continue
        num = _parse_number(text, s)
        if num is None:
            continue
        if isinstance(num, str):
            m = re.match(r"[\w.,:/-]*", text[s:])
            end = s + max(1, len(m.group()) if m else 1)
            yield _Cand(s, end, s, end, 0, 0, 0, "exact", reject=num)
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


def _phrase(text: str, num: _Num) -> _Cand:
    """Extend a parsed number to its phrase: prefix, range partner, suffix, text units."""
    kind, pstart = _approx_prefix(text, num.start)
    before = text[max(0, num.start - 60) : num.start]
    cand = _Cand(pstart, num.end, num.start, num.end, num.value, num.low, num.high, "exact")
    cand.currency = num.currency
    cand.vague = num.vague
    cand.words = num.words
    change = _FROM_BEFORE.search(before) is not None and bool(
        _CHANGE_VERBS.search(before[: before.lower().rfind("from")])
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
            cand.low, cand.high, cand.approx = _interval(kind, num.value, num.low, num.high)
    else:
        cand.low, cand.high, cand.approx = _interval(kind, num.value, num.low, num.high)
    cand.year_like = not num.words and _is_year(num) and not cand.is_range
    if num.unit:
        cand.text_unit, cand.text_unit_end = num.unit, num.end
    else:
        _text_unit(text, cand)
    sfx = _APPROX_SUFFIX.match(text, cand.end)
    if sfx and cand.approx == "exact":
        word = re.sub(r"\s+", " ", (sfx.group("w") or sfx.group("plus")).lower())
        cand.low, cand.high, cand.approx = _interval(
            _SUFFIX_KIND[word], cand.value, cand.low, cand.high
        )
        cand.end = sfx.end()
    return cand


def _range(text: str, num: _Num, cand: _Cand, kind: str | None, before: str, change: bool) -> bool:
    """Read a range after ``num`` into ``cand``; return whether one was found (or rejected).

    "between 10 and 20", "from 10 to 20", "10-20", "10 to 20", "seven or eight". After a change
    verb ("rose from 30 to 45") only the new value counts. Hyphenated years ("2014-2022") are
    periods, and "a-b" with a >= b is a score or a code.
    """
    rm = _RANGE_SEP.match(text, num.end)
    if not rm or rm.end() >= len(text):
        return False
    sep = (rm.group("w") or rm.group("dash")).lower()
    dash = sep in ("-", "–", "—")
    between = _BETWEEN_BEFORE.search(before)
    if not (dash or sep in ("to", "or") or (sep == "and" and between)):
        return False
    other = _parse_number(text, rm.end())
    if not isinstance(other, _Num) or other.vague or other.words != num.words:
        return False
    a, b = num.value, other.value
    if other.has_scale and not num.has_scale:
        # "between 2 and 3 million": the scale word applies to both ends.
        factor = other.value / _unscaled(text, other)
        if factor > 1 and a * factor <= b:
            a *= factor
    if dash and not num.words and a >= b:
        cand.reject = "score, result or code (a-b with a >= b)"
        cand.end = other.end
        return True
    if a >= b:
        return False
    if dash and not num.words and _is_year(num) and _is_year(other):
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
    lead = between or _FROM_BEFORE.search(before)
    if lead is not None and kind is None:
        cand.start = num.start - (len(before) - lead.start())
    if kind == "over":
        cand.high, cand.approx = INF, "over"
    elif kind == "under":
        cand.low, cand.approx = 0.0, "under"
    return True


def _unscaled(text: str, num: _Num) -> float:
    """The value of ``num`` before its scale word ("2 million" -> 2, "$150 million" -> 150)."""
    if num.words:
        words = [w for w, _, _ in _word_seq(text, num.start)]
        cut = next((i for i, w in enumerate(words) if w in _SCALES and w != "hundred"), None)
        parsed = words_value(words[:cut]) if cut else None
        return (parsed[0] if parsed else num.value) or 1.0
    cm = _CURRENCY_PREFIX.match(text, num.start)
    m = _DIGITS.match(text, cm.end() if cm else num.start)
    if m:
        raw = m.group("num")
        try:
            return float(raw.replace(",", "")) or 1.0
        except ValueError:
            return 1.0
    return num.value or 1.0


def _is_year(num: _Num) -> bool:
    v = num.value
    return (
        not num.has_scale
        and not num.has_decimal_point
        and not num.thousands_sep
        and num.currency is None
        and v.is_integer()
        and 1000 <= v <= 2100
    )


def _text_unit(text: str, cand: _Cand) -> None:
    """Read units glued to the number in the text: %, per cent, -hour, km, cubic metres."""
    end = cand.core_end
    if cand.currency:
        cand.text_unit = cand.currency
        cand.text_unit_end = end
        return
    m = _PERCENT.match(text, end)
    if m:
        cand.text_unit = "percentage point" if m.group("pp") else "percent"
        cand.end = cand.text_unit_end = m.end()
        return
    m = _HYPHEN_UNIT.match(text, end)
    if m and m.group("u").lower() in _FRACTION_WORDS:
        cand.reject = "fraction ('two-thirds')"
        cand.end = m.end()
        return
    if m and m.group("u").lower() not in _NUMBER_WORDS | {"and", "a", "an", "half"}:
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
    m = _MULTIWORD_UNIT.match(text, end)
    if m:
        cand.text_unit = re.sub(r"\s+", " ", m.group("u").lower())
        cand.end = cand.text_unit_end = m.end()
        return
    m = _ABBR_UNIT.match(text, end)
    if m and not (m.group("sp") and m.group("u").lower() in ("h", "m")):
        cand.text_unit = m.group("u").lower()
        cand.end = cand.text_unit_end = m.end()


# --------------------------------------------------------------------------------------------
# Units from the parse


def stem(word: str) -> str:
    """A crude, stable stem for context overlap: lower case, no accents ("Vaško" = "Vasko"),
    no possessive, no plural -s."""
    w = unicodedata.normalize("NFKD", word.lower().strip("'’\""))
    w = "".join(ch for ch in w if not unicodedata.combining(ch))
    if w.endswith(("'s", "’s")):
        w = w[:-2]
    if len(w) > 4 and w.endswith("s") and not w.endswith("ss"):
        w = w[:-1]
    return w


def _normalise_unit(word: str | None) -> str | None:
    if not word or not any(ch.isalpha() for ch in word):
        return None
    w = word.lower()
    if w in UNITS:
        return UNITS[w]
    if w.endswith("s") and w[:-1] in UNITS:
        return UNITS[w[:-1]]
    return w


def _verb_unit(tok: Token) -> str | None:
    """The unit a verb gives to a bare or people-counting number ("were killed" -> dead)."""
    verb = tok
    for _ in range(3):
        if verb.pos_ in ("VERB", "AUX") or verb.dep_ == "ROOT":
            break
        if verb.head is verb:
            break
        verb = verb.head
    lemma = verb.lemma_.lower()
    if lemma in _KILL_VERBS:
        return "dead"
    if lemma in _INJURE_VERBS:
        return "injured"
    if lemma in _DISPLACE_VERBS:
        return "people"
    if lemma == "lose" and any(c.lemma_.lower() == "life" for c in verb.children):
        return "dead"
    if lemma == "treat" and any(
        c.lemma_.lower() in ("injury", "wound") for c in verb.subtree if c.dep_ == "pobj"
    ):
        return "injured"
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass") and c.lemma_.lower() == "toll":
            mods = {m.lemma_.lower() for m in c.children}
            return "injured" if mods & {"injury", "casualty"} - {"death"} else "dead"
    return None


def _counted_noun(doc: Doc, cand: _Cand) -> tuple[Token | None, Token | None]:
    """Return ``(counted noun, last number token)`` for a candidate, from the parse."""
    span = doc.char_span(cand.core_start, cand.core_end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None, None
    last = span[-1]
    inside = {t.i for t in span}
    text = doc.text
    # "tens of thousands of troops", "millions of dollars", "hundreds of people"
    if re.match(r"\s+of\s+", text[cand.core_end : cand.core_end + 6]):
        j = last.i + 1
        if j < len(doc) and doc[j].lower_ == "of":
            pobj = [c for c in doc[j].children if c.dep_ == "pobj"]
            if pobj and pobj[0].pos_ in ("NOUN", "PROPN"):
                return pobj[0], last
            for k in range(j + 1, min(j + 5, len(doc))):
                if doc[k].pos_ == "NOUN":
                    return doc[k], last
                if doc[k].pos_ not in ("DET", "ADJ", "PROPN", "NUM", "ADV"):
                    break
        return None, last
    t = last
    for _ in range(4):
        if t.head.i in inside and t.head is not t:
            t = t.head
        else:
            break
    h = t.head
    if (
        h is not t
        and h.i > last.i
        and h.pos_ in ("NOUN", "PROPN")
        and t.dep_ in ("nummod", "quantmod", "compound", "amod", "nmod", "npadvmod", "dep", "det")
        and h.i - last.i <= 4
        and all(_modifier(doc[k]) for k in range(last.i + 1, h.i))
    ):
        return _compound_head(h), last
    # Fallback: the first noun after the number, past adjectives and nationalities.
    for k in range(last.i + 1, min(last.i + 4, len(doc))):
        tok = doc[k]
        if tok.pos_ == "NOUN":
            return _compound_head(tok), last
        if (
            tok.pos_ == "ADJ"
            or tok.ent_type_ == "NORP"
            or (tok.pos_ == "ADV" and tok.lower_ in ("more", "extra"))
        ):
            continue
        break
    return None, last


def _compound_head(noun: Token) -> Token:
    """The noun a compound modifier belongs to: "three bank workers" counts workers."""
    for _ in range(3):
        h = noun.head
        if (
            noun.dep_ == "compound"
            and h.i > noun.i
            and h.i - noun.i <= 2
            and h.pos_ in ("NOUN", "PROPN")
            and h.tag_ in ("NNS", "NNPS")
        ):
            noun = h
        else:
            break
    return noun


def _modifier(tok: Token) -> bool:
    """Whether ``tok`` may stand between a number and its noun ("100,000 Russian troops")."""
    if tok.pos_ in ("ADJ", "NOUN", "PROPN") or tok.ent_type_ == "NORP":
        return True
    return tok.pos_ in ("PUNCT", "SYM") and tok.text in ("-", "–")


def _about(noun: Token | None, hyphen_tok: Token | None) -> Token | None:
    """The thing a measure describes: "eight-hour talks", "hours of talks", "talks lasted"."""
    if hyphen_tok is not None:
        h = hyphen_tok.head
        return h if h is not hyphen_tok and h.pos_ in ("NOUN", "PROPN") else None
    if noun is None:
        return None
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            for p in c.children:
                if p.dep_ == "pobj" and p.pos_ in ("NOUN", "PROPN"):
                    return p
    # "the talks lasted eight hours", "talks end after eight hours"
    t = noun
    for _ in range(3):
        t = t.head
        if t.pos_ in ("VERB", "AUX"):
            # A common noun only: "the Orioles offered seven years" names who, not what.
            subj = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subj and subj[0].pos_ == "NOUN":
                return subj[0]
            return None
        if t.head is t:
            break
    if noun.head.pos_ in ("NOUN",) and noun.dep_ in ("compound", "npadvmod", "nmod"):
        return noun.head
    return None


def _sentence_span(text: str, tok: Token) -> tuple[int, int]:
    sent = tok.sent
    s, e = sent.start_char, sent.end_char
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _context(sent: Span, start: int, end: int, exclude: Iterable[str]) -> tuple[str, ...]:
    """Stems of content words in ``sent`` outside ``[start, end)``, nearest first."""
    skip = set(exclude)
    scored: list[tuple[int, int, str]] = []
    for tok in sent:
        if start <= tok.idx < end:
            continue
        if tok.pos_ not in ("NOUN", "PROPN", "VERB", "ADJ") or tok.like_num:
            continue
        lemma = tok.lemma_.lower()
        if lemma in STOP_WORDS or tok.lower_ in STOP_WORDS or lemma in _WEAK_CONTEXT:
            continue
        if not any(ch.isalpha() for ch in lemma):
            continue
        word = stem(lemma)
        if word in skip:
            continue
        dist = start - tok.idx if tok.idx < start else tok.idx - end
        scored.append((dist, tok.idx, word))
    scored.sort()
    return tuple(dict.fromkeys(s for _, _, s in scored))


_ENTITY_TYPES = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART"}


def _entities(sent: Span, start: int, end: int, tok: Token | None = None) -> tuple[str, ...]:
    """Stems of the names in ``sent`` outside ``[start, end)``, nearest first.

    With ``tok`` (the figure's last token), only the names of the clause giving the figure
    count: in "40 million cubic metres of water escaped before the operator, Oska Hydro, was
    able to close the gates", Oska Hydro is not what the figure is about. Names that only
    attribute the figure ("the agency said") never count.
    """
    clause = _clause_tokens(tok) if tok is not None else None
    scored: list[tuple[int, str]] = []
    for ent in sent.ents:
        if ent.label_ not in _ENTITY_TYPES or start <= ent.start_char < end:
            continue
        if clause is not None and ent.root.i not in clause:
            continue
        if _attribution(ent.root):
            continue
        word = stem(ent[-1].text)
        if not any(ch.isalpha() for ch in word):
            continue
        dist = start - ent.end_char if ent.end_char <= start else ent.start_char - end
        scored.append((max(dist, 0), word))
    scored.sort()
    return tuple(dict.fromkeys(w for _, w in scored))


_SUBCLAUSES = {"advcl", "relcl", "conj", "parataxis", "ccomp", "acl"}


def _clause_tokens(tok: Token) -> set[int] | None:
    """Token indices of the clause governing ``tok``: its verb's subtree without the other
    clauses hanging from it ("... when the wall gave way", "..., which ...")."""
    verb = _governing_verb(tok)
    if verb is None:
        return None
    skip: set[int] = set()
    for child in verb.children:
        if child.dep_ in _SUBCLAUSES and child.pos_ in ("VERB", "AUX"):
            inner = {t.i for t in child.subtree}
            if tok.i not in inner:
                skip |= inner
    return {t.i for t in verb.subtree} - skip


def _attribution(tok: Token) -> bool:
    """Whether a name only says who reports the figure: "..., the agency said", "according to
    Reuters", "told AFP", "the Civil Protection Agency (CIPRA) said"."""
    t = tok
    for _ in range(3):
        if t.dep_ in ("appos", "compound", "conj") and t.head is not t:
            t = t.head
        else:
            break
    head = t.head
    if t.dep_ in ("nsubj", "nsubjpass", "dobj", "dative") and head.lemma_.lower() in _REPORTING:
        return True
    if t.dep_ == "pobj" and head.lower_ == "by" and head.head.lemma_.lower() in _REPORTING:
        return True  # "figures released by the agency"
    # "according to Reuters", "according to figures released by the agency"
    a = t
    for _ in range(6):
        if a.lower_ == "according":
            return True
        if a.head is a or a.dep_ not in ("pobj", "prep", "acl", "agent", "appos", "compound"):
            return False
        a = a.head
    return False


# --------------------------------------------------------------------------------------------
# Public API


def _analyse(article: Article, doc: Doc) -> Iterator[Quantity | RejectedNumber]:
    text = doc.text
    if article.text[: len(text)] != text:
        raise ValueError(f"doc does not belong to article {article.id!r}")
    covered = 0
    pending: Quantity | None = None  # a figure without a unit, waiting for its partner's
    for cand in _scan(text):
        if cand.core_start < covered:
            continue  # read into the figure before ("4 minutes 48 seconds")
        out = _finish(article, doc, cand)
        if isinstance(out, Quantity):
            covered = out.end
            if pending is not None:
                # "the 7.6 and 7.5 magnitude quakes": both figures are magnitudes.
                shared = out.unit is not None and _UNIT_SHARED.fullmatch(
                    text, pending.end, out.start
                )
                yield (
                    dataclasses.replace(pending, unit=out.unit, head=out.head, about=out.about)
                    if shared
                    else pending
                )
                pending = None
            if out.unit is None:
                pending = out
                continue
        yield out
    if pending is not None:
        yield pending


def _reject(cand: _Cand, text: str, reason: str) -> RejectedNumber:
    return RejectedNumber(cand.start, cand.end, text[cand.start : cand.end], reason)


def _text_skip(text: str, cand: _Cand) -> str | None:
    """Skip rules read off the text around the number (see the module docstring)."""
    before = text[max(0, cand.core_start - 40) : cand.core_start]
    after = text[cand.core_end : cand.core_end + 40]
    line_start = text.rfind("\n", 0, cand.core_start) + 1
    if _TIME_OF_DAY.match(after):
        return "time of day"
    if _URL_LINE.match(text, line_start):
        return "part of a URL"
    if _CONVERSION_BEFORE.search(before) and re.match(r"[^()\n]{0,30}\)", after):
        return "conversion in brackets ('58km (36 miles)', '€110bn ($141bn)')"
    if cand.currency is None and (_MONTH_BEFORE.search(before) or _MONTH_AFTER.match(after)):
        return "date"
    if _NUMBER_LABEL.search(before) and not cand.currency:
        return "label such as 'No. 2'"
    if not text[line_start : cand.core_start].strip() and re.match(r"[.)]\s", after):
        return "list number"
    if cand.words and cand.value == 1 and re.match(r"\s+of\b", after, re.I):
        return "'one of'"
    if not cand.vague and _PARTITIVE.match(after):
        return "part of a group ('37 of the candidates')"
    if _SUBSET_AFTER.match(text, cand.core_end) or _SUBSET_BEFORE.search(before):
        return "increment or remainder ('two more', 'three other', 'another 3,000')"
    if not cand.currency and _ADDRESS.match(after):
        return "street address"
    if (
        not cand.currency
        and not cand.text_unit
        and cand.approx == "exact"
        and cand.value < 130
        and _AGE_AFTER_NAME_BEFORE.search(before)
        and _AGE_AFTER_NAME_AFTER.match(after)
    ):
        return "age after a name"
    return None


def _parse_skip(doc: Doc, span: Span, cand: _Cand, noun: Token | None) -> str | None:
    """Skip rules that need the parse: names, scores, years."""
    bare = not (cand.currency or cand.text_unit or noun is not None)
    if bare and any(t.ent_type_ in _NAME_ENTS for t in span):
        return "part of a name"
    prev = doc[span[0].i - 1] if span[0].i > 0 else None
    if (
        bare
        and prev is not None
        and prev.pos_ == "PROPN"
        and prev.is_title
        and not prev.is_sent_start
        and cand.start == cand.core_start
    ):
        return "part of a name"  # "Boeing 737", "Article 5"
    core = doc.text[cand.core_start : cand.core_end]
    if noun is not None and noun.lemma_.lower() in _SCORE_NOUNS and re.search(r"[-–]", core):
        return "score or vote result"
    if cand.year_like and (
        noun is None or noun.tag_ != "NNS" or _normalise_unit(noun.lemma_) in _TIME_UNITS
    ):
        return "year"  # "in 2014", "the 2014 invasion"; but "2000 troops" is a count
    return None


def _token_end(tok: Token) -> int:
    return tok.idx + len(tok.text)


def _next_noun(doc: Doc, after: int, limit: int = 4) -> Token | None:
    for k in range(after + 1, min(after + 1 + limit, len(doc))):
        if doc[k].pos_ in ("NOUN", "PROPN"):
            return doc[k]
    return None


@dataclass(slots=True)
class _Unit:
    unit: str | None = None
    head: str | None = None
    about: Token | None = None
    end: int = 0


def _hyphen_token(doc: Doc, cand: _Cand) -> Token | None:
    if not (cand.hyphen_unit and cand.text_unit and cand.text_unit_end is not None):
        return None
    hs = doc.char_span(
        cand.text_unit_end - len(cand.text_unit), cand.text_unit_end, alignment_mode="expand"
    )
    return hs[-1] if hs is not None and len(hs) else None


def _unit_of(doc: Doc, span: Span, cand: _Cand, noun: Token | None, last: Token) -> _Unit:
    """Find what a number counts: text unit, hyphenated unit, counted noun, or a verb."""
    text = doc.text
    out = _Unit(end=cand.end)
    magnitude = _magnitude(doc, cand, noun, last)
    if magnitude is not None:
        return magnitude
    if cand.hyphen_unit and cand.text_unit:
        # "eight-hour talks": the unit is inside the adjective, the thing is the noun after.
        tok = _hyphen_token(doc, cand)
        lemma = tok.lemma_.lower() if tok is not None else ""
        out.head = lemma if lemma.isalpha() else cand.text_unit  # "foot-2" is one token
        out.unit = _normalise_unit(out.head)
        if cand.hyphen_adj == "old" and out.unit == "year":
            # "a 72-year-old man": the age of the person named next.
            out.unit = "age"
            adj = doc.char_span(cand.core_start, cand.end, alignment_mode="expand")
            out.about = _next_noun(doc, adj[-1].i, 3) if adj is not None and len(adj) else None
            return out
        out.about = _about(None, tok) if tok is not None else None
        if out.about is not None and tok is not None and out.about.i - tok.i <= 3:
            out.end = max(out.end, _token_end(out.about))
        return out
    if cand.text_unit:
        # "$3bn", "4%", "5km", "40 million cubic metres of water"
        out.unit = _normalise_unit(cand.text_unit)
        out.head = None if cand.currency else out.unit
        if noun is not None and not cand.currency and _normalise_unit(noun.lemma_) == out.unit:
            out.head = noun.lemma_.lower()
            out.end = max(out.end, _token_end(noun))
        of = re.match(r"\s+of\s", text[cand.end : cand.end + 6])
        if of:
            at = cand.end + of.group().index("of")
            ofs = doc.char_span(at, at + 2, alignment_mode="expand")
            if ofs is not None and len(ofs):
                out.about = _next_noun(doc, ofs[-1].i)
        elif cand.currency:
            # "a $90 million deal", "puts the damage at €240 million", "the deal cost $334m"
            out.about = _money_about(doc, noun, last)
        elif noun is not None and out.unit != "percent":
            out.about = _about(noun, None)
        elif out.unit in _TIME_UNITS:
            out.about = _about(last, None)  # "the talks lasted an hour and a half"
        return out
    if noun is not None:
        out.head = noun.lemma_.lower()
        out.unit = _normalise_unit(out.head)
        if out.head == "force":
            out.unit = "troops"
        if out.unit == "pound" and not _money_words(text, cand, noun):
            out.unit = "lb"  # "weighing 130 pounds"; money is "£130" or "5 million pounds"
        if out.unit == "people" or out.head in _PERSON_NOUNS:
            # "12 people were killed", "45 people dead", "four people have lost their lives"
            nxt = doc[noun.i + 1] if noun.i + 1 < len(doc) else None
            if nxt is not None and nxt.lower_ in _DEAD_WORDS:
                out.unit = "dead"
            elif nxt is not None and nxt.lower_ in _INJURED_WORDS:
                out.unit = "injured"
            elif noun.dep_ in ("nsubj", "nsubjpass", "dobj", "conj"):
                out.unit = _verb_unit(noun) or out.unit
        out.end = max(out.end, _token_end(noun))
        if out.unit in MEASURES:
            out.about = _about(noun, None)
        return out
    # A bare number: "45 dead", "17 injured", "Thousands have been killed", "risen to five".
    nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
    before = text[max(0, cand.start - 30) : cand.start]
    if nxt is not None and nxt.lower_ in _DEAD_WORDS:
        out.unit, out.end = "dead", max(out.end, _token_end(nxt))
    elif nxt is not None and nxt.lower_ in _INJURED_WORDS:
        out.unit, out.end = "injured", max(out.end, _token_end(nxt))
    elif _AGE_BEFORE.search(before) or (
        re.search(r"\bat\s+$", before) and _governing_verb(last, "die") is not None
    ):
        # "died at 91", "at age 61", "aged 36": an age, of the one who died.
        out.unit = "age"
        verb = _governing_verb(last)
        subj = _subject_token(verb) if verb is not None else None
        out.about = subj if subj is not None and subj.pos_ in ("NOUN", "PROPN") else None
    elif (
        nxt is not None
        and nxt.tag_ == "VBN"
        and nxt.lemma_.lower() not in _KILL_VERBS | _INJURE_VERBS
        and nxt.dep_ not in ("aux", "auxpass")
    ):
        # "18 injured and 12 arrested": the participle says what the number counts.
        out.unit, out.end = nxt.lower_, max(out.end, _token_end(nxt))
    else:
        inside = {t.i for t in span}
        top = last
        for _ in range(4):
            if top.head.i in inside and top.head is not top:
                top = top.head
        if top.dep_ == "conj" and top.head.pos_ in ("NUM", "NOUN"):
            top = top.head
        out.unit = _verb_unit(top)
    return out


_AGE_BEFORE = re.compile(r"\b(?:at\s+(?:the\s+)?age\s+(?:of\s+)?|aged\s+)$", re.I)
_MAGNITUDE_BEFORE = re.compile(r"\bmagnitude(?:\s+of)?\s*-?\s*$", re.I)
_MAGNITUDE_AFTER = re.compile(r"\s*-?\s*magnitude\b|\s+on\s+the\s+richter\b|\s+richter\b", re.I)
_QUAKE_WORDS = {"earthquake", "quake", "tremor", "temblor", "aftershock", "shock", "foreshock"}
# One name for the main shock ("quake", "tremor", "temblor" are all "earthquake"); aftershocks
# stay apart: "a 6.1 earthquake" and "a 5.2 aftershock" are different things.
_ABOUT_SYNONYMS = {"quake": "earthquake", "temblor": "earthquake", "tremor": "earthquake"}


def _magnitude(doc: Doc, cand: _Cand, noun: Token | None, last: Token) -> _Unit | None:
    """A quake's magnitude: "magnitude 6.1", "5.9 magnitude", "6.4 on the Richter scale"."""
    text = doc.text
    before = text[max(0, cand.start - 30) : cand.start]
    quake_noun = noun is not None and noun.lemma_.lower() in _QUAKE_WORDS
    if not (
        _MAGNITUDE_BEFORE.search(before)
        or _MAGNITUDE_AFTER.match(text, cand.core_end)
        or (quake_noun and not float(cand.value).is_integer())
    ):
        return None
    out = _Unit(unit="magnitude", head="magnitude", end=cand.end)
    if quake_noun and noun is not None:
        out.about, out.end = noun, max(out.end, _token_end(noun))
    else:
        # The nearest quake word of the sentence: "an earthquake with a magnitude of 5.9".
        near = [t for t in last.sent if t.lemma_.lower() in _QUAKE_WORDS]
        out.about = min(near, key=lambda t: abs(t.i - last.i)) if near else None
        after = _MAGNITUDE_AFTER.match(text, cand.core_end)
        if after and "magnitude" in after.group().lower():
            out.end = max(out.end, after.end())
    return out


def _money_words(text: str, cand: _Cand, noun: Token) -> bool:
    """Whether "pounds" is money here: a scale word ("5 million pounds") or "sterling"."""
    phrase = text[cand.core_start : cand.core_end]
    return bool(
        re.search(r"(?i)\b(?:thousand|million|billion|trillion)\b|\d\s?(?:bn|m|mn)\b", phrase)
        or re.match(r"\s+sterling\b", text[_token_end(noun) : _token_end(noun) + 10], re.I)
    )


def _governing_verb(tok: Token, lemma: str | None = None) -> Token | None:
    """The verb whose clause holds ``tok`` (within four steps up), optionally of one lemma."""
    t = tok
    for _ in range(5):
        if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("aux", "auxpass"):
            return t if lemma is None or t.lemma_.lower() == lemma else None
        if t.head is t:
            return None
        t = t.head
    return None


def _subject_token(verb: Token) -> Token | None:
    """The subject of ``verb``; a relative pronoun's antecedent ("Garrard, who completed")."""
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None and verb.dep_ in ("conj", "xcomp", "advcl") and verb.head is not verb:
        # "rushed for 404 yards and caught 52 passes": the first verb's subject.
        subj = next((c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is not None and subj.lower_ in ("who", "which", "that") and verb.dep_ == "relcl":
        subj = verb.head
    return subj


def _money_about(doc: Doc, noun: Token | None, last: Token) -> Token | None:
    """What a sum is the amount of: the noun it modifies, or its verb's object or subject."""
    if noun is not None and noun.i > last.i and noun.i - last.i <= 3 and noun.pos_ == "NOUN":
        return noun
    verb = _governing_verb(last)
    if verb is None:
        return None
    # "puts the damage at €240 million": the object; "the deal cost $334 million": the subject.
    obj = next((c for c in verb.children if c.dep_ == "dobj" and c.i < last.i), None)
    if obj is not None and obj.pos_ == "NOUN":
        return obj
    subj = _subject_token(verb)
    return subj if subj is not None and subj.pos_ == "NOUN" else None


def _finish(article: Article, doc: Doc, cand: _Cand) -> Quantity | RejectedNumber:
    """Attach unit and context to a candidate, or reject it with a reason."""
    text = doc.text
    reason = cand.reject or _text_skip(text, cand)
    if reason:
        return _reject(cand, text, reason)
    span = doc.char_span(cand.core_start, cand.core_end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return _reject(cand, text, "not aligned with the parse")
    noun, last = (None, None) if cand.hyphen_unit else _counted_noun(doc, cand)
    last = last or span[-1]
    if cand.hyphen_adj and cand.text_unit is None:
        # "a 5,000-strong force": the counted thing is the noun the adjective modifies.
        adj_span = doc.char_span(cand.core_start, cand.end, alignment_mode="expand")
        if adj_span is not None and len(adj_span):
            noun = _next_noun(doc, adj_span[-1].i, 3)
    reason = _parse_skip(doc, span, cand, noun)
    if reason:
        return _reject(cand, text, reason)
    found = _unit_of(doc, span, cand, noun, last)
    unit = found.unit
    before = text[max(0, cand.start - 10) : cand.start]
    if unit in _TIME_UNITS and re.search(r"\bat\s+$", before, re.I) and cand.approx == "exact":
        return _reject(cand, text, "time of day")  # machine translation: "at four hours"
    if unit in _TIME_UNITS and _RELATIVE_TIME.match(text, found.end):
        return _reject(cand, text, "relative time ('two years ago')")
    if cand.words and cand.value == 1 and unit not in _KNOWN_UNITS:
        return _reject(cand, text, "bare 'one' (a pronoun or determiner, not a figure)")
    if cand.year_like and unit is None:
        return _reject(cand, text, "year")
    if noun is not None and _list_part(noun):
        return _reject(cand, text, "part of a list of people ('two women and a man')")
    end = found.end
    if unit in _COMPOUND_PARTS:
        end = _compound_duration(text, cand, unit, end)
    if cand.approx == "exact":
        # Approximations after the counted noun: "40 people at least", "100 people or more".
        sfx = _APPROX_SUFFIX.match(text, end)
        w = sfx.group("w") if sfx else None
        if sfx and w and w.lower().startswith(("at ", "or ")):
            kind = _SUFFIX_KIND[re.sub(r"\s+", " ", w.lower())]
            cand.low, cand.high, cand.approx = _interval(kind, cand.value, cand.low, cand.high)
            end = sfx.end()
    rate = _RATE.match(text, end) if unit and " per " not in unit and unit not in _SPEEDS else None
    if rate:
        # "$4 million a year", "10 people a day": a rate, not a total.
        unit, end = f"{unit} per {rate.group('per').lower()}", rate.end()
    start = cand.start
    sent_span = _sentence_span(text, last)
    end = min(end, sent_span[1]) if sent_span[0] <= start < sent_span[1] else end
    exclude = {stem(w) for w in re.findall(r"[A-Za-z]+", text[start:end])}
    if unit:
        exclude.add(stem(unit))
    context = _context(last.sent, start, end, exclude)
    about = found.about
    previous = _previous_sentence(doc, last) if _anaphoric(last) else None
    if previous is not None:
        # "... the damage was far greater than the first estimate. 'We are at €300 million at
        # least,' he said.": what "we are at" measures is in the sentence before.
        context += tuple(w for w in _context(previous, start, end, exclude) if w not in context)
        if about is None and unit in MEASURES:
            about = _topic_noun(previous)
    about_word = about.lemma_.lower() if about is not None else None
    return Quantity(
        article=article.id,
        start=start,
        end=end,
        text=text[start:end],
        value=float(cand.value),
        low=float(cand.low),
        high=float(cand.high),
        approx=cand.approx,
        unit=unit,
        head=found.head,
        sentence=sent_span,
        about=_ABOUT_SYNONYMS.get(about_word, about_word) if about_word else None,
        context=context,
        entities=_entities(last.sent, start, end, last),
        subject=_named_subject(last, start, end),
        hedged=_hedged(last),
        rising=_RISEN_TO.search(text, max(0, start - 30), start) is not None,
    )


_UNIT_SHARED = re.compile(r"\s*(?:,|and|or|&)\s*")
_MODALS = {"might", "may", "could", "would", "should"}
_RISEN_TO = re.compile(
    r"\b(?:ris(?:en|es|ing)|rose|climb(?:s|ed|ing)?|jump(?:s|ed)?|increas(?:es|ed|ing)|"
    r"grow(?:s|n)|grew|reach(?:es|ed)?|now\s+stands?\s+at|stood\s+at)\s+(?:to\s+)?$",
    re.IGNORECASE,
)
_ANAPHORS = {"it", "they", "we", "this", "that", "these", "those"}
_LIST_PEOPLE = {"man", "woman", "child", "boy", "girl", "adult", "teenager", "baby", "men", "women"}
_REPORTING = {
    "say", "tell", "report", "announce", "state", "confirm", "add", "quote", "inform", "claim",
    "cite", "accord", "note", "explain", "write", "tweet", "post", "estimate", "release",
    "publish", "issue",
}  # fmt: skip


def _list_part(noun: Token) -> bool:
    """Whether ``noun`` is one part of a list of people ("two women and a man", "a man and two
    women"): each part counts some of the victims, not all of them."""
    if noun.lemma_.lower() not in _LIST_PEOPLE:
        return False
    partners = [c for c in noun.children if c.dep_ == "conj"]
    if noun.dep_ == "conj":
        partners.append(noun.head)
    return any(p.lemma_.lower() in _LIST_PEOPLE for p in partners)


_COMPOUND_PARTS = {"hour": 3600.0, "minute": 60.0, "second": 1.0, "foot": 12.0, "inch": 1.0}
_SPEEDS = {"mph", "km/h"}
_RATE = re.compile(
    r"\s+(?:a|an|per|each|every)\s+(?P<per>year|month|week|day|hour|minute|game|season|"
    r"match|person|head|capita|share|barrel|gallon|litre|liter)\b",
    re.IGNORECASE,
)


def _compound_duration(text: str, cand: _Cand, unit: str, end: int) -> int:
    """Fold a smaller unit into the figure: "4 minutes 48 seconds" is 4.8 minutes, "5 feet 8
    inches" is 5.67 feet.

    Updates ``cand`` (value and interval) and returns the new phrase end.
    """
    m = re.match(
        r"(?:\s*[,-]\s*|\s+)(?:and\s+)?(?P<n>\d{1,2}|[a-z]+(?:-[a-z]+)?)\s+"
        r"(?P<u>hours?|hrs?|minutes?|mins?|seconds?|secs?|inch(?:es)?|in\.)(?!\w)",
        text[end : end + 40],
        re.I,
    )
    if not m and unit == "foot":
        # "5-foot-8": a height in feet and inches.
        h = re.match(r"\s?-\s?(?P<n>\d{1,2})(?![\w.,]?\d)(?!\s?-)", text[end : end + 8])
        if h and int(h.group("n")) < 12:
            cand.value += int(h.group("n")) / 12
            cand.low, cand.high = cand.value, max(cand.high, cand.value)
            return end + h.end()
    if not m:
        return end
    n_text = m.group("n").lower()
    if n_text.isdigit():
        n = float(n_text)
    else:
        parsed = words_value(re.split(r"[\s-]+", n_text))
        if parsed is None:
            return end
        n = parsed[0]
    small = _normalise_unit(m.group("u").lower().rstrip("."))
    small = "inch" if small == "in" else small
    size = _COMPOUND_PARTS
    same_kind = (small in ("foot", "inch")) == (unit in ("foot", "inch"))
    if small not in size or not same_kind or size[small] >= size[unit]:
        return end
    extra = n * size[small] / size[unit]
    cand.value += extra
    cand.low += extra
    if math.isfinite(cand.high):
        cand.high += extra
    return end + m.end()


def _hedged(tok: Token) -> bool:
    """Whether the clause giving the figure states a possibility, not a fact (see Quantity)."""
    verb = _governing_verb(tok)
    if verb is None:
        return False
    kids = list(verb.children)
    if any(c.dep_ == "aux" and c.lower_ in _MODALS for c in kids):
        return True
    marks = {c.lower_ for c in kids if c.dep_ == "mark" or (c.dep_ == "advmod" and c.tag_ == "WRB")}
    if marks & {"if", "unless"}:
        return True
    # "When one is killed, all of us lose": a generic present, not a report.
    present = verb.tag_ in ("VBZ", "VBP") or any(
        c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBZ", "VBP") for c in kids
    )
    return bool(marks & {"when", "whenever"}) and present


def _named_subject(tok: Token, start: int, end: int) -> str | None:
    """The stem of the person or organisation the figure's clause is about (see Quantity)."""
    verb = _governing_verb(tok)
    subj = _subject_token(verb) if verb is not None else None
    # A person or a team, not a country ("Russia" and "Moscow" name one actor).
    if subj is None or subj.pos_ != "PROPN" or subj.ent_type_ in ("GPE", "NORP", "LOC", "FAC"):
        return None
    if start <= subj.idx < end:
        return None
    inside = any(start <= t.idx < end for t in subj.subtree)
    if inside and verb is not None and verb.dep_ != "relcl":
        return None  # the figure is part of the subject: "Manning's 17 passes"
    return stem(subj.text)


def _anaphoric(tok: Token) -> bool:
    """Whether the figure's clause has a pronoun subject ("we are at €300 million")."""
    verb = _governing_verb(tok)
    subj = _subject_token(verb) if verb is not None else None
    return subj is not None and subj.pos_ == "PRON" and subj.lower_ in _ANAPHORS


def _previous_sentence(doc: Doc, tok: Token) -> Span | None:
    """The sentence before ``tok``'s, when it is in the same paragraph."""
    sent = tok.sent
    if sent.start == 0:
        return None
    prev = doc[sent.start - 1].sent
    if "\n" in doc.text[prev.end_char : sent.start_char]:
        return None
    return prev


def _topic_noun(sent: Span) -> Token | None:
    """The last common-noun subject of a sentence ("the damage was far greater")."""
    subjects = [
        t for t in sent if t.dep_ in ("nsubj", "nsubjpass") and t.pos_ == "NOUN" and not t.ent_type_
    ]
    return subjects[-1] if subjects else None


def extract_quantities(article: Article, doc: Doc) -> tuple[Quantity, ...]:
    """Return the figures ``article`` gives, in text order.

    Args:
        article: The article; spans index into ``article.text``.
        doc: Its parse from ``Analyzer().parse`` (the text of ``doc`` must be ``article.text``
            or a prefix of it, as for long texts cut at ``nlp.MAX_CHARS``).

    Returns:
        One ``Quantity`` per figure. Numbers that are not measured quantities (years, dates,
        ordinals, labels, names...) are left out; ``rejected_numbers`` says why.

    Raises:
        ValueError: ``doc`` was parsed from another text.
    """
    return tuple(q for q in _analyse(article, doc) if isinstance(q, Quantity))


def rejected_numbers(article: Article, doc: Doc) -> tuple[RejectedNumber, ...]:
    """Return the numbers ``extract_quantities`` leaves out, each with its reason."""
    return tuple(q for q in _analyse(article, doc) if isinstance(q, RejectedNumber))


__all__ = [
    "MEASURES",
    "UNITS",
    "Approx",
    "Quantity",
    "RejectedNumber",
    "extract_quantities",
    "intervals_overlap",
    "rejected_numbers",
    "stem",
    "words_value",
]
