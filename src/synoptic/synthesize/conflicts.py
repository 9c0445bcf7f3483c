"""Numeric conflicts: where outlets give incompatible figures for the same thing.

Input is every article's quantities (``analyze.quantities.extract_quantities``); output is one
``Conflict(kind="number")`` per disputed figure, e.g. troops ``100,000`` (four outlets) against
``about 70,000`` (one), or the length of talks ``7.5`` against ``8`` hours.

How it decides, step by step (each step errs towards *not* reporting a conflict):

1. **One mention per article and value.** Repeated mentions of the same unit and value in one
   article count once (a headline and a body both saying "eight hours"); their spans are kept.
   Hedged figures ("there might have been two people killed") are not mentions.
2. **Same dimension.** Only figures whose units convert into one another are compared: the
   same normalised unit (``troops`` with ``troops``), or units of one dimension
   (``units.base_unit``: "90 minutes" with "two hours", miles with kilometres, tonnes with
   kilograms; never dollars with euros). Across units each interval is widened by
   ``units.CROSS_UNIT_TOLERANCE`` (conversions are rounded: "58km (36 miles)"). Figures without a
   unit are never compared. Each side is shown in the unit it was written in.
3. **Same thing.** Two figures in different articles measure the same thing when their contexts
   agree (``similarity``): the content words nearest each figure found in the other's sentence
   (lemmas, matched with rapidfuzz so "Ukrainian" meets "Ukraine"), weighted so that words
   found all over the story ("Russia" in a story about Russia) count little (``Weights``); a
   rapidfuzz token-set score over those words; and whether they measure the same named thing
   (``about``: "talks" in "eight-hour talks" and "talks lasted eight hours"; or one dimension
   word, ``dimension_words``: "36 feet long" and "measures 18 feet in length"). At least two
   shared informative words are needed (one when a context has a single word, or when both name
   the same thing), and the score must reach ``SAME_THING``; a toll given as rising ("the death
   toll has risen to five") is the story's toll whatever else the sentences say. It is not the
   same thing when: each figure's clause names someone the other's lacks ("the Red Sox offered
   eight years" / "the Orioles offered seven"); the reports giving each value name different
   people or teams as its subject ("Manning completed 17 passes" / "Garrard completed 28"),
   pooled over every report giving the value; they are counted over different scopes ("716
   yards in 12 games" / "793 yards in 14 games"); both sentences name years and none in
   common ("in 2004 a tsunami killed 230,000"); the figures are more than ``MAX_RATIO`` times
   apart (for magnitudes, more than one point: 6.1 and 9.1 are different quakes); an age is
   not given for the same person.
4. **Incompatible.** They disagree when the intervals their wording admits do not overlap
   (``Quantity.low``..``high``): "about 100,000" and "100,000" agree; "over seven hours" fits
   both 7.5 and 8; "tens of thousands" fits 70,000 and 100,000.
5. **Not a list of different things.** A figure from a sentence that gives another figure in the
   same unit ("rushing for 404 yards ... 440 receiving yards"), from a sentence giving
   ``STAT_LINE`` or more figures (a statistics line, a spec sheet), or from an article giving
   ``CROWDED`` or more different figures in that unit (a player's statistics, a price list), is
   not used as evidence; nor is a pair whose two figures are both given by ``BOTH_GIVEN`` or
   more articles ("12 magazines" seized in this operation, "31 magazines" in all: two things).
6. **Conflict groups.** Disagreeing pairs are joined into groups; each group's values are listed
   with every same-valued mention of the same thing in other articles (the sources that back
   each side). Mentions that agree with every side ("over seven hours") are not a side and are
   left out.
7. **Update or conflict.** When articles are dated and a count rises with the date (a death
   toll of 4 on Tuesday, 5 on Wednesday), later reports update earlier ones: with
   ``updates="mark"`` (the default) the group is kept with ``UPDATE_SUFFIX`` on its topic, with
   ``updates="skip"`` it is dropped. It is an update only if every disagreeing pair of dated
   mentions is ordered by date with the later one higher, at least two dates are involved, and
   every undated side lies between the lowest and highest dated values (an intermediate
   report); two incompatible values on one date, or a value that falls later, are a conflict.
   Measures of a finished thing (the length of talks, a sum, a share) never count as updates.

Each ``ConflictValue`` gives the value and unit as written, the interval the wording admits
(``low``, ``high``: ``None`` when open, as in "at least €300 million") and its ``approx``; as
``text`` the *sentence* of its first mention in a full sentence (so the reader sees what the
figure refers to; verbatim from the first cited article), and as ``spans`` the quantity phrases
in every article giving that value.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz

from synoptic.analyze.quantities import MEASURES, Quantity, intervals_overlap
from synoptic.analyze.quantities import stem as _stem
from synoptic.analyze.units import CROSS_UNIT_TOLERANCE, base_unit, plural, to_base
from synoptic.lang import mapping, words
from synoptic.model import Article, Conflict, ConflictValue, Span
from synoptic.synthesize.measured import (
    MAX_RATIO,
    elapsed,
    found,
    offered_option,
    other_kinds,
    other_things,
    picked_out,
    ratio_ok,
    same_dimension,
    stat_dimensions,
    text_context,
    text_names,
    unidentified_age,
    vague,
    words_match,
)
from synoptic.synthesize.revisions import superseded
from synoptic.synthesize.updates import is_update, parse_date
from synoptic.unionfind import UnionFind

# Contexts: how many of the nearest content words count as a figure's local context.
LOCAL_WORDS = 8
# An article giving this many different figures in one unit uses it for several things.
CROWDED = 3
# How many of the nearest names count as a figure's subject (see ``_different_subjects``).
NEAR_NAMES = 2
# Minimum similarity for two figures to measure the same thing (see ``similarity``).
SAME_THING = 0.30
# A sentence giving this many figures is a statistics line (a player's numbers, a spec sheet).
STAT_LINE = 4
# Articles that each give both of two figures for the same thing report two things.
BOTH_GIVEN = 2
# Content words two figures' sentences must share to be compared at all, unless one sentence
# has a single content word ("About 8,000 people have been evacuated so far.") or a tally is
# given as rising ("the toll rose to five"); naming the same thing is not enough on its own.
MIN_SHARED = 2
UPDATE_SUFFIX = " (update: rises in later reports)"

_COUNT_TOPICS = mapping("tally_topics")
# Counts that name what they count, so that a rising one ("the toll rose to five") is the story's.
_TALLIES = set(_COUNT_TOPICS)
_TIME_UNITS = words("time_units")
# Figures about a person: compared only when both name the same person.
_NEEDS_SAME_ABOUT = {"age"}
# Properties of one thing, not amounts accumulated over a span (see ``other_scopes``).
_PROPERTIES = {"age", "magnitude"}
# The figure of a scope ("in 54 games", "over three years", "in five operations").
_SCOPE_BEFORE = re.compile(
    r"\b(?:in|over|during|across|within|after|from)\s+(?:each\s+of\s+)?(?:(?:a|the|just|only|all|"
    r"his|her|their|its|combined|first|last|past|those|these)\s+){0,3}$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_YEAR = re.compile(r"(?<![\d.,/:-])(?:1[89]|20)\d\d(?![\d.,/:-]?\d)")


@dataclass
class _Mention:
    """The figures one article gives for one unit and value (repeats merged).

    ``unit``, ``value``, ``low`` and ``high`` are as written; ``base`` and ``blow``/``bvalue``/
    ``bhigh`` are the same in the unit of comparison (``units.base_unit``), so that "90
    minutes" and "two hours" can be compared.
    """

    article: str
    order: int  # article position in ``articles``
    unit: str
    value: float
    low: float
    high: float
    quantities: list[Quantity] = field(default_factory=list)

    @property
    def base(self) -> str:
        return base_unit(self.unit)

    @property
    def bvalue(self) -> float:
        return to_base(self.unit, self.value, self.low, self.high)[0]

    def interval(self) -> tuple[float, float]:
        return self.low, self.high

    def base_interval(self) -> tuple[float, float]:
        return to_base(self.unit, self.value, self.low, self.high)[1:]


def _compatible(a: _Mention, b: _Mention) -> bool:
    """Whether two mentions' intervals overlap; across units, allowing for rounded conversions."""
    if a.unit == b.unit:
        return intervals_overlap(a.interval(), b.interval())
    (alo, ahi), (blo, bhi) = a.base_interval(), b.base_interval()
    t = CROSS_UNIT_TOLERANCE
    return intervals_overlap((alo * (1 - t), ahi * (1 + t)), (blo * (1 - t), bhi * (1 + t)))


