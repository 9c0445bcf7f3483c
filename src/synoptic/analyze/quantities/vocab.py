"""The vocabulary and lexical patterns of number extraction, words read from the lexicon.

Number words, scale words, currencies, units, approximators, month names and the verbs and
nouns that say what a figure counts come from ``synoptic.lang`` (``lang/en/*.txt|tsv``); the
patterns built here from them read figures off the raw text, before any parse.
"""

from __future__ import annotations

import re

from synoptic.lang import mapping, words


def _number(value: str) -> float:
    """A value written in a lexicon file: "1e+06", "12" or a fraction "1/3"."""
    top, sep, bottom = value.partition("/")
    return int(top) / int(bottom) if sep else float(value)


def _spaced(phrase: str) -> str:
    """A lexicon phrase as a regex: spaces stand for any run of white space."""
    return r"\s+".join(re.escape(part) for part in phrase.split())


_NUMBER_VALUES = {k: int(v) for k, v in mapping("number_words").items()}
SMALL = {k: v for k, v in _NUMBER_VALUES.items() if v < 20}
TENS = {k: v for k, v in _NUMBER_VALUES.items() if v >= 20}
SCALES = {k: _number(v) for k, v in mapping("scale_words").items()}
ABBR_SCALES = {k: _number(v) for k, v in mapping("scale_abbreviations").items()}
GLYPHS = {k: _number(v) for k, v in mapping("fraction_glyphs").items()}
VAGUE_PLURALS = {k: _number(v) for k, v in mapping("vague_plurals").items()}
NUMBER_WORDS = set(SMALL) | set(TENS) | set(SCALES) | {"dozen"}
ARTICLES = words("indefinite_articles")

CURRENCIES = dict(mapping("currencies"))

# Normalised units: counted nouns (lemmas, lower case) and abbreviations -> unit.
UNITS: dict[str, str] = dict(mapping("units"))
KNOWN_UNITS = set(UNITS.values()) | {"age"}
TIME_UNITS = set(words("time_units"))
# Units that measure something else (a length of talks, a volume of water, a sum): only these get
# an ``about``; counts (troops, people) are the thing itself.
MEASURES = set(words("measure_units"))
KILL_VERBS = set(words("kill_verbs"))
INJURE_VERBS = set(words("injure_verbs"))
DISPLACE_VERBS = set(words("displace_verbs"))
PERSON_NOUNS = set(words("victim_nouns"))
DEAD_WORDS = set(words("dead_words"))
INJURED_WORDS = set(words("injured_words"))
CHANGE_VERBS = re.compile(
    r"\b(?:rise|rises|rising|rose|risen|increase[sd]?|increasing|grow|grows|grew|grown|"
    r"climb(?:s|ed)?|jump(?:s|ed)?|soar(?:s|ed)?|fall|falls|fell|fallen|drop(?:s|ped)?|"
    r"decline[sd]?|decrease[sd]?|cut|cuts|raise[sd]?|reduce[sd]?|revise[sd]?|lower(?:s|ed)?|"
    r"went|gone|go(?:es)?|up|down|shrank|shrunk|shrink(?:s)?)\b[^.;:!?]{0,40}$",
    re.IGNORECASE,
)
# Nouns a number hyphenated with another is a result of, not a range of ("a 3-1 win").
SCORE_NOUNS = set(words("score_nouns"))
NAME_ENTS = {"PERSON", "ORG", "PRODUCT", "WORK_OF_ART", "FAC", "EVENT", "LAW", "GPE", "LOC"}
# Capitalised only: "10 may die" and "will march" are not dates. Upper case: full names only.
_MONTH_KEYS = mapping("months")
_FULL_MONTHS = {
    max((k for k, v in _MONTH_KEYS.items() if v == n), key=len) for n in set(_MONTH_KEYS.values())
}
MONTHS = "|".join(
    sorted({k.capitalize() for k in _MONTH_KEYS} | {k.upper() for k in _FULL_MONTHS},
           key=lambda k: (-len(k), k))
)  # fmt: skip
# Reporting verbs appear around every figure; they say nothing about what is measured.
WEAK_CONTEXT = set(words("weak_context_verbs"))
FRACTION_WORDS = set(words("fraction_words"))


