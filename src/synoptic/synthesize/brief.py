"""Assemble a story's brief from its articles' analyses.

Each field of the brief comes from one module with one job; this one only calls them in an order
that lets later steps reuse earlier work (one alignment feeds the summary, the facts and the
unique contributions; one date anchor per article feeds the timeline and tells updates from
conflicts).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from synoptic.analyze.dates import infer_anchors, resolve_dates
from synoptic.analyze.record import AnalyzedArticle
from synoptic.deadline import DeadlineExceeded, budget, check
from synoptic.dedup import near_copies
from synoptic.model import Brief, Flag, Story
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

# The kind of the flag a brief written in part carries (over ``Settings.story_seconds``).
INCOMPLETE = "incomplete"
# The sections of a brief, in the order they are computed.
SECTIONS = ("conflicts", "summary", "facts", "unique", "timeline", "quotes", "entities", "flags")


def synthesize(
    story: Story,
    analyses: Mapping[str, AnalyzedArticle],
    *,
    summary_words: int = DEFAULT_SUMMARY_WORDS,
    registry: Registry | None = None,
    seconds: float | None = None,
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
        seconds: CPU seconds the synthesis may take (``Settings.story_seconds``; ``None`` or
            0: no budget). Past it the brief holds the sections finished by then, the others
            empty, and a flag of kind ``INCOMPLETE`` saying which and where it stopped: its
            articles and what finished are still written (``E307`` on the run's stderr).
    """
    parts: dict[str, Any] = {}
    with using(registry):
        try:
            with budget(seconds):
                _sections(parts, story, analyses, summary_words)
        except DeadlineExceeded as exc:
            missing = [name for name in SECTIONS if name not in parts]
            text = (
                f"Synthesis stopped at its budget of {exc.seconds:g} CPU seconds "
                f"(in {exc.stage}): {', '.join(missing)} not computed."
            )
            parts["flags"] = (*parts.get("flags", ()), Flag(INCOMPLETE, text))
        outlets_ = tuple(a.to_dict() for a in attribute_all(story.articles).values())
    return Brief(story=story, outlets=outlets_, **parts)


def incomplete(brief: Brief) -> Flag | None:
    """The flag of a brief written in part (over its budget), else ``None``."""
    return next((f for f in brief.flags if f.kind == INCOMPLETE), None)


def _sections(
    parts: dict[str, Any],
    story: Story,
    analyses: Mapping[str, AnalyzedArticle],
    summary_words: int,
) -> None:
    """Compute the brief's sections into ``parts`` in turn, the budget checked between them
    (and inside the long loops of alignment and quote merging)."""
    articles = [a for a in story.articles if a.id in analyses]
    recs = {a.id: analyses[a.id] for a in articles}
    sents = {aid: r.sentences for aid, r in recs.items()}

    # Which articles count as one source: asked by the alignment, the summary and every fact.
    near = near_copies(story.articles)
    outlet_of = outlets(story, near)
    parts["copies"] = copies(story, near)
    check("align")
    groups = align(story, sents, recs, outlet_of=outlet_of)
    check("conflicts")
    claims = find_claim_conflicts(story, groups, {aid: r.claims for aid, r in recs.items()})
    # A group can hold both sides of a claim conflict: cite each sentence by its own side only.
    people = {
        aid: [(m.start, m.end) for m in r.mentions if m.type == "PERSON"] for aid, r in recs.items()
    }
    anchors = infer_anchors(articles, {aid: r.dates for aid, r in recs.items()})
    quantities = [q for a in articles for q in recs[a.id].quantities]
    article_dates = {k: (v.isoformat() if v else None) for k, v in anchors.items()}
    figures = find_conflicts(quantities, articles, dates=article_dates)
    parts["conflicts"] = figures + claims

    check("summary")
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
    parts["summary"] = uncontradicted(summary, claims)
    check("facts")
    facts = uncontradicted(build_facts(story, sents, recs, groups=groups), claims)
    parts["facts"] = tuple(f for f in facts if support(f, story, outlet_of) >= MIN_SUPPORT)
    check("unique")
    parts["unique"] = find_unique(story, sents, groups)

    check("timeline")
    date_mentions = [
        m for a in articles for m in resolve_dates(a, recs[a.id].dates, anchors.get(a.id))
    ]
    parts["timeline"] = build_timeline(date_mentions, articles, anchors=anchors)

    check("quotes")
    quotes = merge_quotes([q for a in articles for q in recs[a.id].quotes], articles)
    parts["quotes"] = keep_with_sentences(quotes, sents)

    check("entities")
    mentions = [m for a in articles for m in recs[a.id].mentions]
    entities = merge_entities(mentions, articles)
    flags = find_flags(mentions, entities, articles) + variant_flags(mentions, entities, articles)
    parts["entities"], parts["flags"] = entities, flags