def _same_value(a: _Mention, b: _Mention) -> bool:
    """Whether two mentions give the same figure (in the unit of comparison)."""
    return _value_key(a) == _value_key(b)


def _value_key(m: _Mention) -> float:
    return float(f"{m.bvalue:.6g}")


class Weights:
    """How telling each context word is in one story: inverse sentence frequency.

    A word found in most of a story's sentences (the story's main actor: "Russia", a player's
    name) says nothing about which figure a sentence gives; a rarer one ("border") does. With
    fewer than ``MIN_SENTENCES`` sentences the counts mean nothing and every word weighs 1.
    """

    MIN_SENTENCES = 6

    def __init__(self, contexts: Iterable[Sequence[str]] = ()) -> None:
        bags = [set(c) for c in contexts]
        self.n = len(bags)
        self.df = Counter(w for bag in bags for w in bag)

    def weight(self, word: str) -> float:
        if self.n < self.MIN_SENTENCES:
            return 1.0
        return math.log((self.n + 1) / (self.df.get(word, 0) + 0.5))

    def informative(self, word: str) -> bool:
        return self.n < self.MIN_SENTENCES or self.df.get(word, 0) <= self.n / 2


def similarity(
    a: Quantity,
    b: Quantity,
    ctx_a: Sequence[str] | None = None,
    ctx_b: Sequence[str] | None = None,
    weights: Weights | None = None,
) -> float:
    """Return how likely two figures measure the same thing, from 0 to 1.

    ``0.6 * coverage + 0.2 * rapidfuzz + 0.2 * about``: *coverage* is the mean weighted share
    of each figure's nearest ``LOCAL_WORDS`` content words found anywhere in the other's
    sentence (weights from ``Weights``: words common to the whole story count little);
    *rapidfuzz* is the token-set ratio of the two local word lists; *about* is 1 when both
    measure the same named thing ("talks"), 0.5 when one's thing appears in the other's
    sentence. Fewer than two shared informative words give 0 (too little to call it the same
    thing) unless one context is a single word or both measure the same named thing. Ages
    are compared only for the same person ("a 36-year-old driver" is not "66-year-old Johnson").
    """
    return _overlap(a, b, ctx_a, ctx_b, weights)[0]


