"""Stories across a whole archive: candidate blocking with verified links, then the story engine
inside each component.

The same blocking as batch runs above ``Settings.block_above`` (``stories.blocks``), spread:

1. **Frequencies and slices.** Document frequencies of word stems and names over all originals
   (copies follow their original) are counted by a shuffle and broadcast, so similarities use
   the IDF one batch over the archive would; the dated articles' days give the window slices.
2. **Term blocks propose** (a shuffle keyed by term and slice pair): within a block, pairs
   within ``WINDOW_DAYS`` are candidates, scored by ``blocks.term_weight``; each article keeps
   its ``blocks.TOP_K`` best. A block of more than ``blocks.MAX_DF`` proposes only each
   member's neighbour by day (``blocks.chain_pairs``). Keys are ``blocks.key_terms``.
3. **The engine verifies**: each candidate pair's direct similarity from the two articles'
   ``blocks.Profile`` (joined by id), kept as a link when it reaches ``blocks.LINK_FLOOR``.
4. **Components** of the links on the driver (links are few: a few per article), split again
   above ``blocks.MAX_COMPONENT`` (``blocks.split``), then ``cluster.cluster_auto`` with the
   archive's frequencies per component, named by the batch id rule (``stories.batch``).

Before verified links, blocks were chained by consecutive members of every term's block, and
common terms chained everything: ECB+'s 981 originals were one component of 979.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from operator import add
from typing import TYPE_CHECKING

from synoptic.cluster import WINDOW_DAYS, cluster_auto, lead_vectors, make_story
from synoptic.model import Article, Story
from synoptic.stories import blocks
from synoptic.stories.batch import story_ids
from synoptic.stories.features import Frequencies, article_features

if TYPE_CHECKING:
    from pyspark import RDD

    from synoptic.analyze.embed import Embedder
    from synoptic.settings import Settings

Member = tuple[str, int | None]  # (id, day)
UNDATED = -1  # the one slice of a batch without dates


def block_keys(
    article: Article, first: int | None, slots: frozenset[int]
) -> Iterator[tuple[tuple[str, int], Member]]:
    """Yield ((term, slice pair), (id, day)) for each key term of an original article.

    Slice pair ``s`` holds slices ``s`` and ``s + 1`` and every undated article, as
    ``blocks.candidate_pairs`` cuts them."""
    day = article_features(article).day
    if day is None or first is None:
        keys = sorted(slots) if slots else [UNDATED]
    else:
        s = blocks.slot_of(day, first, WINDOW_DAYS)
        keys = [k for k in (s - 1, s) if k in slots]
    for term in dict.fromkeys(blocks.key_terms(article)):
        for k in keys:
            yield (term, k), (article.id, day)


def block_pairs(members: Iterable[Member], size: int) -> Iterator[tuple[tuple[str, str], float]]:
    """Yield ((id, id), weight) for each pair of one term's block within the window."""
    listed = sorted(members)
    if len(listed) < 2 or len(listed) > blocks.MAX_DF:
        return
    # Squared: the batch's score is the product of two rows of weighted term incidences.
    weight = blocks.term_weight(size, len(listed)) ** 2
    for (a, da), (b, db) in itertools.combinations(listed, 2):
        if da is None or db is None or abs(da - db) <= WINDOW_DAYS:
            yield (a, b), weight


def block_chain(members: Iterable[Member]) -> list[tuple[str, str]]:
    """A block too common to propose its pairs proposes each member's neighbour by day
    (``blocks.chain_pairs``, as batch's ``candidate_pairs`` does)."""
    listed = list(members)
    if len(listed) <= blocks.MAX_DF:
        return []
    return blocks.chain_pairs(listed, WINDOW_DAYS)


def top_k(item: tuple[str, Iterable[tuple[float, str]]]) -> Iterator[tuple[str, str]]:
    """Yield an article's best ``blocks.TOP_K`` candidates as ordered pairs (ties: lower id)."""
    key, partners = item
    for _, other in sorted(partners, key=lambda p: (-p[0], p[1]))[: blocks.TOP_K]:
        yield (min(key, other), max(key, other))


def _profiles(
    rows: Iterable[Article], frequencies: Frequencies, settings: Settings
) -> Iterator[tuple[str, blocks.Profile]]:
    from synoptic.spark.workers import context

    part = list(rows)
    leads = [article_features(a).lead for a in part]
    vectors = lead_vectors(leads, context(settings).embedder)
    for k, a in enumerate(part):
        yield a.id, blocks.Profile.of(a, frequencies, None if vectors is None else vectors[k])


