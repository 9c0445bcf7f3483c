"""The store's tables (SQLAlchemy 2 declarative models).

* ``articles``: one row per article, keyed by ``Article.id`` (so re-reading an input adds
  nothing). ``seq`` is the ingest order, which story ids and tie-breaks derive from;
  ``outlet_key`` is what outlets are counted by (the outlet, else the source it was read from,
  since many scraped reports carry no outlet); ``published_ts`` and ``ingested_ts`` are the two
  clocks the time windows use.
  A revised page is stored as a new row beside its earlier versions, which point at it by
  ``superseded_by`` and are left out of briefs and counts.
* ``stories``: one row per story with its listing fields, its ``closed`` flag, a hash of its
  members (``members_key``) and the cached brief with the members hash it was built from
  (``brief_key``), so a stale brief is seen and rebuilt.
* ``term_postings`` / ``dedup_postings``: the inverted indexes of ``store.index`` (key terms
  for story candidates, MinHash bands for wire copies), each row tagged with the article's
  published day (``pday``, null when undated) and ingest day (``iday``), and indexed by
  (key, pday, iday) and (key, iday), so a look-up reads one time window of one key.
* ``analyses``: each article's analysis record (``synoptic.store.analyses``), keyed by article
  id and analysis version, zlib-compressed JSON, so a story that grows re-analyses only its
  newcomers and a new analysis version is computed afresh beside the old rows.

The migrations in ``store/migrations`` create exactly these tables; a test checks that the two
agree.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ID = String(64)


class Base(DeclarativeBase):
    """Declarative base holding the store's metadata."""


class ArticleRow(Base):
    """A stored article."""

    __tablename__ = "articles"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    source: Mapped[str] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(Text)
    outlet_key: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    byline: Mapped[str | None] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(String(64))
    published_ts: Mapped[float | None] = mapped_column(Float, index=True)
    language: Mapped[str | None] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    meta: Mapped[dict[str, Any]] = mapped_column(JSON)
    grp: Mapped[str | None] = mapped_column(Text)
    duplicate_of: Mapped[str | None] = mapped_column(ID, index=True)
    story_id: Mapped[str | None] = mapped_column(ID, index=True)
    # The page the article was read from (``stories.identity.page_key``), and the id of the
    # page's current version once a newer one is stored (migration 0005).
    page_key: Mapped[str | None] = mapped_column(String(32), index=True)
    superseded_by: Mapped[str | None] = mapped_column(ID, index=True)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ingested_ts: Mapped[float] = mapped_column(Float)