def _overlap(
    a: Quantity,
    b: Quantity,
    ctx_a: Sequence[str] | None = None,
    ctx_b: Sequence[str] | None = None,
    weights: Weights | None = None,
    names: tuple[Sequence[str], Sequence[str]] | None = None,
) -> tuple[float, int]:
    """Return ``(similarity, shared content words)`` of two figures' contexts.

    ``names`` are the two figures' entity lists (nearest first), for ``_different_subjects``.
    """
    w = weights or Weights()
    ca = tuple(ctx_a if ctx_a is not None else a.context)
    cb = tuple(ctx_b if ctx_b is not None else b.context)
    la, lb = ca[:LOCAL_WORDS], cb[:LOCAL_WORDS]
    if not la or not lb:
        return 0.0, 0
    found_a = [x for x in la if found(x, cb)]
    found_b = [x for x in lb if found(x, ca)]
    shared = {x for x in found_a} | {x for x in found_b if not found(x, found_a)}
    about = 0.0
    if a.about and b.about:
        about = 1.0 if words_match(_stem(a.about), _stem(b.about)) else 0.0
    if about == 0.0 and (
        (a.about and found(_stem(a.about), cb)) or (b.about and found(_stem(b.about), ca))
    ):
        about = 0.5
    if about < 1.0 and same_dimension(la, lb):
        about = 1.0  # "36 feet long" / "measures 18 feet in length": both name a length
    if a.unit in _NEEDS_SAME_ABOUT and about < 1.0:
        return 0.0, len(shared)
    if about == 0.0 and other_things(a, b):
        # Each names what it measures, neither's thing is in the other's sentence: "a 12-year
        # sentence" / "a five-year heroin rap" (but "talks" / "a consultation ... talks").
        return 0.0, len(shared)
    if names is not None and _different_subjects(*names):
        return 0.0, len(shared)
    if a.subject and b.subject and not words_match(a.subject, b.subject):
        return 0.0, len(shared)  # "Manning completed 17 passes" / "Garrard completed 28"
    if a.unit in _TALLIES and (a.rising or b.rising):
        # "The death toll has risen to five": the story's toll, whatever else the sentences say.
        return SAME_THING, len(shared)
    informative = [x for x in shared if w.informative(x)]
    need = min(2, len(la), len(lb))
    if len(informative) < need and not (informative and about == 1.0):
        return 0.0, len(shared)
    coverage = (
        sum(w.weight(x) for x in found_a) / (sum(w.weight(x) for x in la) or 1.0)
        + sum(w.weight(x) for x in found_b) / (sum(w.weight(x) for x in lb) or 1.0)
    ) / 2
    fuzzy = fuzz.token_set_ratio(" ".join(la), " ".join(lb)) / 100
    return 0.6 * coverage + 0.2 * fuzzy + 0.2 * about, len(shared)