def cluster_component(
    articles: list[Article], embedder: Embedder, frequencies: Frequencies | None = None
) -> list[Story]:
    """Run the batch story engine over one component's articles (copies included), with IDF
    over the archive (``frequencies``)."""
    groups = cluster_auto(articles, embedder=embedder, frequencies=frequencies)
    return [make_story(g, sid) for g, sid in zip(groups, story_ids(groups), strict=True)]


def _frequencies(originals: RDD[Article]) -> Frequencies:
    def count(view: str) -> dict[str, int]:
        terms = originals.flatMap(lambda a: list(getattr(article_features(a), view)))
        return dict(terms.map(lambda t: (t, 1)).reduceByKey(add).collect())

    return Frequencies(count("words"), count("names"), originals.count())


def _dated(article: Article) -> list[int]:
    day = article_features(article).day
    return [] if day is None else [day]


def _candidates(originals: RDD[Article]) -> RDD[tuple[str, str]]:
    """Candidate pairs of the term blocks, each article's best ``TOP_K``."""
    days = originals.flatMap(_dated)
    first = days.min() if not days.isEmpty() else None
    per_slot: dict[int, int] = {}
    if first is not None:
        start: int = first
        slot_days = days.map(lambda d: blocks.slot_of(d, start, WINDOW_DAYS))
        per_slot = dict(slot_days.countByValue())
    undated = originals.filter(lambda a: article_features(a).day is None).count()
    slots = frozenset(per_slot)
    size = {s: per_slot[s] + per_slot.get(s + 1, 0) + undated for s in slots}
    size[UNDATED] = undated
    grouped = originals.flatMap(lambda a: block_keys(a, first, slots)).groupByKey()
    chains = grouped.flatMap(lambda kv: block_chain(kv[1]))
    scored = (
        grouped.flatMap(
            lambda kv: (((p, kv[0][1]), w) for p, w in block_pairs(kv[1], size[kv[0][1]]))
        )
        .reduceByKey(add)
        .map(lambda kv: (kv[0][0], kv[1]))
        .reduceByKey(max)
    )
    ends = scored.flatMap(lambda kv: [(kv[0][0], (kv[1], kv[0][1])), (kv[0][1], (kv[1], kv[0][0]))])
    return ends.groupByKey().flatMap(top_k).union(chains).distinct()


def components(
    articles: RDD[Article], settings: Settings
) -> tuple[RDD[tuple[str, Article]], dict[str, int], Frequencies]:
    """Key every article by its component; return the keyed articles, counts and the
    archive's frequencies."""
    sc = articles.context
    originals = articles.filter(lambda a: a.duplicate_of is None).persist()
    frequencies = _frequencies(originals)
    shared = sc.broadcast(frequencies)
    pairs = _candidates(originals).persist()
    profiles = originals.mapPartitions(lambda rows: _profiles(rows, shared.value, settings))
    verified = (
        pairs.join(profiles)
        .map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))
        .join(profiles)
        .map(lambda kv: (kv[1][0][0], kv[0], kv[1][0][1].direct(kv[1][1])))
        .filter(lambda link: link[2] >= blocks.LINK_FLOOR)
    )
    links = verified.collect()
    ids = originals.map(lambda a: a.id).collect()
    comps = blocks.split(ids, links)
    root = sc.broadcast({k: c[0] for c in comps if len(c) > 1 for k in c})

    def key(a: Article) -> tuple[str, Article]:
        home = a.duplicate_of if a.duplicate_of is not None else a.id
        return root.value.get(home, home), a

    keyed = articles.map(key)
    stats = {
        "candidates": pairs.count(),
        "links": len(links),
        "components": len(comps),
        "largest_component": max((len(c) for c in comps), default=0),
    }
    pairs.unpersist()
    originals.unpersist()
    return keyed, stats, frequencies


def find_stories(articles: RDD[Article], settings: Settings) -> tuple[RDD[Story], dict[str, int]]:
    """Return the stories of ``articles`` (copies marked) and the blocking counts."""
    from synoptic.spark.workers import context

    keyed, stats, frequencies = components(articles, settings)
    shared = articles.context.broadcast(frequencies)
    stories = keyed.groupByKey().flatMap(
        lambda kv: cluster_component(list(kv[1]), context(settings).embedder, shared.value)
    )
    return stories, stats


__all__ = [
    "block_chain",
    "block_keys",
    "block_pairs",
    "cluster_component",
    "components",
    "find_stories",
    "top_k",
]
