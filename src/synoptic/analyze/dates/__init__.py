"""Date expressions: find them, tell their tense, and pin them to the calendar.

A news report dates its events relative to the day it was written ("on Wednesday", "last
month", "today"), and scraped copies often lose that day. This module finds the date phrases of
an article, reads the tense of the clause they date, resolves them against an *anchor* (the
article's publication date as written in its own time zone) and, for an undated article, infers
the anchor from the rest of the story.

Two steps, because the anchor is a story-level decision:

* ``date_evidence(article, doc) -> DateEvidence`` (per article, needs the parse): the date
  phrases found, their tense and their sentences' content terms; no spaCy object inside;
* ``infer_anchors(articles, evidence)`` then ``resolve_dates(article, evidence, anchor)``
  (per story, no parse needed).

``extract_dates(article, doc, anchor=...)`` and ``infer_anchor(articles, docs)`` are the same
two steps for callers that hold the parsed docs.

Modules: ``phrases`` (patterns and the parsed form of a phrase), ``tense``, ``evidence``
(finding), ``resolve``, ``similarity`` (do two sentences report the same event) and ``anchor``.

Finding (``date_evidence``), a cascade over the parsed ``Doc``:

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
  before ``A``, future the first on or after it, present the nearest; "last January 22" and
  "last January" are before the month of ``A`` (written in January 1988: 1987's), "next ..."
  after it;
* a day named after "for" ("called a strike for Wednesday", "set for January 10") is the day
  something is set for: future, whatever the tense of the verb that set it;
* a month name alone ("in December"): the same rule by months, with month precision;
* a year, or a month and year, or a full date: itself (``kind="absolute"``) whatever the anchor.

Without an anchor, relative phrases keep ``date=None``. ``dateparser`` (with ``RELATIVE_BASE``
set to the anchor and ``PREFER_DATES_FROM`` set from the tense) only reads spaCy date entities
the rules above do not cover; the rules, not dateparser, decide the tense.

Anchors (``infer_anchors``): a dated article's anchor is its publication date, read from the ISO
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
within hours of it). With no dated article at all (old wire text, plain files), full dates
written in the texts ("on January 10, 2022", not in the future tense) stand in: they join the
pool that pins reports by shared events, and an article still unpinned takes the latest such
date it writes itself, else the latest of the story (a report is written on or after the days
it tells of as past); only a story that writes no full date keeps the anchor ``None``.

``precision="week"`` is an addition to the day/month/year of the timeline contract, for "next
week" and the like; ``TimelineEvent`` dates never carry it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from spacy.tokens import Doc

from synoptic.analyze.dates.anchor import PIN_SIMILARITY, PIN_WINDOW, infer_anchors
from synoptic.analyze.dates.evidence import DateEvidence, DateFinding, date_evidence
from synoptic.analyze.dates.phrases import (
    MONTHS,
    NUMBERS,
    SEASONS,
    WEEKDAYS,
    DateExpr,
    Kind,
    parse_phrase,
)
from synoptic.analyze.dates.resolve import DateMention, Precision, published_date, resolve_dates
from synoptic.analyze.dates.similarity import TermWeights, content_terms, sentence_similarity
from synoptic.analyze.dates.tense import Tense, tense_of
from synoptic.model import Article


def extract_dates(
    article: Article, doc: Doc, *, anchor: dt.date | None = None
) -> tuple[DateMention, ...]:
    """Return the article's date phrases, resolved against ``anchor``.

    The two steps in one call: ``resolve_dates(article, date_evidence(article, doc), anchor)``.

    Args:
        article: The article; mention spans index into its ``text``.
        doc: The article's parsed ``Doc`` (from ``Analyzer.parse``).
        anchor: The day relative phrases are relative to (see ``infer_anchors``); ``None``
            uses the article's own publication date, and leaves relative phrases unresolved
            when it has none.

    Returns:
        The mentions in reading order; durations and ages are not mentions.
    """
    return resolve_dates(article, date_evidence(article, doc), anchor)


def infer_anchor(articles: Sequence[Article], docs: Mapping[str, Doc]) -> dict[str, dt.date | None]:
    """Return, per article id, the anchor day (``infer_anchors`` over the docs' evidence).

    Args:
        articles: The story's articles.
        docs: Parsed docs by article id; articles without one keep their own date (or the
            fallback).
    """
    evidence = {a.id: date_evidence(a, docs[a.id]) for a in articles if a.id in docs}
    return infer_anchors(articles, evidence)


__all__ = [
    "MONTHS",
    "NUMBERS",
    "PIN_SIMILARITY",
    "PIN_WINDOW",
    "SEASONS",
    "WEEKDAYS",
    "DateEvidence",
    "DateExpr",
    "DateFinding",
    "DateMention",
    "Kind",
    "Precision",
    "Tense",
    "TermWeights",
    "content_terms",
    "date_evidence",
    "extract_dates",
    "infer_anchor",
    "infer_anchors",
    "parse_phrase",
    "published_date",
    "resolve_dates",
    "sentence_similarity",
    "tense_of",
]
