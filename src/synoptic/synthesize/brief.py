"""Assemble a story's brief from its articles' analyses.

Each field of the brief comes from one module with one job; this one only calls them in an order
that lets later steps reuse earlier work (one alignment feeds the summary, the facts and the
unique contributions; one date anchor per article feeds the timeline and tells updates from
conflicts).
"""

from __future__ import annotations

from collections.abc import Mapping

from spacy.tokens import Doc

from synoptic.analyze.dates import extract_dates, infer_anchor
from synoptic.analyze.embed import Embedder
from synoptic.analyze.entities import extract_mentions
from synoptic.analyze.nlp import sentences as doc_sentences
from synoptic.analyze.quantities import extract_quantities
from synoptic.analyze.quotes import extract_quotes
from synoptic.model import Brief, Story
from synoptic.synthesize.align import align
from synoptic.synthesize.claims import find_claim_conflicts, uncontradicted
from synoptic.synthesize.conflicts import find_conflicts
from synoptic.synthesize.entities import find_flags, merge_entities
from synoptic.synthesize.facts import MIN_SUPPORT, build_facts, support
from synoptic.synthesize.quotes import merge_quotes
from synoptic.synthesize.summary import DEFAULT_SUMMARY_WORDS, summarize
from synoptic.synthesize.timeline import build_timeline
from synoptic.synthesize.unique import find_unique


def synthesize(
    story: Story,
    docs: Mapping[str, Doc],
    *,
    summary_words: int = DEFAULT_SUMMARY_WORDS,
    embedder: Embedder | None = None,
) -> Brief:
    """Return the brief of ``story`` given each member's parsed doc (by article id).

    Args:
        story: The story; members marked ``duplicate_of`` are cited but count once for support.
        docs: The spaCy parse of every member, by article id.
        summary_words: Word budget of the summary.
        embedder: Sentence embedder shared across stories of a run (one model load).
    """
    articles = [a for a in story.articles if a.id in docs]
    embedder = embedder or Embedder()
    sents = {a.id: doc_sentences(a, docs[a.id]) for a in articles}

    groups = align(story, sents, docs, embedder=embedder)
    claims = find_claim_conflicts(story, groups, docs)
    # A group can hold both sides of a claim conflict: cite each sentence by its own side only.
    summary = uncontradicted(
        summarize(story, sents, max_words=summary_words, groups=groups), claims
    )
    facts = uncontradicted(build_facts(story, sents, docs, groups=groups), claims)
    facts = tuple(f for f in facts if support(f, story) >= MIN_SUPPORT)
    unique = find_unique(story, sents, groups)

    anchors = infer_anchor(articles, docs)
    date_mentions = [
        m for a in articles for m in extract_dates(a, docs[a.id], anchor=anchors.get(a.id))
    ]
    timeline = build_timeline(date_mentions, articles)

    quantities = [q for a in articles for q in extract_quantities(a, docs[a.id])]
    article_dates = {k: (v.isoformat() if v else None) for k, v in anchors.items()}
    conflicts = find_conflicts(quantities, articles, dates=article_dates)
    conflicts += claims

    quotes = merge_quotes([q for a in articles for q in extract_quotes(a, docs[a.id])], articles)

    mentions = [m for a in articles for m in extract_mentions(a, docs[a.id])]
    entities = merge_entities(mentions, articles)
    flags = find_flags(mentions, entities, articles)

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
    )
