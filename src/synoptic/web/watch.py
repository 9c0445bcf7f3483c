"""Polling subscribed feeds on a schedule and storing their new articles.

One poll of a feed: a conditional GET with the stored ``ETag``/``Last-Modified`` (an unchanged
feed costs one 304), the entries whose links no poll has read yet, each read as
``synoptic.web.pages.read_entry`` reads it (the page, else the entry's own content), extracted
and added to the store one transaction per article, and then the feed's state. A killed watch
loses nothing committed: articles are stored before their links are marked read, so at worst
a link is read again and found already stored.

Scheduling: a feed is next due after its interval, spread by a random jitter so that feeds
added together do not stay in step; after an error, after ``interval * 2**failures`` (capped
at ``MAX_BACKOFF``), or after the server's ``Retry-After`` when it sent one (429, 503).
``Watcher.run`` polls until ``stop`` is set (the CLI sets it on SIGINT/SIGTERM), finishing the
article in hand first; a feed left half read stays due, with its old validators, so the next
run reads the rest.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from synoptic.errors import ErrorPolicy, FetchError, Problem
from synoptic.fetch import Fetcher
from synoptic.ingest import ReadOptions
from synoptic.pipeline import extract_all
from synoptic.store.ingest import Ingestor, StoreSettings
from synoptic.store.repository import Store
from synoptic.web.feeds import Feed, FeedEntry, parse_feed
from synoptic.web.pages import read_entry
from synoptic.web.subscriptions import (
    FeedState,
    due_feeds,
    next_due,
    record_failure,
    record_success,
    unseen_links,
    validators,
)

#: Longest wait after errors, in seconds (a day).
MAX_BACKOFF = 24 * 3600.0
#: Share of the interval a next poll may move by, either way.
DEFAULT_JITTER = 0.1


@dataclass
class PollReport:
    """What polls did: counts for the closing line, and the problems met."""

    polled: int = 0
    unchanged: int = 0
    failed: int = 0
    entries: int = 0
    stored: int = 0
    problems: list[Problem] = field(default_factory=list)

    def line(self) -> str:
        """One summary line."""
        return (
            f"polled {self.polled} feeds ({self.unchanged} unchanged, {self.failed} failed): "
            f"{self.entries} new entries, {self.stored} articles stored"
        )


class Watcher:
    """Polls a store's subscriptions.

    Args:
        store: The open store (subscriptions and articles).
        fetcher: The safe fetcher.
        options: The read limits for fetched bodies.
        jitter: Share of the interval a next poll may move by, either way.
        rng: Random source for the jitter (tests pass a seeded one).
        clock: Returns the time (epoch seconds).
        on_problem: Called with each problem as it happens.
        after_polls: Called after each round that polled at least one feed (``synoptic
            watch`` delivers the alert subscriptions there).
    """

    def __init__(
        self,
        store: Store,
        fetcher: Fetcher,
        *,
        options: ReadOptions | None = None,
        jitter: float = DEFAULT_JITTER,
        rng: random.Random | None = None,
        clock: Callable[[], float] = time.time,
        on_problem: Callable[[Problem], None] | None = None,
        after_polls: Callable[[], None] | None = None,
    ) -> None:
        self.store = store
        self.fetcher = fetcher
        self.options = options or ReadOptions()
        self.jitter = jitter
        self.rng = rng or random.Random()
        self.clock = clock
        self.on_problem = on_problem
        self.after_polls = after_polls
        self.stop = threading.Event()
        self.report = PollReport()
        self._ingestor = Ingestor(store, StoreSettings())

    def run(self, *, once: bool = False, idle: float = 60.0) -> PollReport:
        """Poll due feeds until ``stop`` is set (or once, for ``--once``)."""
        while not self.stop.is_set():
            polled = 0
            for feed in due_feeds(self.store, self.clock()):
                if self.stop.is_set():
                    break
                self.poll(feed)
                polled += 1
            if polled and self.after_polls is not None:
                self.after_polls()
            if once:
                break
            upcoming = next_due(self.store)
            wait = idle if upcoming is None else max(0.0, upcoming - self.clock())
            self.stop.wait(min(wait, idle))
        return self.report

    def poll(self, feed: FeedState) -> None:
        """Poll one feed and store what is new."""
        self.report.polled += 1
        now = self.clock()
        etag, last_modified = validators(self.store, feed.url)
        try:
            got = self.fetcher.fetch(feed.url, etag=etag, last_modified=last_modified)
            parsed = None if got.not_modified else parse_feed(got.body, got.url)
        except FetchError as exc:
            self._failed(feed, exc, now)
            return
        links: list[str] = []
        cut = False
        if parsed is None:
            self.report.unchanged += 1
        else:
            if parsed.warning:
                self._problem(FetchError("E412", feed.url, reason=parsed.warning).problem())
            fresh = unseen_links(self.store, [e.link for e in parsed.entries if e.link])
            for entry in parsed.entries:
                if not entry.link or entry.link not in fresh:
                    continue
                if self.stop.is_set():
                    cut = True
                    break
                self._store_entry(parsed, entry)
                links.append(entry.link)
        # A poll cut short by a stop keeps the feed due and its old validators, so that the
        # next run reads the entries left (a new validator would make the next answer a 304).
        record_success(
            self.store,
            feed.url,
            now=now,
            next_ts=now if cut else now + self._spread(feed.interval_s),
            etag=None if cut else got.etag,
            last_modified=None if cut else got.last_modified,
            title=parsed.title if parsed is not None else None,
            links=links,
        )

    def _store_entry(self, parsed: Feed, entry: FeedEntry) -> None:
        problems: list[Problem] = []
        items = list(read_entry(parsed, entry, self.fetcher, self.options))
        articles = extract_all(items, policy=ErrorPolicy.RECORD, problems=problems)
        for problem in problems:
            self._problem(problem)
        result = self._ingestor.add_all(articles)
        self.report.entries += 1
        self.report.stored += result.new

    def _failed(self, feed: FeedState, error: FetchError, now: float) -> None:
        self.report.failed += 1
        self._problem(error.problem(feed.url))
        wait = min(feed.interval_s * 2 ** (feed.failures + 1), MAX_BACKOFF)
        if error.retry_after is not None:
            wait = max(error.retry_after, 1.0)
        record_failure(self.store, feed.url, error, now=now, next_ts=now + self._spread(wait))

    def _spread(self, seconds: float) -> float:
        return seconds * (1.0 + self.rng.uniform(-self.jitter, self.jitter))

    def _problem(self, problem: Problem) -> None:
        self.report.problems.append(problem)
        if self.on_problem is not None:
            self.on_problem(problem)
