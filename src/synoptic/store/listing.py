"""The one story listing: filters, order and pages, for ``synoptic stories`` and the API.

Both read the same stories in the same order through ``select_page``: dated stories first,
latest publication first, then the undated ones (no report gives a publication time), latest
added first, ties by id. The filters of ``StoryFilter`` (the query matched literally, ``%``
and ``_`` included), pages by offset or by a cursor (keyset on ``(undated, last_ts, id)``,
stable while stories arrive), and never the cached briefs (a page of 10,000 stories reads one
page of rows).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, false, func, or_, select, true
from sqlalchemy.orm import Session, defer

from synoptic.model import Article
from synoptic.store.schema import ArticleRow, StoryRow
from synoptic.store.search import story_match

if TYPE_CHECKING:
    from synoptic.outlets.registry import Registry


class BadCursor(ValueError):
    """A cursor that this server did not issue (or that was altered)."""


@dataclass(frozen=True, slots=True)
class StoryFilter:
    """The filters of a story listing.

    Attributes:
        since: Only stories last seen at or after these epoch seconds.
        query: Only stories whose headline or a member's title contains this text
            (case-insensitive, matched literally: ``%`` and ``_`` are not wildcards).
        min_outlets: Only stories carried by at least this many outlets.
        until: Only stories first seen before these epoch seconds.
        outlet: Only stories with an article from an outlet whose name holds this text.
        conflicts: Only stories whose brief found outlets disagreeing.
        kind: Only stories with a report counted for an outlet of this kind in the outlets
            registry (``wire``, ``public``, ``state``, ``private``, ``aggregator``; see
            ``kind_keys``).
    """

    since: float | None = None
    query: str | None = None
    min_outlets: int = 0
    until: float | None = None
    outlet: str | None = None
    conflicts: bool = False
    kind: str | None = None


def kind_keys(kind: str, registry: Registry | None = None) -> tuple[list[str], list[str]]:
    """Return the stored outlet keys (``articles.outlet_key``) of the registry's outlets of a kind.

    A report counts under its outlet's independence key (``outlets.attribute``: a wire copy
    under its agency, an outlet under its parent when it has one), and outlets of one parent
    share that key. So the keys come in two sets: ``whole``, the keys every outlet of which
    has the kind, and ``part``, the keys of a parent owning outlets of the kind and others
    (Dow Jones & Company owns a wire and the Wall Street Journal; the Government of Russia
    TASS, wire and state, and Rossiyskaya Gazeta, state only). A report under a ``part`` key
    matches only when the outlet it counts for has the kind. An outlet has every kind the
    registry gives it (Xinhua is wire and state); an outlet it does not know has none.

    Returns:
        ``(whole, part)``, each sorted.
    """
    from synoptic.outlets import current

    has: dict[str, set[bool]] = {}
    for outlet in registry or current():
        has.setdefault(outlet.group, set()).add(kind in outlet.kinds)
    whole = sorted(key for key, found in has.items() if found == {True})
    part = sorted(key for key, found in has.items() if found == {True, False})
    return whole, part


def _stories_counted_for(s: Session, kind: str, keys: list[str], registry: Registry) -> set[str]:
    """Return the stories with a current report under ``keys`` whose own outlet has ``kind``.

    Attributes each such report again (the fields ``outlets.attribute`` reads: URL, site name,
    byline, metadata and the head of the text, where a dateline credit stands).
    """
    from synoptic.outlets.detect import LEAD_CHARS, attribute

    rows = s.execute(
        select(
            ArticleRow.id,
            ArticleRow.story_id,
            ArticleRow.source,
            func.substr(ArticleRow.text, 1, LEAD_CHARS),
            ArticleRow.outlet,
            ArticleRow.url,
            ArticleRow.byline,
            ArticleRow.meta,
        ).where(
            ArticleRow.outlet_key.in_(keys),
            ArticleRow.superseded_by.is_(None),
            ArticleRow.story_id.is_not(None),
        )
    )
    found: set[str] = set()
    for ident, story_id, source, head, outlet, url, byline, meta in rows:
        if story_id in found:
            continue
        article = Article(ident, source, head or "", outlet, url, byline=byline, meta=meta or {})
        counted = registry.by_id.get(attribute(article, registry).outlet or "")
        if counted is not None and kind in counted.kinds:
            found.add(story_id)
    return found


def kind_where(s: Session, kind: str) -> Any:
    """Return the condition "the story has a current report counted for an outlet of ``kind``".

    Reports under a key all of whose outlets have the kind match in SQL; those under a key
    shared with outlets of other kinds are attributed again (``kind_keys``), so a Wall Street
    Journal report never lists a story as ``wire`` because its parent also owns a wire.
    """
    from synoptic.outlets import current

    registry = current()
    whole, part = kind_keys(kind, registry)
    found = sorted(_stories_counted_for(s, kind, part, registry)) if part else []
    return or_(
        select(ArticleRow.id)
        .where(
            ArticleRow.story_id == StoryRow.id,
            ArticleRow.superseded_by.is_(None),
            ArticleRow.outlet_key.in_(whole),
        )
        .exists(),
        StoryRow.id.in_(found),
    )


def outlet_kind(value: str | None) -> str | None:
    """Read an outlet kind filter (any case; blank is none): the one check of the list page,
    ``synoptic stories --kind`` and the API (whose ``OutletKind`` a test holds to ``KINDS``).

    Raises:
        ValueError: the text is not a kind of the registry (``outlets.KINDS``).
    """
    from synoptic.outlets.registry import KINDS

    kind = (value or "").strip().lower() or None
    if kind is not None and kind not in KINDS:
        raise ValueError(f"{kind[:40]!r} is not an outlet kind (one of {', '.join(KINDS)})")
    return kind


def time_bound(value: str | None, *, whole_day: bool = False) -> float | None:
    """Read a date or time filter (``since``, ``until``) as epoch seconds; blank is none.

    A time is its instant (UTC when it has no offset); a date (YYYY-MM-DD) is its midnight
    UTC, or with ``whole_day`` (an upper bound) the next midnight, so the day is included.

    Raises:
        ValueError: the text is neither a date nor an ISO 8601 time (or a year the
            platform's clock cannot express).
    """
    from synoptic.store.index import day_start, parse_published

    text = (value or "").strip()
    if not text:
        return None
    try:
        ts = parse_published(text)
        ts = ts if ts is not None else day_start(date.fromisoformat(text))
    except OverflowError:
        raise ValueError(text) from None
    return ts + 86400.0 if whole_day and len(text) == len("YYYY-MM-DD") else ts


def encode_cursor(last_ts: float, story_id: str, undated: bool = False) -> str:
    """Return the opaque cursor of the page that starts after story ``story_id``."""
    raw = json.dumps([last_ts, story_id, int(undated)], separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> tuple[float, str, bool]:
    """Return the ``(last_ts, id, undated)`` a cursor holds.

    A cursor of two values (issued before undated stories were listed last) is a dated one.

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
        or len(value) not in (2, 3)
        or not isinstance(value[0], int | float)
        or isinstance(value[0], bool)
        or not isinstance(value[1], str)
        or (len(value) == 3 and value[2] not in (0, 1))
    ):
        raise BadCursor(cursor)
    return float(value[0]), value[1], bool(value[2]) if len(value) == 3 else False


