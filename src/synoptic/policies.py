"""The built-in story policies of ``synoptic brief --stories``: how articles become stories.

Each is a ``StoryPolicy`` (see ``synoptic.registry``): ``policy(articles, context)`` returns
the stories the extracted articles form. They wrap the story engine (``synoptic.cluster``);
other policies plug in through the ``synoptic.story_policies`` entry points.
"""

from __future__ import annotations

from collections.abc import Sequence

from synoptic.cluster import group_articles
from synoptic.context import RunContext
from synoptic.model import Article, Story
from synoptic.stories.blocks import group_auto


def by_content(articles: Sequence[Article], context: RunContext) -> list[Story]:
    """``auto``: group by content and time (the clusterer, with the run's embedder; blocked
    above ``settings.block_above`` originals)."""
    return group_auto(articles, embedder=context.embedder, block_above=context.settings.block_above)


def per_folder(articles: Sequence[Article], context: RunContext) -> list[Story]:
    """``per-dir``: one story per folder the articles were read from."""
    return group_articles(articles, "per-dir")


def all_in_one(articles: Sequence[Article], context: RunContext) -> list[Story]:
    """``one``: every article in one story."""
    return group_articles(articles, "one")


__all__ = ["all_in_one", "by_content", "per_folder"]
