"""Date evidence: all one article tells about dates, read once from its parse.

``date_evidence(article, doc)`` is the per-article step of date handling: it finds the date
phrases (patterns first, then spaCy ``DATE`` entities the patterns missed), reads the tense of
each and keeps the content terms of its sentence. The result (``DateEvidence``) holds no spaCy
object, pickles small and round-trips through ``to_dict``/``from_dict``, so that anchors
(``infer_anchors``, a story-level decision) and calendar dates (``resolve_dates``) can be
computed later without the parse.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from synoptic.analyze.dates.phrases import (
    DateExpr,
    DisjointSpans,
    is_duration_or_age,
    needs_dateparser,
    parse_phrase,
    pattern_phrases,
)
from synoptic.analyze.dates.similarity import content_terms
from synoptic.analyze.dates.tense import Tense, tense_of
from synoptic.analyze.nlp import sentences
from synoptic.model import Article, Record

# A day named after "for" is the day something is set for ("a strike for Wednesday", "talks set
# for January 10"), not the day it was set, whatever the tense of the verb that set it.
_SCHEDULED_FOR = re.compile(r"(?i)for\s+(?:(?:this|next|coming)\s+)?\w+(?![’']s)\b")


@dataclass(frozen=True, slots=True)
class DateFinding(Record):
    """One date phrase of an article, before any anchor is known.

    Attributes:
        start: Start of the phrase in ``Article.text``.
        end: End of the phrase in ``Article.text``.
        text: The phrase as written.
        sentence: The span ``(start, end)`` of the sentence holding the phrase.
        expr: What the phrase says (weekday, offset, calendar fields...).
        tense: The tense of the clause the phrase dates, from its verbs.
        terms: The sentence's stemmed content words, sorted (``content_terms``), used to match
            it with sentences of other articles that report the same event.
    """

    start: int
    end: int
    text: str
    sentence: tuple[int, int]
    expr: DateExpr
    tense: Tense | None
    terms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DateEvidence(Record):
    """Everything date resolution and anchor inference need from one article.

    Attributes:
        article: The article id.
        found: The article's date phrases in reading order (durations and ages left out).
    """

    article: str
    found: tuple[DateFinding, ...] = ()


def _sentence_of(
    starts: list[int], spans: list[tuple[int, int]], pos: int, text: str
) -> tuple[int, int]:
    i = bisect_right(starts, pos) - 1
    if i >= 0 and spans[i][0] <= pos < spans[i][1]:
        return spans[i]
    return (pos, min(len(text), pos + 1))


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


def _phrases(doc: Doc) -> list[tuple[int, int, DateExpr]]:
    """The article's date phrases in reading order: patterns first, then spaCy DATE entities."""
    taken_spans = DisjointSpans()
    taken = pattern_phrases(doc.text, taken_spans)
    for ent in doc.ents:
        if ent.label_ != "DATE":
            continue
        if taken_spans.overlaps(ent.start_char, ent.end_char):
            continue
        if is_duration_or_age(ent.text):
            continue
        expr = parse_phrase(ent.text)
        if expr is None and needs_dateparser(ent.text):
            expr = DateExpr("dateparser")
        if expr is not None:
            taken_spans.add(ent.start_char, ent.end_char)
            taken.append((ent.start_char, ent.end_char, expr))
    taken.sort(key=lambda c: c[0])
    return taken


def date_evidence(article: Article, doc: Doc) -> DateEvidence:
    """Return the date evidence of one article: its date phrases, their tense and sentences.

    Args:
        article: The article; spans index into its ``text``.
        doc: The article's parsed ``Doc`` (from ``Analyzer.parse``).

    Returns:
        The evidence ``infer_anchors`` and ``resolve_dates`` work from (no spaCy object inside).
    """
    text = doc.text
    sents = sentences(article, doc)
    starts = [s.start for s in sents]
    spans = [(s.start, s.end) for s in sents]
    terms: dict[tuple[int, int], tuple[str, ...]] = {}
    found: list[DateFinding] = []
    for start, end, expr in _phrases(doc):
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None and expr.type == "y" and _counts_things(span):
            continue
        tense = tense_of(span) if span is not None and len(span) else None
        if expr.day_relative or expr.type == "md":
            if _SCHEDULED_FOR.match(text, start):
                tense = "future"  # "called a strike for Wednesday": the coming Wednesday
            elif text[end : end + 2] in ("’s", "'s") and tense == "future":
                # "Monday's talks" names a day, not the time of the clause around it ("would
                # tell you Monday's talks were ..."): the nearest such day.
                tense = None
        sentence = _sentence_of(starts, spans, start, text)
        if sentence not in terms:
            terms[sentence] = tuple(sorted(content_terms(article.text[sentence[0] : sentence[1]])))
        found.append(
            DateFinding(start, end, text[start:end], sentence, expr, tense, terms[sentence])
        )
    return DateEvidence(article.id, tuple(found))