def _different_subjects(a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether each figure sits next to a name the other's sentence lacks.

    "The Red Sox made an eight-year offer" and "the Orioles offered seven years", or "McDermott
    finished with 23 points" and "Echenique scored 11 points": figures tied to different named
    subjects are about different things. One-sided differences (one report adds "according to
    US intelligence") do not count.
    """
    near_a, near_b = a[:NEAR_NAMES], b[:NEAR_NAMES]
    return any(not found(x, b) for x in near_a) and any(not found(x, a) for x in near_b)


def _surface(article: Article, q: Quantity, lemma: str) -> str:
    """The word for ``lemma`` as written in the quantity's sentence ("talks" for "talk")."""
    s, e = q.sentence
    stem = _stem(lemma)
    for m in _WORD.finditer(article.text, s, e):
        if _stem(m.group()) == stem:
            return m.group().lower()
    return lemma


def _topic(
    unit: str,
    mentions: Sequence[_Mention],
    by_id: Mapping[str, Article],
    contexts: Mapping[int, Sequence[str]],
) -> str:
    """A short label: "troops", "death toll", "length of talks (hours)", "water (cubic metres)"."""
    if unit in _COUNT_TOPICS:
        return _COUNT_TOPICS[unit]
    if unit not in MEASURES:
        return plural(unit)
    quantities = [q for m in mentions for q in m.quantities]
    names = {q.about for q in quantities if q.about}
    if not names:
        return plural(unit) if unit in _TIME_UNITS else f"amount ({plural(unit)})"
    # The thing most sentences name: "talks" over "consultation" when both sides speak of talks.
    named = Counter(
        {
            name: sum(q.about == name or found(_stem(name), contexts[id(q)]) for q in quantities)
            for name in names
        }
    )
    lemma = max(sorted(names), key=lambda n: named[n])
    q = next(q for m in mentions for q in m.quantities if q.about == lemma)
    thing = _surface(by_id[q.article], q, lemma)
    if unit in _TIME_UNITS:
        return f"length of {thing} ({plural(unit)})"
    if unit in ("age", "magnitude"):
        return f"{unit} of {thing}"
    return f"{thing} ({plural(unit)})"


def _withdrawn(quantities: Sequence[Quantity], by_id: Mapping[str, Article]) -> set[int]:
    per_article: dict[str, list[Quantity]] = defaultdict(list)
    for q in quantities:
        if q.article in by_id:
            per_article[q.article].append(q)
    return {i for a, qs in per_article.items() for i in superseded(by_id[a].text, qs)}


def _is_sentence(text: str) -> bool:
    return bool(re.search(r"[.!?…\"”’']\s*$", text))


def find_conflicts(
    quantities: Sequence[Quantity],
    articles: Sequence[Article],
    *,
    dates: Mapping[str, str | None] | None = None,
    updates: Literal["mark", "skip"] = "mark",
) -> tuple[Conflict, ...]:
    """Return the figures the articles of one story disagree on.

    Args:
        quantities: Every quantity of the story's articles (any order).
        articles: The story's articles; quantities of other articles are ignored. Their order
            decides which article's sentence represents a value.
        dates: Article id -> ISO 8601 date or datetime (or ``None``: undated), used to tell a
            rising figure (an update) from a conflict. Articles missing from it (or all, when
            it is not given) use ``Article.published``.
        updates: ``"mark"`` keeps rising figures with ``UPDATE_SUFFIX`` on the topic; ``"skip"``
            drops them.

    Returns:
        ``Conflict(kind="number")`` objects, most-cited first; each value lists every article
        giving it.
    """
    by_id = {a.id: a for a in articles}
    order = {a.id: i for i, a in enumerate(articles)}
    when: dict[str, tuple[str, str | None] | None] = {
        a.id: parse_date(dates[a.id] if dates is not None and a.id in dates else a.published)
        for a in articles
    }
    # "Police earlier had reported 65 dead, but backed off that figure": not a rival report.
    withdrawn = _withdrawn(quantities, by_id)
    # "After four days of deliberation": time elapsed up to the report, more in every later one.
    withdrawn |= {
        id(q)
        for q in quantities
        if q.article in by_id
        and (
            elapsed(by_id[q.article].text, q)
            or vague(q)
            or unidentified_age(by_id[q.article].text, q)
            or picked_out(q)
            or offered_option(by_id[q.article].text, q)
        )
    }
    merged = _merge_mentions([q for q in quantities if id(q) not in withdrawn], order)
    contexts = {
        id(q): q.context or text_context(by_id[q.article], q)
        for q in quantities
        if q.article in by_id
    }
    # The tagger misses rarer names ("Kathimerini", "Ethnos"): the capitalised words of the
    # sentence are added after its entities.
    names = {
        id(q): tuple(dict.fromkeys((*q.entities, *text_names(by_id[q.article], q))))
        for q in quantities
        if q.article in by_id
    }
    # Word weights from every sentence that gives a figure (one bag per sentence).
    sentences = {(q.article, q.sentence): contexts[id(q)] for q in quantities if id(q) in contexts}
    weights = Weights(sentences.values())
    # Every figure of each sentence, for statistics lines and scopes ("in 54 games").
    per_sentence: dict[tuple[str, tuple[int, int]], list[Quantity]] = defaultdict(list)
    for q in quantities:
        if q.unit is not None and q.article in by_id:
            per_sentence[(q.article, q.sentence)].append(q)
    by_base: dict[str, list[_Mention]] = defaultdict(list)
    for m in merged.values():
        by_base[m.base].append(m)
    conflicts: list[tuple[int, Conflict]] = []
    for mentions in by_base.values():
        if len({m.article for m in mentions}) < 2:
            continue
        mentions.sort(key=lambda m: (m.order, m.quantities[0].start))
        pairs_of = _SimilarityCache(mentions, contexts, names, weights, by_id, per_sentence)
        for side_mentions, pairs in _disagreements(mentions, pairs_of):
            conflict = _conflict(side_mentions, pairs, by_id, contexts, when, updates)
            if conflict is not None:
                conflicts.append((len({m.article for m in side_mentions}), conflict))
    conflicts.sort(key=lambda t: -t[0])
    return tuple(c for _, c in conflicts)


def _merge_mentions(
    quantities: Sequence[Quantity], order: Mapping[str, int]
) -> dict[tuple[str, str, float], _Mention]:
    """One ``_Mention`` per article, unit and value (step 1); hedged figures are left out."""
    merged: dict[tuple[str, str, float], _Mention] = {}
    for q in quantities:
        if q.unit is None or q.article not in order or not math.isfinite(q.value):
            continue
        if q.hedged:
            continue  # "there might have been two people killed" is not a report of two dead
        key = (q.article, q.unit, round(q.value, 9))
        m = merged.get(key)
        if m is None:
            m = merged[key] = _Mention(q.article, order[q.article], q.unit, q.value, q.low, q.high)
        m.low, m.high = min(m.low, q.low), max(m.high, q.high)
        m.quantities.append(q)
    return merged


def _conflict(
    side_mentions: Sequence[_Mention],
    pairs: Sequence[tuple[_Mention, _Mention]],
    by_id: Mapping[str, Article],
    contexts: Mapping[int, Sequence[str]],
    when: Mapping[str, tuple[str, str | None] | None],
    updates: Literal["mark", "skip"],
) -> Conflict | None:
    """The ``Conflict`` of one group of disagreeing mentions (step 7), or None when skipped."""
    unit = Counter(m.unit for m in side_mentions).most_common(1)[0][0]
    # Only counts grow as news comes in; a length, a sum or a share of a finished thing
    # does not change by being reported later.
    update = unit not in MEASURES and is_update(pairs, side_mentions, when)
    if update and updates == "skip":
        return None
    topic = _topic(unit, side_mentions, by_id, contexts)
    if len({m.unit for m in side_mentions}) > 1:
        topic = re.sub(r" \([^()]*\)$", "", topic)  # "90 minutes" and "two hours"
    if update:
        topic += UPDATE_SUFFIX
    values_out = _values(side_mentions, by_id, when if update else None)
    return Conflict(topic=topic, kind="number", values=values_out)


class _SimilarityCache:
    """Pairwise context similarity of one dimension's mentions (best pair of their quantities)."""

    def __init__(
        self,
        mentions: Sequence[_Mention],
        contexts: Mapping[int, Sequence[str]],
        names: Mapping[int, Sequence[str]],
        weights: Weights,
        articles: Mapping[str, Article],
        per_sentence: Mapping[tuple[str, tuple[int, int]], Sequence[Quantity]],
    ) -> None:
        self.mentions = mentions
        self.contexts = contexts
        self.names = names
        self.weights = weights
        self.articles = articles
        self.per_sentence = per_sentence
        self._cache: dict[tuple[int, int], tuple[float, int]] = {}
        self.years = [
            {
                y
                for q in m.quantities
                for y in _YEAR.findall(articles[q.article].text, q.sentence[0], q.sentence[1])
            }
            for m in mentions
        ]

        # A sentence giving two different figures in one unit ("rushing for 404 yards ... 440
        # receiving yards", "$1199, while the 15-inch will sell for $1499") lists different
        # things: its unit alone does not say which one another report's figure matches.
        # Likewise an article giving ``CROWDED`` or more different figures in one unit (a
        # player's points, a range of prices) uses the unit for several things, and a sentence
        # giving ``STAT_LINE`` figures or more is a statistics line or a spec sheet.
        # What one figure is about, pooled over every report giving it: "17 passes" is
        # Manning's in one report and "his" in another; "716 yards" comes "in 12 games" once.
        self.keys = [_value_key(m) for m in mentions]
        self.subjects: dict[float, set[str]] = defaultdict(set)
        self.scope_of: dict[float, list[Quantity]] = defaultdict(list)
        for key, m in zip(self.keys, mentions, strict=True):
            for q in m.quantities:
                if q.subject:
                    self.subjects[key].add(q.subject)
                self.scope_of[key].extend(self.scopes(q))
        per_article = Counter((m.article, m.unit) for m in mentions)
        self.crowded = [per_article[(m.article, m.unit)] >= CROWDED for m in mentions]
        for i, m in enumerate(mentions):
            if all(
                len(per_sentence.get((q.article, q.sentence), ())) >= STAT_LINE
                or stat_dimensions(per_sentence.get((q.article, q.sentence), ()))
                for q in m.quantities
            ):
                self.crowded[i] = True
                continue
            spans = {q.sentence for q in m.quantities}
            for k, other in enumerate(mentions):
                if (
                    k != i
                    and other.article == m.article
                    and other.base == m.base
                    and not _compatible(m, other)
                    and spans & {q.sentence for q in other.quantities}
                ):
                    self.crowded[i] = True
                    break

    def other_years(self, i: int, j: int) -> bool:
        """Whether both figures' sentences name years and none in common (different times)."""
        return bool(self.years[i] and self.years[j] and not self.years[i] & self.years[j])

    def scopes(self, q: Quantity) -> list[Quantity]:
        """The figures of ``q``'s sentence that set its scope ("in 54 games", "over 3 years")."""
        text = self.articles[q.article].text
        return [
            o
            for o in self.per_sentence.get((q.article, q.sentence), ())
            if o is not q
            and o.unit != q.unit
            and _SCOPE_BEFORE.search(text, max(0, o.start - 40), o.start) is not None
        ]

    def other_subjects(self, i: int, j: int) -> bool:
        """Whether the reports giving each figure name different people or teams as the one the
        figure is about ("Manning completed 17 passes", "Garrard completed 28 passes")."""
        a, b = self.subjects[self.keys[i]], self.subjects[self.keys[j]]
        return bool(a and b) and not any(words_match(x, y) for x in a for y in b)

    def other_scopes(self, i: int, j: int) -> bool:
        """Whether the figures are counted over different scopes: "13 homers in 54 games" and
        "33 homers in 157 games" are two seasons' worth of homers, not a disagreement. A figure
        given over a scope against one given over none is counted over different spans too
        ("716 yards in 12 games" / "he had just 269 yards rushing"), except for tallies (a
        toll is the story's, "in two attacks" or not) and properties (an age, a magnitude)."""
        a, b = self.scope_of[self.keys[i]], self.scope_of[self.keys[j]]
        if (
            bool(a) != bool(b)
            and self.mentions[i].unit not in _TALLIES
            and self.mentions[i].unit not in _PROPERTIES
        ):
            return True
        for sa in self.scope_of[self.keys[i]]:
            for sb in self.scope_of[self.keys[j]]:
                if sa.unit is None or sb.unit is None or base_unit(sa.unit) != base_unit(sb.unit):
                    continue
                ma = _Mention(sa.article, 0, sa.unit, sa.value, sa.low, sa.high)
                mb = _Mention(sb.article, 0, sb.unit, sb.value, sb.low, sb.high)
                if not _compatible(ma, mb):
                    return True
        return False

    def __call__(self, i: int, j: int) -> tuple[float, int]:
        key = (min(i, j), max(i, j))
        if key not in self._cache:
            if self.other_subjects(i, j) or self.other_scopes(i, j):
                self._cache[key] = (0.0, 0)
                return self._cache[key]
            text = self.articles
            self._cache[key] = max(
                (0.0, 0)  # "a 25% fall in exports" / "60% of revenue"
                if other_kinds(text[qa.article].text, qa, text[qb.article].text, qb)
                else _overlap(
                    qa,
                    qb,
                    self.contexts[id(qa)],
                    self.contexts[id(qb)],
                    self.weights,
                    (self.names[id(qa)], self.names[id(qb)]),
                )
                for qa in self.mentions[i].quantities
                for qb in self.mentions[j].quantities
            )
        return self._cache[key]


def _terse(a: _Mention, b: _Mention, contexts: Mapping[int, Sequence[str]]) -> bool:
    """Whether either figure's sentence has one content word only, or either is rising."""
    qs = [*a.quantities, *b.quantities]
    return any(q.rising for q in qs) or any(len(contexts[id(q)]) <= 1 for q in qs)


def _disagreements(
    mentions: Sequence[_Mention], sim: _SimilarityCache
) -> list[tuple[list[_Mention], list[tuple[_Mention, _Mention]]]]:
    """Return each group of disagreeing mentions with its disagreeing pairs (steps 3-5)."""
    return _groups(mentions, sim, _disagreeing_pairs(mentions, sim))


def _disagreeing_pairs(
    mentions: Sequence[_Mention], sim: _SimilarityCache
) -> list[tuple[int, int]]:
    """Every pair of mentions ``(i, j)``, ``i < j``, that disagree on the same thing (steps 3-5)."""
    n = len(mentions)
    disagree: list[tuple[int, int]] = []
    by_article: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        by_article[m.article].append(i)

    def like(o: int, k: int) -> bool:
        """Whether mention ``o`` gives the figure of mention ``k``: a compatible figure in a
        like context, or the same figure with a word in common."""
        if o == k:
            return True
        if not _compatible(mentions[o], mentions[k]):
            return False
        score, shared = sim(o, k)
        return score > 0 or (_same_value(mentions[o], mentions[k]) and shared >= 1)

    def gives(article: str, k: int, other: int) -> bool:
        """Whether ``article`` gives the figure of ``k`` in a wording that excludes ``other``."""
        return any(
            like(o, k) and not _compatible(mentions[o], mentions[other])
            for o in by_article[article]
        )

    def both_given(i: int, j: int) -> int:
        """How many articles give both sides: one figure like ``i``, another like ``j``."""
        return sum(
            gives(article, i, j) and gives(article, j, i)
            for article, own in by_article.items()
            if len(own) >= 2
        )

    for i in range(n):
        for j in range(i + 1, n):
            a, b = mentions[i], mentions[j]
            if a.article == b.article or _compatible(a, b):
                continue
            score, shared = sim(i, j)
            if not ratio_ok(a.base, a.bvalue, b.base, b.bvalue) or score < SAME_THING:
                continue
            if shared < MIN_SHARED and not _terse(a, b, sim.contexts):
                continue  # "tremor" alone in common: the initial tremor and the whole quake
            if sim.other_years(i, j):
                continue  # "in 2004 a tsunami killed 230,000" is not this year's toll
            if sim.crowded[i] or sim.crowded[j]:
                continue
            if both_given(i, j) >= BOTH_GIVEN:
                # Reports giving both figures (the one side's "12 magazines" and the other's
                # "31 magazines" in total so far) report two things, not a disagreement. One
                # such report is not enough: it may report the dispute ("a magnitude-5.9
                # quake ... the 6.1-magnitude quake", citing two agencies).
                continue
            disagree.append((i, j))
    return disagree


def _groups(
    mentions: Sequence[_Mention], sim: _SimilarityCache, disagree: Sequence[tuple[int, int]]
) -> list[tuple[list[_Mention], list[tuple[_Mention, _Mention]]]]:
    """Join disagreeing pairs into groups, each with the mentions that back one of its values."""
    n = len(mentions)
    groups = UnionFind(n)
    for i, j in disagree:
        groups.union(i, j)
    members: dict[int, set[int]] = defaultdict(set)
    for i, j in disagree:
        members[groups.find(i)].update((i, j))
    # Supporting mentions: other articles giving one of the values for the same thing. An
    # equal figure in the same unit is very likely the same figure, so one shared content word
    # is enough here; it adds a source, never a conflict.
    for idx in members.values():
        core = sorted(idx)
        for i in range(n):
            if i not in idx and any(
                _same_value(mentions[k], mentions[i]) and sim(i, k)[1] >= 1
                for k in core
                if mentions[k].article != mentions[i].article
            ):
                idx.add(i)
    # Groups that came to share a mention are one disagreement seen twice: merge them.
    for idx in members.values():
        first = min(idx)
        for k in idx:
            groups.union(first, k)
    merged: dict[int, set[int]] = defaultdict(set)
    for idx in members.values():
        merged[groups.find(min(idx))].update(idx)
    out = []
    for root, idx in merged.items():
        pairs = [(i, j) for i, j in disagree if groups.find(i) == root]
        out.append(
            ([mentions[k] for k in sorted(idx)], [(mentions[i], mentions[j]) for i, j in pairs])
        )
    return out


def _values(
    mentions: Sequence[_Mention],
    by_id: Mapping[str, Article],
    when: Mapping[str, tuple[str, str | None] | None] | None,
) -> tuple[ConflictValue, ...]:
    by_value: dict[float, list[_Mention]] = defaultdict(list)
    for m in mentions:
        by_value[_value_key(m)].append(m)
    out: list[tuple[tuple[str, float, float], ConflictValue]] = []
    for value, ms in by_value.items():
        ms.sort(key=lambda m: (m.order, m.quantities[0].start))
        quantities = [q for m in ms for q in sorted(m.quantities, key=lambda q: q.start)]
        # The representative: the first mention in a full sentence (headlines lack context).
        rep = next(
            (
                q
                for q in quantities
                if _is_sentence(by_id[q.article].text[q.sentence[0] : q.sentence[1]])
            ),
            quantities[0],
        )
        text = by_id[rep.article].text[rep.sentence[0] : rep.sentence[1]]
        spans = tuple(Span(q.article, q.start, q.end) for q in quantities)
        cv = ConflictValue(
            text=text,
            value=float(rep.value),
            unit=rep.unit,
            spans=spans,
            low=float(rep.low),
            high=float(rep.high) if math.isfinite(rep.high) else None,
            approx=rep.approx,
        )
        if when is not None:
            # Updates read in date order (undated values last).
            dated = [d for m in ms if (d := when.get(m.article)) is not None]
            first = min(dated, key=lambda d: (d[0], d[1] or "")) if dated else ("9999", None)
            key = (f"{first[0]}T{first[1] or ''}", 0.0, value)
        else:
            # Conflicts read most-cited first.
            key = ("", -len({m.article for m in ms}), float(ms[0].order))
        out.append((key, cv))
    out.sort(key=lambda t: t[0])
    return tuple(cv for _, cv in out)


__all__ = [
    "BOTH_GIVEN",
    "CROWDED",
    "LOCAL_WORDS",
    "MAX_RATIO",
    "NEAR_NAMES",
    "SAME_THING",
    "STAT_LINE",
    "UPDATE_SUFFIX",
    "Weights",
    "find_conflicts",
    "similarity",
]
