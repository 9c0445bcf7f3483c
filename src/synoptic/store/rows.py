"""Story rows after a placement: recompute the touched ones, close the quiet ones.

A story *closes* when nothing new has arrived for ``window_days`` on both clocks: its latest
publication date is that far behind the newest date in the store (capped at tomorrow, so one
bogus future date cannot close everything) and its latest ingest that far behind now.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from synoptic.cluster import choose_headline
from synoptic.model import Article
from synoptic.store.index import DAY
from synoptic.store.repository import aggregates_of, delete_story, member_rows
from synoptic.store.schema import ArticleRow, StoryRow
from synoptic.store.settings import StoreSettings

Texts = Callable[[Session, Sequence[str]], list[Article]]


def stream_clock(s: Session, now_ts: float) -> float:
    """The newest publication time in the store, capped at tomorrow (now if none)."""
    cap = now_ts + DAY
    latest = s.scalar(
        select(func.max(ArticleRow.published_ts)).where(ArticleRow.published_ts <= cap)
    )
    return float(latest) if latest is not None else now_ts


def is_closed(
    last_pub: float | None, last_ing: float, now_ts: float, clock: float, window_days: float
) -> bool:
    """Whether a story with these last dates is closed (quiet on both clocks)."""
    w = window_days * DAY
    quiet_pub = last_pub is None or last_pub < clock - w
    return quiet_pub and last_ing < now_ts - w


def refresh_story(
    s: Session,
    story_id: str,
    now: datetime,
    clock_ts: float,
    appended: bool,
    settings: StoreSettings,
    texts: Texts,
) -> None:
    """Recompute a touched story's row from its members (creating it if new).

    The headline is chosen among the earliest originals, so a story that only gained a
    later member keeps its headline once it holds more than ``headline_sample`` of them.
    """
    members = member_rows(s, story_id)  # in seq order
    agg = aggregates_of(members)
    if agg is None:
        delete_story(s, story_id)
        return
    row = s.get(StoryRow, story_id)
    current = [m.id for m in members if m.superseded_by is None]
    originals = [m.id for m in members if m.superseded_by is None and m.duplicate_of is None]
    keep = appended and row is not None and len(originals) > settings.headline_sample
    heads = originals[: settings.headline_sample] or current[: settings.headline_sample]
    headline = row.headline if keep and row else choose_headline(texts(s, heads))
    closed = is_closed(
        agg["last_published_ts"],
        agg["last_ingested_ts"],
        now.timestamp(),
        clock_ts,
        settings.window_days,
    )
    if row is None:
        row = StoryRow(id=story_id, brief=None, brief_key=None, conflicts_count=None)
        s.add(row)
    for name, value in agg.items():
        setattr(row, name, value)
    row.headline = headline
    row.closed = closed
    row.updated_at = now


def close_quiet(s: Session, now_ts: float, clock_ts: float, window_days: float) -> None:
    """Close every open story quiet on both clocks."""
    w = window_days * DAY
    s.execute(
        update(StoryRow)
        .where(
            StoryRow.closed.is_(False),
            StoryRow.last_ingested_ts < now_ts - w,
            or_(StoryRow.last_published_ts.is_(None), StoryRow.last_published_ts < clock_ts - w),
        )
        .values(closed=True)
        .execution_options(synchronize_session=False)
    )
