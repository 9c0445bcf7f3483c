"""Stories across a whole archive: blocking, the story engine inside each block, and the merge.

Batch clustering (``cluster.cluster_auto``) compares every pair of articles, which an archive
cannot afford. Two reports of one event share names or numbers (``stories.features
.article_terms``, the keys the store's index uses too) and are published close in time, so:

1. **Blocking.** Each original article (copies follow their original) is keyed by its terms.
   Within one term's block, members are sorted by day and each is linked to the next when the
   two are at most ``WINDOW_DAYS`` apart; an undated member (which clusters on content alone)
   is linked to the block's first member. The links are linear in the block, never pairwise.
   A term carried by more than ``MAX_BLOCK`` articles names a topic, not an event, and keys
   nothing (the engine would not join on it alone either).
2. **Merge across blocks.** Linked articles form components (union-find over the links), so
   a story whose members straddle two blocks (two terms, two windows) is one component.
3. **The story engine inside each component**: ``cluster.cluster_auto`` with the run's
   embedder, then the batch id rule (``stories.batch.story_ids``) and ``cluster.make_story``,
   exactly as ``synoptic brief --stories auto`` does over the component's articles.

The partition agrees with one-machine batch clustering whenever no batch story joins
articles that share no key term chain within the window (measured on ``examples/`` and ECB+
in ``tests/test_spark.py``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from synoptic.cluster import WINDOW_DAYS, cluster_auto, make_story
from synoptic.model import Article, Story
from synoptic.stories.batch import story_ids
from synoptic.stories.features import article_features, article_terms
from synoptic.unionfind import UnionFind

if TYPE_CHECKING:
    from pyspark import RDD

    from synoptic.analyze.embed import Embedder
    from synoptic.settings import Settings

# Terms per article used as blocking keys (``article_terms``' default).
KEY_TERMS = 20
# A term carried by more articles than this is too common to key a block on.
MAX_BLOCK = 5000


def block_keys(article: Article) -> Iterator[tuple[str, tuple[int | None, str]]]:
    """Yield (term, (day, id)) for each key term of an original article."""
    day = article_features(article).day
    for term in article_terms(article, KEY_TERMS):
        yield term, (day, article.id)


def block_links(members: Iterable[tuple[int | None, str]]) -> Iterator[tuple[str, str]]:
    """Yield the links of one term's block: consecutive dated members within the window, and
    each undated member to the block's first member."""
    listed = list(members)
    if len(listed) < 2 or len(listed) > MAX_BLOCK:
        return
    dated = sorted((d, i) for d, i in listed if d is not None)
    undated = sorted(i for d, i in listed if d is None)
    for (d1, a), (d2, b) in itertools.pairwise(dated):
        if d2 - d1 <= WINDOW_DAYS:
            yield a, b
    first = dated[0][1] if dated else undated[0]
    for u in undated:
        if u != first:
            yield first, u


def cluster_component(articles: list[Article], embedder: Embedder) -> list[Story]:
    """Run the batch story engine over one component's articles (copies included)."""
    groups = cluster_auto(articles, embedder=embedder)
    return [make_story(g, sid) for g, sid in zip(groups, story_ids(groups), strict=True)]


def components(articles: RDD[Article]) -> tuple[RDD[tuple[str, Article]], dict[str, int]]:
    """Key every article by its component; return the keyed articles and counts."""
    sc = articles.context
    originals = articles.filter(lambda a: a.duplicate_of is None)
    links = originals.flatMap(block_keys).groupByKey().flatMap(lambda kv: block_links(kv[1]))
    uf = UnionFind()
    n_links = 0
    for a, b in links.toLocalIterator():
        uf.union(a, b)
        n_links += 1
    root = sc.broadcast({k: uf.find(k) for k in list(uf.parent)})

    def key(a: Article) -> tuple[str, Article]:
        home = a.duplicate_of if a.duplicate_of is not None else a.id
        return root.value.get(home, home), a

    keyed = articles.map(key)
    sizes = keyed.map(lambda kv: (kv[0], 1)).reduceByKey(lambda x, y: x + y).values()
    stats = {
        "links": n_links,
        "components": sizes.count(),
        "largest_component": sizes.max() if not sizes.isEmpty() else 0,
    }
    return keyed, stats


def find_stories(articles: RDD[Article], settings: Settings) -> tuple[RDD[Story], dict[str, int]]:
    """Return the stories of ``articles`` (copies marked) and the blocking counts."""
    from synoptic.spark.workers import context

    keyed, stats = components(articles)
    stories = keyed.groupByKey().flatMap(
        lambda kv: cluster_component(list(kv[1]), context(settings).embedder)
    )
    return stories, stats


__all__ = [
    "KEY_TERMS",
    "MAX_BLOCK",
    "block_keys",
    "block_links",
    "cluster_component",
    "components",
    "find_stories",
]
