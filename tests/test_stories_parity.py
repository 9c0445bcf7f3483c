"""One story engine: batch (``brief --stories auto``) and one-at-a-time store ingest agree.

The same articles go through the CLI's batch path (``mark_duplicates`` + ``group_articles``)
and through a fresh store one article at a time, in the batch's arrival order
(``stories.original.arrival_rank``). Their partitions must agree to B-cubed F1 >= 0.98 (the
batch taken as reference), on ``examples/`` and on ECB+. ECB+ uses a fixed subset, topics
1-10 (231 articles), because the whole set takes minutes to ingest on the project's 2-core
machine; ``bench/cluster.py --online`` scores all 982.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from synoptic.cluster import group_articles
from synoptic.dedup import mark_duplicates
from synoptic.ingest import read_inputs
from synoptic.model import Article, Story
from synoptic.pipeline import extract_all
from synoptic.store import Ingestor
from synoptic.stories.original import arrival_rank
from test_store_fixtures import EXAMPLES, SHARED, Db

ROOT = Path(__file__).parents[1]
# ``SYNOPTIC_SHARED`` points at the shared data where ``../shared`` is not beside the checkout.
DATA = Path(os.environ.get("SYNOPTIC_SHARED", SHARED))
ECB_TOPICS = range(1, 11)
AGREEMENT = 0.98

pytest_plugins = ["test_store_fixtures"]


def _bench() -> tuple[Any, Any]:
    """The scorer of B-cubed and the benchmark helper that reads ECB+ (reused, not copied)."""
    from synoptic.evaluate import partition

    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import cluster as bench_cluster
    finally:
        sys.path.remove(str(ROOT / "bench"))
    bench_cluster.ECB = DATA / "data" / "ecbplus" / "ecbplus.jsonl"
    return partition, bench_cluster


def _batch(articles: Sequence[Article]) -> list[Story]:
    from synoptic.analyze.embed import Embedder

    return group_articles(mark_duplicates(articles), "auto", embedder=Embedder())


def _online(db: Db, articles: Sequence[Article]) -> dict[str, str]:
    """Each article's story after ingesting one at a time in arrival order."""
    now = datetime(2025, 1, 1, tzinfo=UTC)
    store = db.open()
    try:
        Ingestor(store, clock=lambda: now).add_all(sorted(articles, key=arrival_rank))
        assert store.verify() == []
        snap = store.snapshot()
    finally:
        store.close()
    return {i: v["story"] for i, v in snap["articles"].items()}


def test_stories_parity_on_examples(sqlite_db: Db) -> None:
    score, _ = _bench()
    articles = extract_all(read_inputs([str(EXAMPLES)]))
    batch = {a.id: s.id for s in _batch(articles) for a in s.articles}
    online = _online(sqlite_db, articles)
    assert score.bcubed(online, batch)[2] >= AGREEMENT
    # Same partition, same ids: the batch names a story as the store ingesting in publication
    # order does.
    assert online == batch


def test_stories_parity_on_ecbplus(sqlite_db: Db) -> None:
    score, bench_cluster = _bench()
    if not bench_cluster.ECB.exists():
        pytest.skip(f"ECB+ not found at {bench_cluster.ECB}")
    arts, _gold, topic = bench_cluster.load_ecb()
    articles = [a for a in arts if topic[a.id] in ECB_TOPICS]
    batch = {a.id: s.id for s in _batch(articles) for a in s.articles}
    online = _online(sqlite_db, articles)
    assert set(online) == set(batch)
    assert score.bcubed(online, batch)[2] >= AGREEMENT
