"""Feed subscriptions in the store: add, list, remove, OPML import and export, polling state.

Only SQL and OPML here; polling itself is ``synoptic.web.watch``. Times are UTC epoch seconds.
"""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from sqlalchemy import delete, select

from synoptic.errors import FetchError, UsageError
from synoptic.model import Record
from synoptic.store.repository import Store
from synoptic.store.schema import FeedEntryRow, FeedRow

#: Seconds between two polls of a feed unless set otherwise.
DEFAULT_INTERVAL = 30 * 60.0
#: Largest OPML file read.
MAX_OPML_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class FeedState(Record):
    """A subscription as ``feeds list`` shows it.

    Attributes:
        url: The feed's URL.
        title: Its title, once read.
        interval_s: Seconds between polls.
        next_ts: When it is next due.
        last_success_ts: When it was last read (200 or 304).
        last_error_ts: When the last error happened.
        last_error_code: That error's code (``E407``...).
        last_error: That error's message.
        failures: Errors in a row (the back-off grows with them).
        entries_seen: Entries read from it so far.
    """

    url: str
    title: str | None
    interval_s: float
    next_ts: float
    last_success_ts: float | None
    last_error_ts: float | None
    last_error_code: str | None
    last_error: str | None
    failures: int
    entries_seen: int


def _state(row: FeedRow) -> FeedState:
    return FeedState(
        url=row.url,
        title=row.title,
        interval_s=row.interval_s,
        next_ts=row.next_ts,
        last_success_ts=row.last_success_ts,
        last_error_ts=row.last_error_ts,
        last_error_code=row.last_error_code,
        last_error=row.last_error,
        failures=row.failures,
        entries_seen=row.entries_seen,
    )


def check_feed_url(url: str) -> str:
    """Return ``url`` stripped, or raise ``FetchError`` ``E401``/``E402`` for one never fetched."""
    text = url.strip()
    scheme, sep, rest = text.partition("://")
    if not sep:
        raise FetchError("E402", text, reason="not a URL")
    if scheme.lower() not in ("http", "https"):
        raise FetchError("E401", text, scheme=scheme)
    if not rest.split("/", 1)[0]:
        raise FetchError("E402", text, reason="no host")
    return text


def add_feeds(
    store: Store,
    urls: Iterable[str],
    *,
    interval: float = DEFAULT_INTERVAL,
    titles: dict[str, str] | None = None,
    now: float | None = None,
) -> list[tuple[str, bool]]:
    """Subscribe to ``urls`` (each due at once); return each URL and whether it was new."""
    when = time.time() if now is None else now
    out: list[tuple[str, bool]] = []
    with store.session() as s:
        for raw in urls:
            url = check_feed_url(raw)
            if s.get(FeedRow, url) is not None:
                out.append((url, False))
                continue
            title = (titles or {}).get(url)
            s.add(
                FeedRow(
                    url=url,
                    title=title,
                    added_ts=when,
                    interval_s=interval,
                    next_ts=when,
                    failures=0,
                    entries_seen=0,
                )
            )
            s.flush()
            out.append((url, True))
    return out


def list_feeds(store: Store) -> list[FeedState]:
    """Every subscription, by URL."""
    with store.session(readonly=True) as s:
        return [_state(r) for r in s.scalars(select(FeedRow).order_by(FeedRow.url))]


def due_feeds(store: Store, now: float) -> list[FeedState]:
    """The subscriptions due at ``now``, the most overdue first."""
    with store.session(readonly=True) as s:
        rows = s.scalars(select(FeedRow).where(FeedRow.next_ts <= now).order_by(FeedRow.next_ts))
        return [_state(r) for r in rows]


def next_due(store: Store) -> float | None:
    """When the next subscription is due, or ``None`` with none."""
    with store.session(readonly=True) as s:
        return s.scalar(select(FeedRow.next_ts).order_by(FeedRow.next_ts).limit(1))