def clean_query(value: str | None) -> str | None:
    """Return a search text without NUL characters (which no database text column holds)."""
    if value is None:
        return None
    value = value.replace("\x00", "").strip()
    return value or None


def _like_pattern(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def story_where(
    flt: StoryFilter, dialect: str = "sqlite", session: Session | None = None
) -> list[Any]:
    """Return the SQL conditions of ``flt`` (only the filters given).

    The kind filter reads the session (``kind_where``): it needs one when ``flt.kind`` is set.

    The query is a full-text search of the stories' articles (``store.search``); a query
    without any word ("%", "--") is matched literally against headlines and titles.
    """
    # An always-true clause would make the count scan the table (whose rows hold the cached
    # briefs) instead of an index.
    clauses: list[Any] = []
    if flt.min_outlets > 0:
        clauses.append(StoryRow.outlet_count >= flt.min_outlets)
    if flt.since is not None:
        clauses.append(StoryRow.last_ts >= flt.since)
    if flt.until is not None:
        clauses.append(StoryRow.first_ts < flt.until)
    if flt.conflicts:
        clauses.append(StoryRow.conflicts_count > 0)
    outlet = clean_query(flt.outlet)
    if outlet:
        clauses.append(
            select(ArticleRow.id)
            .where(
                ArticleRow.story_id == StoryRow.id,
                or_(
                    func.lower(ArticleRow.outlet).like(_like_pattern(outlet), escape="\\"),
                    func.lower(ArticleRow.url).like(_like_pattern(outlet), escape="\\"),
                ),
            )
            .exists()
        )
    if flt.kind:
        if session is None:
            raise ValueError("the kind filter needs the session (kind_where)")
        clauses.append(kind_where(session, flt.kind))
    query = clean_query(flt.query)
    match = story_match(dialect, query) if query else None
    if match is not None:
        clauses.append(match)
    elif query:
        pattern = _like_pattern(query)
        titled = select(ArticleRow.id).where(
            ArticleRow.story_id == StoryRow.id,
            func.lower(ArticleRow.title).like(pattern, escape="\\"),
        )
        clauses.append(
            or_(func.lower(StoryRow.headline).like(pattern, escape="\\"), titled.exists())
        )
    return clauses


@dataclass(frozen=True, slots=True)
class RowPage:
    """The story rows of one page (briefs not loaded), the total and the next cursor."""

    rows: list[StoryRow]
    total: int
    next_cursor: str | None


def select_page(
    s: Session,
    flt: StoryFilter,
    *,
    limit: int | None,
    offset: int = 0,
    cursor: str | None = None,
) -> RowPage:
    """Return one page of the story rows matching ``flt``, in listing order.

    Args:
        s: A (read-only) session.
        flt: The filters.
        limit: Rows per page; ``None``: every matching row.
        offset: Rows to skip (ignored when ``cursor`` is given).
        cursor: A ``next_cursor`` from an earlier page.

    Raises:
        BadCursor: ``cursor`` is not one ``encode_cursor`` made.
    """
    after = decode_cursor(cursor) if cursor is not None else None
    where = story_where(flt, s.get_bind().dialect.name, s)
    skip = offset if after is None else 0
    if limit is None:
        # Undated stories last: their times are the times they were added, not published.
        order = (StoryRow.undated, StoryRow.last_ts.desc(), StoryRow.id)
        every = select(StoryRow).options(defer(StoryRow.brief)).where(*where)
        rows = list(s.scalars(every.order_by(*order).offset(skip)))
        return RowPage(rows, skip + len(rows), None)
    total = int(s.scalar(select(func.count()).select_from(StoryRow).where(*where)) or 0)
    ids = _page_ids(s, where, after, limit + 1, skip)
    # Two steps: the page's ids first, then their rows. A story row holds its cached brief,
    # and columns stored after it are read through the brief's overflow pages; skipping
    # ``offset`` full rows would read every skipped brief, skipping ids reads none.
    found = s.scalars(select(StoryRow).options(defer(StoryRow.brief)).where(StoryRow.id.in_(ids)))
    by_id = {row.id: row for row in found}
    rows = [by_id[i] for i in ids if i in by_id]
    more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1] if more and rows else None
    next_cursor = encode_cursor(last.last_ts, last.id, last.undated) if last else None
    return RowPage(rows, total, next_cursor)


