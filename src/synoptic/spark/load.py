"""Bulk-load a Spark run into a story store, so ``synoptic serve`` serves it and later
``synoptic ingest`` or ``watch`` keep it growing.

The rows are the store's own: ``repository.article_row`` for each article (with the story
Spark placed it in and its ``duplicate_of``), the term and dedup postings the store's look-ups
read (``index.index_terms``, ``index.dedup_keys``), and each story's row recomputed from its
members by ``rows.refresh_story``, exactly as after an ingest. Articles get sequence numbers in
publication order (``stories.original.arrival_rank``), the order the batch ids assume, so an
article ingested later lands after them. Briefs are not copied: the store builds and caches a
story's brief the first time it is asked for (its cache key is the store's own member key).

Articles already in the store are left as they are (a rerun loads nothing twice).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from synoptic.dedup import shingles
from synoptic.model import Article
from synoptic.store.index import day_of, dedup_keys, index_terms, parse_published
from synoptic.store.repository import Store, article_row, to_article, utcnow
from synoptic.store.rows import refresh_story, stream_clock
from synoptic.store.schema import ArticleRow, dedup_postings, term_postings
from synoptic.store.settings import StoreSettings
from synoptic.stories.original import arrival_rank

BATCH = 500


def _texts(s: Session, ids: Sequence[str]) -> list[Article]:
    rows = {r.id: r for r in s.scalars(select(ArticleRow).where(ArticleRow.id.in_(list(ids))))}
    return [to_article(rows[i]) for i in ids if i in rows]


def load(store: Store, articles: Iterable[Article], story_of: Mapping[str, str]) -> dict[str, int]:
    """Add the articles, each in the story ``story_of`` names, and the stories' rows.

    Args:
        store: The open store.
        articles: The run's articles (copies marked ``duplicate_of``).
        story_of: Article id -> story id (every article has one).

    Returns:
        Counts: ``articles`` added, ``existing`` skipped, ``stories`` written.
    """
    now = utcnow()
    iday = day_of(now.timestamp())
    settings = StoreSettings()
    ordered = sorted(articles, key=arrival_rank)
    added = existing = 0
    touched: set[str] = set()
    with store.session() as s:
        seq = int(s.scalar(select(func.max(ArticleRow.seq))) or 0)
        have = set(s.scalars(select(ArticleRow.id)))
        for start in range(0, len(ordered), BATCH):
            rows: list[dict[str, Any]] = []
            terms: list[dict[str, Any]] = []
            dkeys: list[dict[str, Any]] = []
            for a in ordered[start : start + BATCH]:
                if a.id in have:
                    existing += 1
                    continue
                seq += 1
                pts = parse_published(a.published)
                row = article_row(a, seq, now, pts)
                values = {c.key: getattr(row, c.key) for c in ArticleRow.__table__.columns}
                values["story_id"] = story_of[a.id]
                rows.append(values)
                keys: dict[str, Any] = {"pday": day_of(pts) if pts is not None else None}
                keys.update(iday=iday, article_id=a.id)
                terms += [{"term": t, **keys} for t in index_terms(a)]
                dkeys += [{"key": k, **keys} for k in dedup_keys(shingles(a.text))]
                touched.add(story_of[a.id])
                added += 1
            if rows:
                s.execute(insert(ArticleRow), rows)
            if terms:
                s.execute(insert(term_postings), terms)
            if dkeys:
                s.execute(insert(dedup_postings), dkeys)
        s.flush()
        clock_ts = stream_clock(s, now.timestamp())
        for sid in sorted(touched):
            refresh_story(s, sid, now, clock_ts, False, settings, _texts)
    return {"articles": added, "existing": existing, "stories": len(touched)}


__all__ = ["load"]