class StoryRow(Base):
    """A stored story and its cached brief."""

    __tablename__ = "stories"
    __table_args__ = (
        # Closing reads open stories by their last ingest time.
        Index("ix_stories_closed_ingested", "closed", "last_ingested_ts"),
        # Every listing is ordered by (last_ts DESC, id): read in index order (migration 0003).
        Index("ix_stories_last_ts_id", "last_ts", "id"),
        # Listings put undated stories after dated ones: (undated, last_ts DESC, id), 0011.
        Index("ix_stories_undated_last_ts_id", "undated", "last_ts", "id"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    founder_seq: Mapped[int] = mapped_column(BigInteger)
    headline: Mapped[str] = mapped_column(Text)
    first_seen: Mapped[str] = mapped_column(String(64))
    last_seen: Mapped[str] = mapped_column(String(64))
    first_ts: Mapped[float] = mapped_column(Float)
    last_ts: Mapped[float] = mapped_column(Float)
    first_published_ts: Mapped[float | None] = mapped_column(Float)
    last_published_ts: Mapped[float | None] = mapped_column(Float)
    last_ingested_ts: Mapped[float] = mapped_column(Float)
    # No member carries a publication time: first_ts/last_ts are ingest times (migration 0011).
    undated: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    article_count: Mapped[int] = mapped_column(Integer)
    outlet_count: Mapped[int] = mapped_column(Integer)
    conflicts_count: Mapped[int | None] = mapped_column(Integer)
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    members_key: Mapped[str] = mapped_column(String(64))
    brief: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    brief_key: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


term_postings = Table(
    "term_postings",
    Base.metadata,
    Column("term", String(64), nullable=False),
    Column("pday", Integer, nullable=True),
    Column("iday", Integer, nullable=False),
    Column("article_id", ID, nullable=False),
    Index("ix_term_postings_term_pday_iday", "term", "pday", "iday"),
    Index("ix_term_postings_term_iday", "term", "iday"),
    Index("ix_term_postings_article_id", "article_id"),
)

dedup_postings = Table(
    "dedup_postings",
    Base.metadata,
    Column("key", BigInteger, nullable=False),
    Column("pday", Integer, nullable=True),
    Column("iday", Integer, nullable=False),
    Column("article_id", ID, nullable=False),
    Index("ix_dedup_postings_key_pday_iday", "key", "pday", "iday"),
    Index("ix_dedup_postings_key_iday", "key", "iday"),
    Index("ix_dedup_postings_article_id", "article_id"),
)


class AnalysisRow(Base):
    """One article's analysis record at one analysis version."""

    __tablename__ = "analyses"

    article_id: Mapped[str] = mapped_column(ID, primary_key=True)
    version: Mapped[str] = mapped_column(String(32), primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    record: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class FeedRow(Base):
    """A feed subscription and its polling state (``synoptic feeds``, ``synoptic watch``)."""

    __tablename__ = "feeds"

    url: Mapped[str] = mapped_column(String(2048), primary_key=True)
    title: Mapped[str | None] = mapped_column(Text)
    added_ts: Mapped[float] = mapped_column(Float)
    interval_s: Mapped[float] = mapped_column(Float)
    next_ts: Mapped[float] = mapped_column(Float, index=True)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    last_success_ts: Mapped[float | None] = mapped_column(Float)
    last_error_ts: Mapped[float | None] = mapped_column(Float)
    last_error_code: Mapped[str | None] = mapped_column(String(8))
    last_error: Mapped[str | None] = mapped_column(Text)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    entries_seen: Mapped[int] = mapped_column(Integer, default=0)


class FeedEntryRow(Base):
    """A feed entry's link already read, so a poll fetches only the new ones."""

    __tablename__ = "feed_entries"

    link: Mapped[str] = mapped_column(String(2048), primary_key=True)
    feed_url: Mapped[str] = mapped_column(String(2048), index=True)
    seen_ts: Mapped[float] = mapped_column(Float)


class RevisionRow(Base):
    """One change of a story's brief: when, which articles joined, and what changed."""

    __tablename__ = "story_revisions"
    __table_args__ = (Index("ix_story_revisions_story_ts", "story_id", "created_ts"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    story_id: Mapped[str] = mapped_column(ID)
    created_ts: Mapped[float] = mapped_column(Float)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The brief as it stood after this revision (its JSON, zlib-compressed; migration 0010),
    # for "the story as of a time"; ``None`` for revisions kept before 0010.
    brief_z: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)


class RedirectRow(Base):
    """A story id merged away, and the story it went into."""

    __tablename__ = "story_redirects"
    # Merges look redirects up by target (``revisions.record_redirect``, ``merged_into``).
    __table_args__ = (Index("ix_story_redirects_new_id", "new_id"),)

    old_id: Mapped[str] = mapped_column(ID, primary_key=True)
    new_id: Mapped[str] = mapped_column(ID)
    created_ts: Mapped[float] = mapped_column(Float)


class AlertRow(Base):
    """A subscription: stories matching a filter, an event, and the webhook told of it."""

    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    query: Mapped[str | None] = mapped_column(Text)
    min_outlets: Mapped[int] = mapped_column(Integer)
    event: Mapped[str] = mapped_column(String(32))
    webhook: Mapped[str] = mapped_column(String(2048))
    secret: Mapped[str] = mapped_column(String(128))
    created_ts: Mapped[float] = mapped_column(Float)


class DeliveryRow(Base):
    """One notice of an alert (its delivery log): what, to whom, how it went."""

    __tablename__ = "alert_deliveries"
    __table_args__ = (Index("ix_alert_deliveries_alert_key", "alert_id", "key", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    alert_id: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(512))
    story_id: Mapped[str] = mapped_column(ID)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_ts: Mapped[float] = mapped_column(Float)
    delivered_ts: Mapped[float | None] = mapped_column(Float)