def _page_ids(
    s: Session,
    where: list[Any],
    after: tuple[float, str, bool] | None,
    want: int,
    skip: int,
) -> list[str]:
    """Return the ids of up to ``want`` stories after ``skip`` rows or the cursor ``after``.

    The dated stories come first, then the undated ones, each part read alone in
    ``(last_ts DESC, id)`` order: with ``undated`` fixed, the index on ``(undated, last_ts,
    id)`` gives that order, where one query over both parts would sort every matching row.
    """
    ids: list[str] = []
    for undated in (False, True):
        if after is not None and after[2] and not undated:
            continue  # the cursor is past every dated story
        part = [StoryRow.undated == (true() if undated else false())]
        if after is not None and after[2] == undated:
            ts, sid = after[0], after[1]
            part.append(or_(StoryRow.last_ts < ts, and_(StoryRow.last_ts == ts, StoryRow.id > sid)))
        stmt = (
            select(StoryRow.id)
            .where(*where, *part)
            .order_by(StoryRow.last_ts.desc(), StoryRow.id)
            .limit(want - len(ids))
        )
        got = list(s.scalars(stmt.offset(skip) if skip else stmt))
        ids += got
        if len(ids) >= want or undated:
            break
        if skip:  # the undated part starts after what is left of the offset
            dated = select(func.count()).select_from(StoryRow).where(*where, *part)
            skip = max(0, skip - int(s.scalar(dated) or 0))
    return ids


__all__ = [
    "BadCursor",
    "RowPage",
    "StoryFilter",
    "clean_query",
    "decode_cursor",
    "encode_cursor",
    "kind_keys",
    "kind_where",
    "outlet_kind",
    "select_page",
    "story_where",
    "time_bound",
]
