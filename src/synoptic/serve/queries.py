"""The read queries the server needs beside the store's: one story's line, counts, one article.

The story listing is the store's one listing (``synoptic.store.listing``, through
``Store.stories_page``), shared with ``synoptic stories``; its names are re-exported here for
the API and the web pages. Everything here reads through the store's own session and tables;
nothing writes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer

from synoptic.model import Article, Brief
from synoptic.serve.errors import ApiError
from synoptic.serve.layout import first_sentence, outlet_label
from synoptic.store import Store, StorySummary
from synoptic.store.listing import (
    BadCursor,
    StoryFilter,
    clean_query,
    decode_cursor,
    encode_cursor,
)
from synoptic.store.repository import StoryPage, to_article
from synoptic.store.schema import ArticleRow, StoryRow
from synoptic.store.search import snippets

__all__ = [
    "BadCursor",
    "StoredArticle",
    "StoryFilter",
    "StoryPage",
    "cached_brief",
    "clean_query",
    "counts",
    "decode_cursor",
    "encode_cursor",
    "get_article",
    "is_id",
    "original_of",
    "reading",
    "stories_page",
    "story_summary",
]

MAX_QUERY_CHARS = 200
# Story and article ids are short words (``s``/``a`` + hex). Anything else names nothing and
# is answered "not found" without a query (a NUL byte would even make PostgreSQL fail).
_ID = re.compile(r"[\w-]{1,64}")
# The shortest id prefix read as one (the kind's letter and four hex digits, as a reader
# copies it); "s" alone would name every story.
MIN_PREFIX = 5


@contextmanager
def reading(store: Store) -> Iterator[Session]:
    """Yield a read-only session.

    On SQLite it starts a deferred transaction, which in WAL mode reads a snapshot without the
    write lock: requests read concurrently and never wait for an ingest to commit.
    """
    with store.session(readonly=True) as s:
        yield s


def is_id(value: str) -> bool:
    """Whether ``value`` can be a story or article id."""
    return _ID.fullmatch(value) is not None


def stories_page(
    store: Store,
    flt: StoryFilter,
    *,
    limit: int,
    offset: int = 0,
    cursor: str | None = None,
) -> StoryPage:
    """Return one page of the stories matching ``flt`` (the store's one listing).

    Raises:
        BadCursor: ``cursor`` is not one the listing made.
    """
    return store.stories_page(flt, limit=limit, offset=offset, cursor=cursor)


def _fresh(row: StoryRow) -> bool:
    # ``Store.brief_is_fresh`` would load the deferred brief; the key alone decides.
    return row.brief_key is not None and row.brief_key == Store.brief_key(row)


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


def _by_prefix(s: Session, column: Any, prefix: str) -> list[str]:
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    stmt = select(column).where(column.like(escaped + "%", escape="\\")).order_by(column).limit(2)
    return list(s.scalars(stmt))


def resolve_id(store: Store, kind: str, value: str) -> str:
    """Return the full id of the story or article ``value`` names, whole or by a prefix.

    As ``synoptic show`` does: an exact id wins; else a prefix that starts exactly one id.

    Args:
        store: The store.
        kind: ``"story"`` or ``"article"``.
        value: The id or its prefix, from a URL.

    Raises:
        ApiError: 404 ``not_found`` when no id starts so; 409 ``ambiguous_id`` when several do.
    """
    row = StoryRow if kind == "story" else ArticleRow
    ids: list[str] = []
    if is_id(value):
        with reading(store) as s:
            exact = s.get(row, value)
            if exact is not None:
                ids = [value]
            elif len(value) >= MIN_PREFIX:
                ids = _by_prefix(s, row.id, value)
    if not ids:
        raise ApiError(404, "not_found", f"no {kind} has an id starting with {value[:80]!r}")
    if len(ids) > 1:
        raise ApiError(
            409,
            "ambiguous_id",
            f"{value[:80]!r} starts several {kind} ids ({', '.join(ids)}, ...); give more of it",
        )
    return ids[0]


@dataclass(frozen=True, slots=True)
class _Named:
    """The two fields ``outlet_label`` reads, without building a whole ``Article``."""

    outlet: str | None
    url: str | None


def card_details(store: Store, story_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Return what a story card shows beyond its listing line, for one page of stories.

    Per story: its reports' outlets in order (copies left out), the first report's title and
    opening (for a one-line lede), the times it was published (``None`` when no report is
    dated: an undated story is not dated by its ingest) and last changed, and the topics its
    brief found outlets disagreeing on. Two queries for the page, the article texts cut to
    their opening in the database.
    """
    if not story_ids:
        return {}
    out: dict[str, dict[str, Any]] = {
        sid: {"outlets": [], "lede": "", "title": "", "topics": []} for sid in story_ids
    }
    opening = func.substr(ArticleRow.text, 1, 400)
    with reading(store) as s:
        rows = s.execute(
            select(
                ArticleRow.story_id,
                ArticleRow.outlet,
                ArticleRow.url,
                ArticleRow.title,
                opening,
                ArticleRow.duplicate_of,
                ArticleRow.seq,
                ArticleRow.superseded_by,
            ).where(ArticleRow.story_id.in_(story_ids))
        )
        # Filtered and ordered here, not in SQL: "superseded_by IS NULL" and "ORDER BY seq"
        # each led SQLite to walk a whole index instead of the story_id one (50 ms a page at
        # 3,000 stories, under 2 ms so).
        current = sorted((r for r in rows if r[7] is None), key=lambda r: r[6])
        for story_id, outlet, url, title, text, copy, _, _ in current:
            card = out[story_id]
            if copy is None:
                card["outlets"].append(outlet_label(_Named(outlet, url)))
            else:
                card["copies"] = card.get("copies", 0) + 1
            if not card["lede"]:
                card["title"] = title or ""
                card["lede"] = first_sentence(text or "", 200)
        stories = s.execute(
            select(
                StoryRow.id,
                StoryRow.first_published_ts,
                StoryRow.last_published_ts,
                StoryRow.last_ingested_ts,
                StoryRow.conflicts_count,
            ).where(StoryRow.id.in_(story_ids))
        )
        with_conflicts = []
        for sid, first_pub, last_pub, ingested, conflicts in stories:
            out[sid].update(published=(first_pub, last_pub), changed=ingested)
            if conflicts:
                with_conflicts.append(sid)
        if with_conflicts:
            # Only the conflicts of each cached brief: the database cuts them out of the JSON,
            # so a page does not decode 25 whole briefs (the story list was 10x slower so).
            briefs = s.execute(
                select(StoryRow.id, StoryRow.brief["conflicts"]).where(
                    StoryRow.id.in_(with_conflicts)
                )
            )
            for sid, data in briefs:
                found: list[Any] = data if isinstance(data, list) else []
                out[sid]["topics"] = [str(c.get("topic", "")) for c in found if isinstance(c, dict)]
    return out


def search_snippets(store: Store, story_ids: list[str], query: str) -> dict[str, str]:
    """Return a passage per story with the query's words marked (see ``store.search``)."""
    with reading(store) as s:
        return snippets(s, story_ids, query)