DIGITS = re.compile(
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
SPACED = re.compile(r"(?P<num>\d{1,3}(?:, \d{3})+(?![\d,])|(?P<dec>\d{1,3}\. \d{1,2})(?!\d))")
SPACED_DECIMAL_AFTER = re.compile(
    r"\s?-?\s?(?:%|per\s?cent\b|percent\b|million\b|billion\b|trillion\b|bn\b|m\b|"
    r"magnitude\b|on\s+the\s+richter\b|strength\b|ghz\b)",
    re.IGNORECASE,
)
SPACED_DECIMAL_BEFORE = re.compile(r"magnitude\b[^.;]{0,20}$|(?:measuring|registering)\s+$", re.I)
CURRENCY_PREFIX = re.compile(
    r"(?P<cur>US\$|\$US|A\$|C\$|HK\$|[$€£¥₹]|(?:USD|EUR|GBP|Rs\.?)(?=\s?\d))\s?"
)
SCALE_AFTER = re.compile(
    r"(?P<sp>\s?|\s?-\s?)(?P<scale>million|billion|trillion|thousand|mln|mn|bn|tn|k|m|b)(?![\w])",
    re.IGNORECASE,
)
WORD = re.compile(r"[A-Za-z]+")
WORD_SEP = re.compile(r"[ \t\u00a0]*-[ \t\u00a0]*|[ \t\u00a0]+")
START = re.compile(
    r"(?:US\$|\$US|A\$|C\$|HK\$|[$€£¥₹]|\b(?:USD|EUR|GBP|Rs\.?)(?=\s?\d))\s?\d"
    r"|\d|[½¼¾]"
    r"|\b(?:"
    + "|".join(
        sorted(
            NUMBER_WORDS | {"a", "an", "half", "tens", "several", "few"} | set(VAGUE_PLURALS),
            key=len,
            reverse=True,
        )
    )
    + r")\b",
    re.IGNORECASE,
)
VAGUE_OF = re.compile(
    r"(?P<mult>tens|hundreds|dozens)\s+of\s+(?P<scale>thousands|millions|billions)\b", re.I
)
SEVERAL = re.compile(
    r"(?P<q>several|a\s+few|a\s+couple\s+of|a\s+couple)\s+(?P<scale>hundred|thousand|million|"
    r"billion|dozen)\b",
    re.IGNORECASE,
)
HALF_UNIT = re.compile(
    r"(?:an?|one)\s+(?P<u>hour|day|week|month|year|minute)\s+and\s+a\s+half\b"
    r"|(?P<half>half)\s+an?\s+(?P<u2>hour|day|week|month|year|minute)\b",
    re.IGNORECASE,
)
VAGUE_PLURAL = re.compile(r"(?P<w>dozens|hundreds|thousands|millions|billions)\b", re.I)


def _approx_before() -> list[tuple[re.Pattern[str], str]]:
    """One pattern per kind of approximator before a figure, kinds in lexicon order."""
    by_kind: dict[str, list[str]] = {}
    for phrase, kind in mapping("approximators_before").items():
        if phrase[0].isalnum():
            by_kind.setdefault(kind, []).append(rf"\b{_spaced(phrase)}\s+")
        else:
            by_kind.setdefault(kind, []).append(rf"{_spaced(phrase)}\s?")
    return [
        (re.compile(rf"(?:{'|'.join(options)})$", re.I), kind) for kind, options in by_kind.items()
    ]


APPROX_PREFIX = _approx_before()
SUFFIX_KIND = dict(mapping("approximators_after"))
_SUFFIX_WORDS = "|".join(_spaced(p) for p in SUFFIX_KIND if p[0].isalnum())
_SUFFIX_SIGNS = "|".join(re.escape(p) for p in SUFFIX_KIND if not p[0].isalnum())
APPROX_SUFFIX = re.compile(
    rf"(?:\s*,?\s*(?P<w>{_SUFFIX_WORDS})\b|(?P<plus>{_SUFFIX_SIGNS}))",
    re.IGNORECASE,
)
PERCENT = re.compile(r"\s?%|\s(?:per\s?cent|percent|pct)\b|\s(?P<pp>percentage\s+points?)\b", re.I)
MULTIWORD_UNIT = re.compile(
    r"\s+(?P<u>(?:cubic|square)\s+(?:metres?|meters?|kilometres?|kilometers?|miles?|feet|foot)"
    r"|(?:miles?|kilometres?|kilometers?)\s+(?:per|an)\s+hour)\b",
    re.IGNORECASE,
)
ABBR_UNIT = re.compile(
    r"(?P<sp>\s?)(?P<u>(?i:km²|km2|m³|m3|km/h|kph|km|kg|mph|mi|ft|cm|hrs?|mins?|secs?)|h|m)"
    r"(?![\w²³/])"
)
# "eight-hour", "72-year-old"; spaced hyphens ("8 - year") come from detokenised text.
HYPHEN_UNIT = re.compile(
    r" ?- ?(?P<u>[A-Za-z]+)(?: ?- ?(?P<adj>old|long|strong|wide|high|deep|tall))?\b"
)
TIME_OF_DAY = re.compile(
    r"\s?(?:a\.\s?m\.|p\.\s?m\.|am\b|pm\b|o'clock|o’clock|(?:gmt|utc|bst|cet|cest|est|edt|pst|ist)\b)",
    re.IGNORECASE,
)
MONTH_BEFORE = re.compile(rf"\b(?:{MONTHS})\.?\s+(?:the\s+)?$")
MONTH_AFTER = re.compile(rf"(?:\s+of)?\s+(?:{MONTHS})\b")
NUMBER_LABEL = re.compile(r"(?:\b(?:no|nr|num|number)\.?\s*|#\s*)$", re.IGNORECASE)
PHONE = re.compile(
    r"(?<![\w.])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,5}\)[\s.-]?)?\d{2,5}(?:[\s.-]\d{2,5}){2,}(?![\w])"
    r"|(?<![\w.])\+\d[\d\s.-]{6,}\d"
)
AGE_AFTER_NAME_BEFORE = re.compile(r"[A-Z][\w'’.-]+,\s*$|[A-Z][\w'’.-]+\s+\($")
AGE_AFTER_NAME_AFTER = re.compile(r"\s*[,)]")
# What makes a figure something other than the count of a whole.
PARTITIVE = re.compile(
    r"\s+of\s+(?:the|those|these|them|its|their|his|her|our|your|whom|which|us)\b", re.I
)
SUBSET_AFTER = re.compile(r"\s+(?:more|other|others|additional|extra|further|fresh|new)\b", re.I)
SUBSET_BEFORE = re.compile(r"\b(?:another|remaining|additional|further|extra|other)\s+$", re.I)
RELATIVE_TIME = re.compile(
    r"\s+(?:ago|later|earlier|before|after|afterwards|previously|prior|from\s+now)\b", re.I
)
ADDRESS = re.compile(
    r"\s+block\s+of\b|\s+(?:[A-Z][\w'’-]+\s+){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|"
    r"Blvd|Lane|Drive|Way|Place|Square|Court)\b\.?"
)
# A line that is a (detokenised) web address: "http: / / www. example. com / 2010 / 3 - dead".
URL_LINE = re.compile(r"[ \t]*(?:https?\s?:\s?/\s?/|www\s?\.)", re.I)
# A figure in brackets right after another figure is the same figure in other units.
CONVERSION_BEFORE = re.compile(
    r"\d[\d.,]*\s?(?:[A-Za-z%²³]+\.?\s?){0,3}\(\s*(?:about|around|some|roughly|approx\.?|"
    r"approximately|nearly|almost|c\.|ca\.)?\s*$",
    re.IGNORECASE,
)
BETWEEN_BEFORE = re.compile(r"\bbetween\s+$", re.I)
FROM_BEFORE = re.compile(r"\bfrom\s+$", re.I)
RANGE_SEP = re.compile(r"\s*(?P<dash>[-–—])\s*|\s+(?P<w>to|or|and)\s+", re.I)
