"""Story search at scale: the full-text index (SQLite FTS5, PostgreSQL GIN over to_tsvector)
beside the LIKE scan over headlines and titles it replaced, in the same process.

Data: ``--stories`` synthetic stories (default 10,000; 1-3 short articles each, fictional
towns, people and outlets; ``bench/serve_load.py``'s generator) written into a temporary
SQLite file and, when one answers, a temporary PostgreSQL schema. Each query runs the story
listing's count and first page (25 rows), as the list page does, ``--repeat`` times; the
figure is the median in milliseconds. The baseline, the LIKE scan, searches titles only: the
full-text index also searches bodies, outlets and bylines (more work, more found).

    .venv/bin/python bench/search.py [--stories 10000] [--repeat 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select

sys.path.insert(0, str(Path(__file__).parent))
from serve_load import synthesize_store
from synoptic.store import (
    Store,
    listing,
)
from synoptic.store.listing import StoryFilter, _like_pattern
from synoptic.store.schema import ArticleRow, StoryRow

QUERIES = ("Vasko", "bridge Dravik", "museum", "Brenn tomorrow")
PG_URL = "postgresql+psycopg://root@127.0.0.1:5432/test"


def like_where(flt: StoryFilter, dialect: str = "sqlite", session: Any = None) -> list[Any]:
    """The listing's search before the full-text index: headline or a title contains it."""
    pattern = _like_pattern(flt.query or "")
    titled = select(ArticleRow.id).where(
        ArticleRow.story_id == StoryRow.id,
        func.lower(ArticleRow.title).like(pattern, escape="\\"),
    )
    return [or_(func.lower(StoryRow.headline).like(pattern, escape="\\"), titled.exists())]


def timed(store: Store, query: str, repeat: int) -> tuple[float, int]:
    """Median milliseconds of one listing page for ``query``, and how many stories match."""
    times = []
    total = 0
    for _ in range(repeat):
        start = time.perf_counter()
        page = store.stories_page(StoryFilter(query=query), limit=25, offset=0)
        times.append((time.perf_counter() - start) * 1000)
        total = page.total
    return statistics.median(times), total


def run(name: str, store: Store, repeat: int) -> None:
    """Print both methods for each query on one database."""
    fulltext: Callable[..., list[Any]] = listing.story_where
    for query in QUERIES:
        listing.story_where = like_where
        like_ms, like_n = timed(store, query, repeat)
        listing.story_where = fulltext
        fts_ms, fts_n = timed(store, query, repeat)
        print(
            f"{name:10} {query!r:18} LIKE {like_ms:8.1f} ms ({like_n:5} found)   "
            f"full text {fts_ms:8.1f} ms ({fts_n:5} found)   ratio {fts_ms / like_ms:5.2f}"
        )


def main() -> None:
    """Build the stores and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    print(f"data: {args.stories:,} synthetic stories (bench/serve_load.py generator)")
    with tempfile.TemporaryDirectory() as folder:
        store = Store(f"sqlite:///{Path(folder) / 'search.db'}")
        synthesize_store(store, args.stories)
        run("sqlite", store, args.repeat)
        store.close()
    try:
        import psycopg

        dsn = PG_URL.replace("postgresql+psycopg://", "postgresql://")
        schema = f"synoptic_bench_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(dsn, autocommit=True, connect_timeout=2) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
    except Exception as exc:  # no server: SQLite's figures stand alone
        print(f"postgresql: skipped ({type(exc).__name__})")
        return
    try:
        store = Store(f"{PG_URL}?options=-csearch_path%3D{schema}")
        synthesize_store(store, args.stories)
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'ANALYZE "{schema}".articles')
        run("postgresql", store, args.repeat)
        store.close()
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


if __name__ == "__main__":
    main()
