"""Anchors: the day each article's relative date phrases are relative to (a story-level decision).

``infer_anchors(articles, evidence)``: a dated article's anchor is its publication date as
written; an undated one is pinned by the events it shares with anchored articles, else takes the
story's earliest publication date (scoring in the package docstring).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from synoptic.analyze.dates.evidence import DateEvidence, DateFinding
from synoptic.analyze.dates.resolve import published_date, resolve
from synoptic.analyze.dates.similarity import TermWeights, sentence_similarity
from synoptic.model import Article

# How far (days) from a matched event's date an undated article's anchor is searched.
PIN_WINDOW = 8
# Sentence similarity (see ``sentence_similarity``) at or above which two sentences that date an
# event to compatible days are taken to report the same event.
PIN_SIMILARITY = 0.15


@dataclass(frozen=True, slots=True)
class _Dated:
    article: str
    date: dt.date
    terms: frozenset[str]


def _reach_back(found: Sequence[DateFinding], anchor: dt.date) -> int:
    """How many days back the article's oldest past-tense day phrase lands from ``anchor``.

    A report covers recent days: of two anchors that agree equally with the story, the one
    that keeps its past events closest is likelier ("ended Monday ... resumed Tuesday" is
    written on Tuesday, not on the Monday before a Tuesday six days earlier).
    """
    reach = 0
    for f in found:
        if f.expr.day_relative and f.tense == "past":
            r = resolve(f.expr, anchor, f.tense)
            if r:
                reach = max(reach, (anchor - dt.date.fromisoformat(r[0])).days)
    return reach


def _pin(
    article: Article,
    found: Sequence[DateFinding],
    pool: Sequence[_Dated],
    weights: TermWeights,
    story_date: dt.date | None,
) -> dt.date | None:
    """Infer an undated article's anchor from the events it shares with dated ones."""
    scores: dict[dt.date, float] = {}
    for f in found:
        if not f.expr.day_relative:
            continue
        terms = frozenset(f.terms)
        best: dict[dt.date, float] = {}  # candidate anchor -> best similarity for this mention
        for p in pool:
            if p.article == article.id:
                continue
            sim = sentence_similarity(terms, p.terms, weights)
            if sim < PIN_SIMILARITY:
                continue
            for delta in range(-PIN_WINDOW, PIN_WINDOW + 1):
                cand = p.date + dt.timedelta(days=delta)
                r = resolve(f.expr, cand, f.tense)
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


def infer_anchors(
    articles: Sequence[Article], evidence: Mapping[str, DateEvidence]
) -> dict[str, dt.date | None]:
    """Return, per article id, the day its relative date phrases are relative to.

    A dated article's anchor is its publication date as written (in its own offset). An
    undated one is pinned by the events it shares with articles already anchored (repeated
    until nothing changes, so copies of copies resolve too); failing that it takes the story's
    earliest publication date. When no article of the story is dated, full dates written in
    the texts ("on January 10, 2022", past or present tense) stand in: they pin the reports
    that tell the same events by weekday, and an article still unpinned takes the latest such
    date it writes itself, else the story's latest; ``None`` when there is none. See the
    package docstring for the scoring.

    Args:
        articles: The story's articles.
        evidence: Date evidence by article id (``date_evidence``); articles without any keep
            their own date (or the fallback).
    """
    own = {a.id: published_date(a.published) for a in articles}
    anchors: dict[str, dt.date | None] = dict(own)
    found = {a.id: evidence[a.id].found for a in articles if a.id in evidence}
    terms: dict[tuple[str, tuple[int, int]], frozenset[str]] = {}
    for aid, fs in found.items():
        for f in fs:
            key = (aid, f.sentence)
            if key not in terms:
                terms[key] = frozenset(f.terms)
    weights = TermWeights(terms.values())
    pinned: set[str] = {aid for aid, d in own.items() if d is not None}
    dated = [d for d in own.values() if d is not None]
    fallback = min(dated) if dated else None
    # Full dates written in the text ("on January 10, 2022") need no anchor: they pin the
    # reports that tell the same events by weekday even when no report of the story is dated.
    written: dict[str, list[_Dated]] = {}
    for aid, fs in found.items():
        for f in fs:
            if f.expr.type == "ymd" and f.tense != "future":
                day = dt.date(f.expr.y, f.expr.m, f.expr.d)
                written.setdefault(aid, []).append(_Dated(aid, day, terms[(aid, f.sentence)]))
    while True:
        pool: list[_Dated] = [d for aid, ds in written.items() if aid not in pinned for d in ds]
        for aid in sorted(pinned):
            for f in found.get(aid, ()):
                r = resolve(f.expr, anchors[aid], f.tense, f.text)
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
    story_written = max((d.date for ds in written.values() for d in ds), default=None)
    for a in articles:
        if a.id not in pinned:
            if fallback is not None:
                anchors[a.id] = fallback
            else:
                # No report is dated: a report is written on or after the latest day it tells
                # of as past, its own first, else the story's.
                mine = max((d.date for d in written.get(a.id, ())), default=None)
                anchors[a.id] = mine or story_written
    return anchors
