"""URLs to documents: a page is read as an HTML file is; a feed is expanded into its articles.

Every fetch goes through the safe fetcher. For a feed, each entry's link is fetched for the
full article; when that page cannot be had (or gives nothing to read), the entry's own content
is used and the article says so (``meta.body_from = "feed"``, and ``meta.page_error`` names
why). A link met twice in one run (two feeds carrying one article) is read once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from synoptic.errors import FetchError, Problem
from synoptic.fetch import Fetched, Fetcher, normalise_url
from synoptic.ingest import ReadOptions, read_bytes
from synoptic.model import Origin, RawDocument
from synoptic.web.feeds import Feed, FeedEntry, is_feed, parse_feed

Item = RawDocument | Problem

# Media types read as HTML or as plain text; anything else is sniffed by the reader.
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_TEXT_TYPES = frozenset({"text/plain"})


def read_url(
    url: str, fetcher: Fetcher, options: ReadOptions, seen: set[str] | None = None
) -> Iterator[Item]:
    """Fetch ``url`` and yield its documents (one for a page, one per entry for a feed).

    Args:
        url: An http(s) URL.
        fetcher: The run's safe fetcher.
        options: The read's limits.
        seen: Normalised links already read in this run (updated).

    Yields:
        ``RawDocument`` records and ``Problem`` records naming the URL (``E4xx``, ``E0xx``).
    """
    seen = set() if seen is None else seen
    try:
        got = fetcher.fetch(url)
    except FetchError as exc:
        yield exc.problem()
        return
    if is_feed(got.body, got.content_type):
        yield from read_feed(got, fetcher, options, seen)
        return
    link = normalise_url(got.url)
    if link in seen:
        return
    seen.add(link)
    origin = Origin("url", url, url=got.url, fetched_at=got.fetched_at)
    yield from read_bytes(
        origin, got.body, format=_format(got), meta={"url": link}, options=options
    )


def read_feed(
    got: Fetched, fetcher: Fetcher, options: ReadOptions, seen: set[str]
) -> Iterator[Item]:
    """Yield the articles of a fetched feed (see the module's docstring)."""
    try:
        feed = parse_feed(got.body, got.url)
    except FetchError as exc:
        yield exc.problem(got.requested)
        return
    if feed.warning:
        yield FetchError("E412", got.requested, reason=feed.warning).problem()
    for entry in feed.entries:
        if entry.link and entry.link in seen:
            continue
        if entry.link:
            seen.add(entry.link)
        yield from read_entry(feed, entry, fetcher, options)


def read_entry(
    feed: Feed, entry: FeedEntry, fetcher: Fetcher, options: ReadOptions
) -> Iterator[Item]:
    """Yield the article of one feed entry: its page, else its own content."""
    meta = _entry_meta(feed, entry)
    failure: Problem | None = None
    if entry.link:
        try:
            page = fetcher.fetch(entry.link)
        except FetchError as exc:
            failure = exc.problem()
        else:
            origin = Origin(
                "feed", entry.link, url=page.url, fetched_at=page.fetched_at, feed=feed.url
            )
            items = list(
                read_bytes(origin, page.body, format=_format(page), meta=meta, options=options)
            )
            if any(isinstance(item, RawDocument) for item in items):
                yield from items
                return
            failure = next((i for i in items if isinstance(i, Problem)), None)
    if entry.content and entry.content.strip():
        if failure is not None:
            meta["page_error"] = f"{failure.message} [{failure.code}]"
        meta["body_from"] = "feed"
        name = entry.link or entry.entry_id or feed.url
        origin = Origin("feed", name, url=entry.link, feed=feed.url)
        kind = "html" if entry.content_kind == "html" else "text"
        yield from read_bytes(
            origin, entry.content.encode("utf-8"), format=kind, meta=meta, options=options
        )
        return
    yield failure or FetchError("E414", entry.link or feed.url, what="the feed entry").problem()


def _entry_meta(feed: Feed, entry: FeedEntry) -> dict[str, Any]:
    meta: dict[str, Any] = {"feed": feed.url}
    values = {
        "url": entry.link,
        "title": entry.title,
        "byline": entry.author,
        "published": entry.published,
        "outlet": feed.title or feed.site,
        "site": feed.site,
    }
    meta.update({key: value for key, value in values.items() if value})
    return meta


def _format(got: Fetched) -> str | None:
    if got.content_type in _HTML_TYPES:
        return "html"
    if got.content_type in _TEXT_TYPES:
        return "text"
    return None
