"""Scoring facts against event coreference: is each fact supported by the same event?

A corpus that annotates events and their cross-document coreference (ECB+ with the Event
StoryLine Corpus layer: ``../shared/data/ecbplus-esc/articles.jsonl``) tells whether two
sentences of two outlets report the same event: they share an event chain. A fact is judged
when its wording and at least one supporting sentence carry annotated events (reporting verbs
left out: "said" is in every sentence), and right when every such supporting sentence shares a
chain with the wording. Used by ``bench/facts.py`` and the facts gate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from synoptic.model import Cited

#: (start, end, chain) of one event mention.
Event = tuple[int, int, str]


def event_chains(row: Mapping[str, Any]) -> list[Event]:
    """Return the cross-document event mentions of one ESC article row, reporting ones left out."""
    return [
        (m["start"], m["end"], m["chain"])
        for m in row["mentions"]
        if m["category"] == "event" and m.get("chain") and m["tag"] != "ACTION_REPORTING"
    ]


def judge(fact: Cited, chains: Mapping[str, Sequence[Event]]) -> bool | None:
    """Whether every annotated supporting sentence shares an event with the fact's wording
    (``None``: not judged, for want of annotated events on either side)."""

    def events(article: str, start: int, end: int) -> set[str]:
        return {c for s, _, c in chains.get(article, ()) if start <= s < end}

    first = fact.spans[0]
    own = events(first.article, first.start, first.end)
    if not own:
        return None
    judged = [o for s in fact.spans[1:] if (o := events(s.article, s.start, s.end))]
    if not judged:
        return None
    return all(o & own for o in judged)


__all__ = ["Event", "event_chains", "judge"]
