"""Assemble a story's brief from its articles' analyses.

Each field of the brief comes from one module with one job; this one only calls them in an order
that lets later steps reuse earlier work (one alignment feeds the summary, the facts and the
unique contributions; one date anchor per article feeds the timeline and tells updates from
conflicts).
"""

from __future__ import annotations

from collections.abc import Mapping

from synoptic.analyze.dates import infer_anchors, resolve_dates
from synoptic.analyze.record import AnalyzedArticle
from synoptic.dedup import near_copies
from synoptic.model import Brief, Story
from synoptic.outlets import Registry, attribute_all, using
from synoptic.synthesize.align import align, copies, outlets
from synoptic.synthesize.claims import find_claim_conflicts, uncontradicted
from synoptic.synthesize.conflicts import find_conflicts
from synoptic.synthesize.entities import find_flags, merge_entities
from synoptic.synthesize.facts import MIN_SUPPORT, build_facts, support
from synoptic.synthesize.quotes import keep_with_sentences, merge_quotes
from synoptic.synthesize.summary import DEFAULT_SUMMARY_WORDS, summarize, superseded_figures
from synoptic.synthesize.timeline import build_timeline
from synoptic.synthesize.unique import find_unique
from synoptic.synthesize.variants import variant_flags


def synthesize(
    story: Story,
    analyses: Mapping[str, AnalyzedArticle],
    *,
    summary_words: int = DEFAULT_SUMMARY_WORDS,
    registry: Registry | None = None,
) -> Brief:
    """Return the brief of ``story`` given each member's analysis (by article id).

    Needs no model: everything read from the articles' parses and embeddings is in their
    ``AnalyzedArticle`` records (``analyze.analyze_all``).

    Args:
        story: The story; members marked ``duplicate_of`` are cited but count once for support.
        analyses: The analysis of every member, by article id (members without one are left
            out).
        summary_words: Word budget of the summary.
        registry: The outlets registry that tells which articles count as one independent
            outlet (``None``: the one in use, the shipped one by default).
    """
    with using(registry):
        return _synthesize(story, analyses, summary_words)


def _synthesize(story: Story, analyses: Mapping[str, AnalyzedArticle], summary_words: int) -> Brief:
    articles = [a for a in story.articles if a.id in analyses]
    recs = {a.id: analyses[a.id] for a in articles}
    sents = {aid: r.sentences for aid, r in recs.items()}

    # Which articles count as one source: asked by the alignment, the summary and every fact.
    near = near_copies(story.articles)
    outlet_of = outlets(story, near)
    groups = align(story, sents, recs, outlet_of=outlet_of)
    claims = find_claim_conflicts(story, groups, {aid: r.claims for aid, r in recs.items()})
    # A group can hold both sides of a claim conflict: cite each sentence by its own side only.
    people = {
        aid: [(m.start, m.end) for m in r.mentions if m.type == "PERSON"] for aid, r in recs.items()
    }
    anchors = infer_anchors(articles, {aid: r.dates for aid, r in recs.items()})
    quantities = [q for a in articles for q in recs[a.id].quantities]
    article_dates = {k: (v.isoformat() if v else None) for k, v in anchors.items()}
    figures = find_conflicts(quantities, articles, dates=article_dates)
    conflicts = figures + claims

    # A figure a later report updates ("two died", then "five") is left out of the summary.
    summary = summarize(
        story,
        sents,
        max_words=summary_words,
        groups=groups,
        people=people,
        superseded=superseded_figures(figures, article_dates, {a.id: a.text for a in articles}),
        outlet_of=outlet_of,
    )
    summary = uncontradicted(summary, claims)
    facts = uncontradicted(build_facts(story, sents, recs, groups=groups), claims)
    facts = tuple(f for f in facts if support(f, story, outlet_of) >= MIN_SUPPORT)
    unique = find_unique(story, sents, groups)

    date_mentions = [
        m for a in articles for m in resolve_dates(a, recs[a.id].dates, anchors.get(a.id))
    ]
    timeline = build_timeline(date_mentions, articles, anchors=anchors)

    quotes = keep_with_sentences(
        merge_quotes([q for a in articles for q in recs[a.id].quotes], articles), sents
    )

    mentions = [m for a in articles for m in recs[a.id].mentions]
    entities = merge_entities(mentions, articles)
    flags = find_flags(mentions, entities, articles) + variant_flags(mentions, entities, articles)

    return Brief(
        story=story,
        summary=summary,
        facts=facts,
        conflicts=conflicts,
        quotes=quotes,
        entities=entities,
        timeline=timeline,
        unique=unique,
        flags=flags,
        outlets=tuple(a.to_dict() for a in attribute_all(story.articles).values()),
        copies=copies(story, near),
    )
