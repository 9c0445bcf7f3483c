"""Story ids for a batch: the store's placement rule applied to groups that arrive at once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from synoptic.model import Article
from synoptic.stories.original import arrival_rank
from synoptic.stories.placement import Member, Plan, place


def batch_plan(groups: Sequence[Sequence[Article]]) -> Plan:
    """Place grouped articles as a store with no stories yet would, all at once.

    Articles arrive in publication order (``original.arrival_rank``), so each group is
    named after its earliest member, as the store names a story after its first-ingested one.

    Args:
        groups: The groups (copies, marked ``duplicate_of``, in their original's group).
    """
    articles = [a for g in groups for a in g]
    seq = {a.id: k for k, a in enumerate(sorted(articles, key=arrival_rank))}
    new = [Member(a.id, seq[a.id], _original(a, seq)) for a in articles]
    tight = {a.id: gi for gi, g in enumerate(groups) for a in g if _original(a, seq) is None}
    return place((), new, tight)


def _original(article: Article, batch: Mapping[str, int]) -> str | None:
    """The article's original if the batch holds it (a copy of an absent one stands alone)."""
    return article.duplicate_of if article.duplicate_of in batch else None


def story_ids(groups: Sequence[Sequence[Article]]) -> list[str]:
    """Return the id of each group, in order (see ``batch_plan``)."""
    plan = batch_plan(groups)
    return [plan.placed[g[0].id] for g in groups]
