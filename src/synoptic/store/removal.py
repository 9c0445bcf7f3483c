"""Take articles and stories out of the store, leaving it as consistent as ingest leaves it.

``remove_article`` deletes one article (with the earlier versions of its page, if it is the
page's current version), its index postings, and repairs what pointed at it:
its copies get a new original (the earliest-ingested copy; the rest point at it), and its
story is recomputed from the members left (counts, times, members hash, headline), renamed
when the article was its founder (a story's id is ``s`` + its first member's id), or deleted
when it was the last member. ``remove_story`` deletes a story with all its members. Each runs
in one transaction, serialised with ingest's placements (SQLite's write lock; PostgreSQL's
placement advisory lock), so a concurrent ingest never sees half of it.

A changed story's cached brief goes stale by itself (its members hash changed); the caller
rebuilds it (``Store.refresh_briefs``) when it likes.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select, text, update
from sqlalchemy.orm import Session

from synoptic.cluster import choose_headline
from synoptic.model import Record
from synoptic.store.repository import (
    Store,
    aggregates,
    delete_story,
    members,
    story_id_for,
    utcnow,
)
from synoptic.store.schema import ArticleRow, StoryRow, dedup_postings, term_postings

# The lock ``Ingestor.add`` takes on PostgreSQL around one placement.
_PLACEMENT_LOCK = 7351747
HEADLINE_SAMPLE = 5


@dataclass(frozen=True, slots=True)
class Removal(Record):
    """What a removal did.

    Attributes:
        articles: The ids of the articles deleted.
        story_id: The story they were in.
        story: What became of it: ``kept`` (recomputed), ``renamed`` (its founder went) or
            ``removed`` (no member left).
        new_story_id: The story's id after the removal (``None`` when removed).
    """

    articles: tuple[str, ...]
    story_id: str | None
    story: str
    new_story_id: str | None


def _lock(store: Store, s: Session) -> None:
    if store.dialect == "postgresql":
        s.execute(text(f"SELECT pg_advisory_xact_lock({_PLACEMENT_LOCK})"))


def _drop_rows(s: Session, ids: list[str]) -> None:
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for table in (term_postings, dedup_postings):
            s.execute(delete(table).where(table.c.article_id.in_(chunk)))
        s.execute(delete(ArticleRow).where(ArticleRow.id.in_(chunk)))


def _new_original(s: Session, original: str) -> None:
    """Point the copies of a deleted original at the earliest-ingested of them."""
    copies = list(
        s.scalars(
            select(ArticleRow.id)
            .where(ArticleRow.duplicate_of == original)
            .order_by(ArticleRow.seq)
        )
    )
    if not copies:
        return
    first, rest = copies[0], copies[1:]
    s.execute(update(ArticleRow).where(ArticleRow.id == first).values(duplicate_of=None))
    if rest:
        s.execute(update(ArticleRow).where(ArticleRow.id.in_(rest)).values(duplicate_of=first))


def _recompute(s: Session, story_id: str) -> tuple[str, str | None]:
    """Bring a story's row in line with its members; return (what happened, its id now)."""
    agg = aggregates(s, story_id)
    if agg is None:
        delete_story(s, story_id)
        return "removed", None
    row = s.get(StoryRow, story_id)
    assert row is not None
    founder = s.scalar(
        select(ArticleRow.id)
        .where(ArticleRow.story_id == story_id)
        .order_by(ArticleRow.seq)
        .limit(1)
    )
    assert founder is not None
    new_id = story_id_for(founder)
    arts = members(s, story_id)
    originals = [a for a in arts if a.duplicate_of is None] or arts
    headline = choose_headline(originals[:HEADLINE_SAMPLE])
    values = {**agg, "headline": headline, "updated_at": utcnow()}
    if new_id == story_id:
        for name, value in values.items():
            setattr(row, name, value)
        return "kept", story_id
    s.add(StoryRow(id=new_id, closed=row.closed, brief=None, brief_key=None, **values))
    s.flush()
    s.execute(
        update(ArticleRow)
        .where(ArticleRow.story_id == story_id)
        .values(story_id=new_id)
        .execution_options(synchronize_session=False)
    )
    delete_story(s, story_id)
    return "renamed", new_id


def remove_article(store: Store, article_id: str) -> Removal:
    """Delete one article and repair its copies and its story (see the module docstring).

    Raises:
        KeyError: No article has this id.
    """
    with store.session() as s:
        _lock(store, s)
        row = s.get(ArticleRow, article_id)
        if row is None:
            raise KeyError(article_id)
        story_id = row.story_id
        if row.duplicate_of is None:
            _new_original(s, article_id)
        # The current version of a page goes with the earlier versions it superseded.
        gone = [
            article_id,
            *s.scalars(select(ArticleRow.id).where(ArticleRow.superseded_by == article_id)),
        ]
        _drop_rows(s, gone)
        s.flush()
        if story_id is None:
            return Removal(tuple(gone), None, "removed", None)
        outcome, new_id = _recompute(s, story_id)
    return Removal(tuple(gone), story_id, outcome, new_id)


def remove_story(store: Store, story_id: str) -> Removal:
    """Delete a story and every article in it.

    Raises:
        KeyError: No story has this id.
    """
    with store.session() as s:
        _lock(store, s)
        if s.get(StoryRow, story_id) is None:
            raise KeyError(story_id)
        ids = list(s.scalars(select(ArticleRow.id).where(ArticleRow.story_id == story_id)))
        _drop_rows(s, ids)
        delete_story(s, story_id)
    return Removal(tuple(ids), story_id, "removed", None)


__all__ = ["Removal", "remove_article", "remove_story"]
