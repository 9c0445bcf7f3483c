"""What a figure measures, as far as it tells two figures apart before their words are compared.

``synthesize.conflicts`` compares two figures only when they measure the same thing; these
checks each rule a pair out on one general ground, and err towards not comparing:

* ``elapsed``: a duration that is the time elapsed up to the report ("after four days of
  deliberation", "five days of rioting"): every later report gives more, so two reports giving
  different values disagree on nothing (cue lists ``elapsed_span_cues`` and
  ``elapsed_span_nouns``).
* ``ratio_ok``: two reports of one quantity rarely differ more than ``MAX_RATIO``-fold
  (1 against 4 dead, 12 against 18 injured); figures further apart are different things (a
  woman's age at death and as a child; "three decades" against "three years"). On the
  logarithmic magnitude scale the bound is ``MAX_MAGNITUDE_GAP`` points: agencies differ by a
  few tenths (5.9 against 6.1); 8.6 against 9.1 are two quakes.
* ``stat_dimensions``: a sentence giving counts in ``STAT_DIMENSIONS`` or more different
  dimensions (besides tallies of victims, ages and durations), as "13 homers and 43 RBIs in 54
  games" or "11 points, 11 rebounds and six blocked shots", is a statistics line: its unit
  alone does not say which of several tallies another report's figure matches.
* ``other_things``: both figures name what they measure and the names differ ("a 12-year
  sentence" against "a five-year heroin rap"), names of one kind of thing (list
  ``measured_things``: "session", "talks", "negotiations") set aside; or one is a percentage
  change ("a 25% fall in exports", list ``change_nouns``) and the other a share ("60% of
  revenue"): ``other_kinds``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from functools import cache

from rapidfuzz import fuzz

from synoptic import lang
from synoptic.analyze.quantities import Quantity
from synoptic.analyze.quantities import stem as _stem
from synoptic.analyze.quantities.vocab import CHANGE_VERBS as _CHANGE_BEFORE
from synoptic.analyze.units import base_unit
from synoptic.model import Article

# spaCy's English stop words, as a data file (importing spaCy for a list slowed light commands).
STOP_WORDS = lang.words("stop_words_spacy")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_NAME = re.compile(r"\b[A-Z][a-zA-Z'’-]+")

#: Figures further apart than this factor are different things, not a disagreement.
MAX_RATIO = 4.0
#: Magnitudes further apart than this many points are different quakes.
MAX_MAGNITUDE_GAP = 0.4
#: A sentence with figures in this many different dimensions is a statistics line.
STAT_DIMENSIONS = 3
_TIME_UNITS = lang.words("time_units")
_TALLIES = frozenset(lang.mapping("tally_topics"))
_THINGS = lang.mapping("measured_things")
_CHANGE_NOUNS = lang.words("change_nouns")
_ELAPSED_NOUNS = lang.words("elapsed_span_nouns")
# "N days of [a punishing Israeli] offensive": the noun among the five words after "of".
_OF_WORDS = re.compile(r"\s*(?:-\s*)?of\s+((?:[\w'’-]+[ \t]*){1,5})", re.IGNORECASE)


@cache
def _cue_before() -> re.Pattern[str]:
    cues = sorted(lang.entries("elapsed_span_cues"), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(c) for c in cues) + r")\s+(?:the\s+)?$")


def elapsed(text: str, q: Quantity) -> bool:
    """Whether ``q`` (a duration in ``text``) is the time elapsed up to the report."""
    if q.unit not in _TIME_UNITS:
        return False
    before = lang.fold(text[max(q.sentence[0], q.start - 30) : q.start])
    if _cue_before().search(before):
        return True
    m = _OF_WORDS.match(text, q.end, min(q.sentence[1], q.end + 80))
    if m is None:
        return False
    return any(_stem(w.lower()) in _ELAPSED_STEMS for w in m.group(1).split())


_ELAPSED_STEMS = frozenset(_stem(w) for w in _ELAPSED_NOUNS)


_INDEFINITE_BEFORE = re.compile(
    r"\b(?:" + "|".join(sorted(lang.words("indefinite_articles"))) + r")\s+$", re.IGNORECASE
)


def unidentified_age(text: str, q: Quantity) -> bool:
    """Whether ``q`` is the age of someone the sentence introduces without naming: "a
    14-year-old girl", "an 8-year-old". Two reports' unnamed teenagers may be two people (two
    cases of one trial), so such ages are not set against each other."""
    if q.unit != "age":
        return False
    return _INDEFINITE_BEFORE.search(text, max(q.sentence[0], q.start - 4), q.start) is not None


_GROUP_UNITS = frozenset(lang.words("group_units"))


_OPTION_BEFORE = re.compile(
    r"\b(?:" + "|".join(sorted(lang.words("option_cues"))) + r")\b(?:\s+\w+){0,3}\s+$", re.I
)


def offered_option(text: str, q: Quantity) -> bool:
    """Whether the sentence offers ``q`` as an option ("the option of a 2.93-GHz
    processor", "an optional 1TB drive"): one variant of a product, not a rival figure."""
    return _OPTION_BEFORE.search(text, max(q.sentence[0], q.start - 40), q.start) is not None


def picked_out(q: Quantity) -> bool:
    """Whether ``q`` is one person of a group ("shooting three people, killing one", "she
    allowed one person to leave"): a figure of one in a unit for any group of people
    (``group_units``). Tallies (one dead) keep their own units and are still compared."""
    return q.unit in _GROUP_UNITS and q.value == 1 and q.high == 1


def text_context(article: Article, q: Quantity) -> tuple[str, ...]:
    """Context words from the sentence text, nearest first (for quantities built by hand)."""
    s, e = q.sentence
    scored = []
    for m in _WORD.finditer(article.text, s, e):
        if q.start <= m.start() < q.end:
            continue
        w = m.group().lower()
        if w in STOP_WORDS or len(w) < 3:
            continue
        dist = q.start - m.start() if m.start() < q.start else m.start() - q.end
        scored.append((dist, _stem(w)))
    scored.sort()
    return tuple(dict.fromkeys(w for _, w in scored))


def text_names(article: Article, q: Quantity) -> tuple[str, ...]:
    """Capitalised words of the sentence (not its first), nearest first: names, roughly."""
    s, e = q.sentence
    scored = []
    for m in _NAME.finditer(article.text, s, e):
        if q.start <= m.start() < q.end:
            continue
        if m.start() == s and m.group().lower() in STOP_WORDS:
            continue  # "The", "But": capitalised for opening the sentence, not names
        dist = q.start - m.end() if m.end() <= q.start else m.start() - q.end
        scored.append((max(dist, 0), _stem(m.group())))
    scored.sort()
    return tuple(dict.fromkeys(w for _, w in scored))


def vague(q: Quantity) -> bool:
    """Whether the figure's wording admits values more than ``MAX_RATIO`` apart ("several
    dozen", "hundreds", "tens of thousands"): an impression, not a figure to set against
    another report's."""
    return math.isfinite(q.high) and q.low > 0 and q.high / q.low > MAX_RATIO


def ratio_ok(unit_a: str, value_a: float, unit_b: str, value_b: float) -> bool:
    """Whether two figures (in their base unit) are close enough to be one quantity's."""
    if unit_a == "magnitude" == unit_b:
        return abs(value_a - value_b) <= MAX_MAGNITUDE_GAP + 1e-9
    lo, hi = sorted((abs(value_a), abs(value_b)))
    if lo == 0:
        return hi <= MAX_RATIO
    return hi / lo <= MAX_RATIO


def stat_dimensions(quantities: Iterable[Quantity]) -> bool:
    """Whether one sentence's figures span ``STAT_DIMENSIONS`` or more dimensions.

    Tallies (dead, injured), ages and durations do not count: "killing four people, injuring
    dozens and destroying hundreds of buildings" is a news lead, and "the 28-year-old's
    eight-year, $200 million offer" one figure with its setting.
    """
    dims = {
        base_unit(q.unit)
        for q in quantities
        if q.unit is not None
        and math.isfinite(q.value)
        and q.unit not in _TALLIES
        and q.unit not in _TIME_UNITS
        and q.unit != "age"
    }
    return len(dims) >= STAT_DIMENSIONS


def percent_kind(text: str, q: Quantity) -> str | None:
    """What a percentage measures: ``"change"`` ("a 25% fall", "plunged 5.4 per cent"),
    ``"close"`` (the change at the close of trading: "closed down 3.9 percent"), ``"share"``
    ("60% of revenue"), or ``None`` when its wording does not say."""
    if q.unit != "percent":
        return None
    after = lang.fold(text[q.end : min(q.sentence[1], q.end + 30)])
    words = re.findall(r"[a-z]+", after)[:2]
    if words[:1] == ["of"]:
        return "share"  # first: "make up 60% of revenue" is a share, whatever "up" says
    if any(w in _CHANGE_NOUNS or w.rstrip("s") in _CHANGE_NOUNS for w in words):
        return "change"
    before = text[max(q.sentence[0], q.start - 40) : q.start]
    verbs = re.findall(r"[a-z]+", lang.fold(before))[-3:]
    # "plunged", "slumped", "dropped": a change noun used as the verb before the figure.
    verb = any(w[: len(w) - k] in _CHANGE_NOUNS for w in verbs for k in (0, 1, 2, 3))
    if _CHANGE_BEFORE.search(before) or _CLOSING.search(before) or verb:
        # The change at the close is not the day's move: "closed down 3.9 percent" against
        # "plunged 5.4 per cent" (during trading) are two figures.
        return "close" if _CLOSING.search(before) else "change"
    return None


_CLOSING = re.compile(r"\b(?:" + "|".join(sorted(lang.words("closing_cues"))) + r")\b", re.I)


def other_kinds(text_a: str, a: Quantity, text_b: str, b: Quantity) -> bool:
    """Whether two percentages are of different kinds: a change and a share, or a change at
    the close and one during trading (see ``percent_kind``)."""
    ka, kb = percent_kind(text_a, a), percent_kind(text_b, b)
    return ka is not None and kb is not None and ka != kb


def other_things(a: Quantity, b: Quantity) -> bool:
    """Whether both figures name what they measure and the two names differ."""
    if not a.about or not b.about:
        return False
    x, y = _stem(a.about), _stem(b.about)
    return _THINGS.get(x, x) != _THINGS.get(y, y)


# The dimension a word names ("long", "length": length): two wordings of one measure.
_DIMENSIONS = lang.mapping("dimension_words")


def words_match(a: str, b: str) -> bool:
    """Equal words, close variants ("russia"/"russian", "ukraine"/"ukrainian"), or two names
    of one dimension ("long"/"length", ``dimension_words``)."""
    if a == b or (a in _DIMENSIONS and _DIMENSIONS[a] == _DIMENSIONS.get(b)):
        return True
    if min(len(a), len(b)) < 4:
        return False
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n >= 6 or fuzz.ratio(a, b) >= 85


def found(word: str, pool: Sequence[str]) -> bool:
    return any(words_match(word, p) for p in pool)


def same_dimension(a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether both contexts name one dimension ("long", "length") and no other."""
    da = {_DIMENSIONS[w] for w in a if w in _DIMENSIONS}
    db = {_DIMENSIONS[w] for w in b if w in _DIMENSIONS}
    return len(da) == 1 and da == db


__all__ = [
    "MAX_MAGNITUDE_GAP",
    "MAX_RATIO",
    "STAT_DIMENSIONS",
    "STOP_WORDS",
    "elapsed",
    "found",
    "offered_option",
    "other_kinds",
    "other_things",
    "percent_kind",
    "picked_out",
    "ratio_ok",
    "same_dimension",
    "stat_dimensions",
    "text_context",
    "text_names",
    "unidentified_age",
    "vague",
    "words_match",
]