def remove_feeds(store: Store, urls: Sequence[str]) -> int:
    """Unsubscribe from ``urls`` (their seen entries go too); return how many were removed."""
    wanted = [u.strip() for u in urls]
    with store.session() as s:
        removed = len(list(s.scalars(select(FeedRow.url).where(FeedRow.url.in_(wanted)))))
        s.execute(delete(FeedRow).where(FeedRow.url.in_(wanted)))
        s.execute(delete(FeedEntryRow).where(FeedEntryRow.feed_url.in_(wanted)))
    return int(removed)


def validators(store: Store, url: str) -> tuple[str | None, str | None]:
    """The stored ``ETag`` and ``Last-Modified`` of a feed."""
    with store.session(readonly=True) as s:
        row = s.get(FeedRow, url)
        return (row.etag, row.last_modified) if row is not None else (None, None)


def unseen_links(store: Store, links: Sequence[str]) -> set[str]:
    """The links among ``links`` no poll has read yet."""
    if not links:
        return set()
    with store.session(readonly=True) as s:
        seen = set(s.scalars(select(FeedEntryRow.link).where(FeedEntryRow.link.in_(list(links)))))
    return set(links) - seen


def record_success(
    store: Store,
    url: str,
    *,
    now: float,
    next_ts: float,
    etag: str | None,
    last_modified: str | None,
    title: str | None,
    links: Sequence[str],
) -> None:
    """Store a good poll: validators, title, the links read, and when the feed is next due."""
    with store.session() as s:
        row = s.get(FeedRow, url)
        if row is None:
            return  # removed while it was polled
        fresh = [link for link in dict.fromkeys(links) if s.get(FeedEntryRow, link) is None]
        for link in fresh:
            s.add(FeedEntryRow(link=link, feed_url=url, seen_ts=now))
        row.etag, row.last_modified = etag or row.etag, last_modified or row.last_modified
        row.title = title or row.title
        row.last_success_ts, row.next_ts, row.failures = now, next_ts, 0
        row.entries_seen += len(fresh)


def record_failure(store: Store, url: str, error: FetchError, *, now: float, next_ts: float) -> int:
    """Store a failed poll; return the failures in a row now."""
    with store.session() as s:
        row = s.get(FeedRow, url)
        if row is None:
            return 0
        row.last_error_ts, row.last_error_code, row.last_error = now, error.code, error.message
        row.failures += 1
        row.next_ts = next_ts
        return row.failures


def read_opml(data: bytes, name: str) -> list[tuple[str, str | None]]:
    """The feeds (URL, title) of an OPML file, in order.

    Raises:
        UsageError: ``E421`` for a file that is not OPML.
    """
    if len(data) > MAX_OPML_BYTES:
        raise UsageError("E421", path=name, reason=f"over {MAX_OPML_BYTES:,} bytes")
    if b"<!ENTITY" in data:
        # Entities are never needed in OPML and are how entity-expansion bombs work.
        raise UsageError("E421", path=name, reason="it declares entities")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise UsageError("E421", path=name, reason=str(exc)) from exc
    if root.tag.lower() != "opml":
        raise UsageError("E421", path=name, reason=f"its root is <{root.tag}>, not <opml>")
    found: list[tuple[str, str | None]] = []
    for outline in root.iter("outline"):
        url = outline.get("xmlUrl") or outline.get("xmlurl")
        if url:
            found.append((url.strip(), outline.get("title") or outline.get("text")))
    return found


def write_opml(feeds: Sequence[FeedState]) -> str:
    """The subscriptions as an OPML 2.0 document."""
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<opml version="2.0">',
        "  <head><title>Synoptic subscriptions</title></head>",
        "  <body>",
    ]
    for feed in feeds:
        title = feed.title or feed.url
        lines.append(
            f'    <outline type="rss" text={quoteattr(title)} title={quoteattr(title)} '
            f"xmlUrl={quoteattr(feed.url)}/>"
        )
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)
