"""The read queries the server needs and the store does not offer: pages, counts, one article.

``Store.list_stories`` returns every matching story, each with its cached brief loaded; a page
of a list of 10,000 stories must read one page of rows and never the briefs. ``stories_page``
applies the same filters and order (most recently seen first, then by id) with the brief column
deferred, and pages by offset or by a cursor (keyset on ``(last_ts, id)``, stable while stories
arrive). Everything here reads through the store's own session and tables; nothing writes.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, defer

from synoptic.model import Article, Brief
from synoptic.store import Store, StorySummary
from synoptic.store.repository import to_article
from synoptic.store.schema import ArticleRow, StoryRow

MAX_QUERY_CHARS = 200
# Story and article ids are short words (``s``/``a`` + hex). Anything else names nothing and
# is answered "not found" without a query (a NUL byte would even make PostgreSQL fail).
_ID = re.compile(r"[\w-]{1,64}")


@contextmanager
def reading(store: Store) -> Iterator[Session]:
    """Yield a read-only session.

    On SQLite it starts a deferred transaction, which in WAL mode reads a snapshot without the
    write lock: requests read concurrently and never wait for an ingest to commit.
    """
    with store.session(readonly=True) as s:
        yield s


class BadCursor(ValueError):
    """A cursor that this server did not issue (or that was altered)."""


@dataclass(frozen=True, slots=True)
class StoryFilter:
    """The filters of a story listing (those of ``synoptic stories``).

    Attributes:
        since: Only stories last seen at or after these epoch seconds.
        query: Only stories whose headline or a member's title contains this text
            (case-insensitive, matched literally: ``%`` and ``_`` are not wildcards).
        min_outlets: Only stories carried by at least this many outlets.
    """

    since: float | None = None
    query: str | None = None
    min_outlets: int = 0


@dataclass(frozen=True, slots=True)
class StoryPage:
    """One page of a story listing.

    Attributes:
        stories: The stories on the page, most recently seen first.
        total: How many stories match the filters in all.
        limit: The page size asked for.
        offset: Where the page starts (``None`` when it was asked for by cursor).
        next_cursor: The cursor of the next page, ``None`` on the last page.
    """

    stories: list[StorySummary]
    total: int
    limit: int
    offset: int | None
    next_cursor: str | None


def encode_cursor(last_ts: float, story_id: str) -> str:
    """Return the opaque cursor of the page that starts after story ``story_id``."""
    raw = json.dumps([last_ts, story_id], separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> tuple[float, str]:
    """Return the ``(last_ts, id)`` a cursor holds.

    Raises:
        BadCursor: The text is not a cursor ``encode_cursor`` made.
    """
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value = json.loads(raw.decode("utf-8"))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadCursor(cursor) from None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not isinstance(value[0], int | float)
        or isinstance(value[0], bool)
        or not isinstance(value[1], str)
    ):
        raise BadCursor(cursor)
    return float(value[0]), value[1]


def is_id(value: str) -> bool:
    """Whether ``value`` can be a story or article id."""
    return _ID.fullmatch(value) is not None


def clean_query(value: str | None) -> str | None:
    """Return a search text without NUL characters (which no database text column holds)."""
    if value is None:
        return None
    value = value.replace("\x00", "").strip()
    return value or None


def _like_pattern(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _where(flt: StoryFilter) -> list[Any]:
    # Only the filters given: an always-true clause would make the count scan the table
    # (whose rows hold the cached briefs) instead of an index.
    clauses: list[Any] = []
    if flt.min_outlets > 0:
        clauses.append(StoryRow.outlet_count >= flt.min_outlets)
    if flt.since is not None:
        clauses.append(StoryRow.last_ts >= flt.since)
    if flt.query:
        pattern = _like_pattern(flt.query)
        titled = select(ArticleRow.id).where(
            ArticleRow.story_id == StoryRow.id,
            func.lower(ArticleRow.title).like(pattern, escape="\\"),
        )
        clauses.append(
            or_(func.lower(StoryRow.headline).like(pattern, escape="\\"), titled.exists())
        )
    return clauses


def _fresh(row: StoryRow) -> bool:
    # ``Store.brief_is_fresh`` would load the deferred brief; the key alone decides, since the
    # store writes the brief and its key together.
    return row.brief_key is not None and row.brief_key == Store.brief_key(row)


def stories_page(
    store: Store,
    flt: StoryFilter,
    *,
    limit: int,
    offset: int = 0,
    cursor: str | None = None,
) -> StoryPage:
    """Return one page of the stories matching ``flt``.

    Args:
        store: The open store.
        flt: The filters.
        limit: Stories per page.
        offset: Stories to skip (ignored when ``cursor`` is given).
        cursor: A ``next_cursor`` from an earlier page.

    Raises:
        BadCursor: ``cursor`` is not one this module made.
    """
    after = decode_cursor(cursor) if cursor is not None else None
    where = _where(flt)
    # Two steps: the page's ids first, then their rows. A story row holds its cached brief,
    # and columns stored after it are read through the brief's overflow pages; skipping
    # ``offset`` full rows would read every skipped brief, skipping ids reads none.
    stmt = select(StoryRow.id).where(*where)
    if after is not None:
        ts, sid = after
        stmt = stmt.where(
            or_(StoryRow.last_ts < ts, and_(StoryRow.last_ts == ts, StoryRow.id > sid))
        )
    stmt = stmt.order_by(StoryRow.last_ts.desc(), StoryRow.id).limit(limit + 1)
    if after is None and offset:
        stmt = stmt.offset(offset)
    with reading(store) as s:
        total = int(s.scalar(select(func.count()).select_from(StoryRow).where(*where)) or 0)
        ids = list(s.scalars(stmt))
        found = s.scalars(
            select(StoryRow).options(defer(StoryRow.brief)).where(StoryRow.id.in_(ids))
        )
        by_id = {row.id: row for row in found}
        rows = [by_id[i] for i in ids if i in by_id]
        more = len(rows) > limit
        rows = rows[:limit]
        summaries = [StorySummary.of(row, _fresh(row)) for row in rows]
        next_cursor = encode_cursor(rows[-1].last_ts, rows[-1].id) if more and rows else None
    return StoryPage(
        stories=summaries,
        total=total,
        limit=limit,
        offset=None if after is not None else offset,
        next_cursor=next_cursor,
    )


def story_summary(store: Store, story_id: str) -> StorySummary | None:
    """Return the listing line of one story, or ``None`` if no story has this id."""
    with reading(store) as s:
        row = s.scalars(
            select(StoryRow).options(defer(StoryRow.brief)).where(StoryRow.id == story_id)
        ).first()
        return None if row is None else StorySummary.of(row, _fresh(row))


def cached_brief(store: Store, story_id: str) -> Brief | None:
    """Return a story's cached brief if it is current, ``None`` if it must be (re)built.

    Raises:
        KeyError: No story has this id.
    """
    with reading(store) as s:
        row = s.get(StoryRow, story_id)
        if row is None:
            raise KeyError(story_id)
        if not store.brief_is_fresh(row) or row.brief is None:
            return None
        data = row.brief
    return Brief.from_dict(data)


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article as stored, with the story it belongs to."""

    article: Article
    story_id: str | None


def get_article(store: Store, article_id: str) -> StoredArticle | None:
    """Return a stored article and its story, or ``None`` if no article has this id."""
    with reading(store) as s:
        row = s.get(ArticleRow, article_id)
        if row is None:
            return None
        return StoredArticle(to_article(row), row.story_id)


def original_of(store: Store, article_id: str) -> str | None:
    """Return the original a stored article copies (``None`` for an original or unknown id)."""
    with reading(store) as s:
        return s.scalar(select(ArticleRow.duplicate_of).where(ArticleRow.id == article_id))


def counts(store: Store) -> tuple[int, int]:
    """Return how many articles and stories the store holds."""
    with reading(store) as s:
        articles = int(s.scalar(select(func.count()).select_from(ArticleRow)) or 0)
        stories = int(s.scalar(select(func.count()).select_from(StoryRow)) or 0)
    return articles, stories
