"""robots.txt, read once per site (scheme, host and port) and kept for the fetcher's life.

Follows RFC 9309: a robots.txt that is missing or refused (4xx) allows everything; one that
cannot be had (5xx, timeout, unreachable, refused address) disallows everything for now, since
the site may be saying "not now". A ``Crawl-delay`` raises the host's request interval.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from protego import Protego

from synoptic.errors import FetchError

#: Most bytes of a robots.txt read (RFC 9309 asks crawlers to read at least 500 KiB).
ROBOTS_MAX_BYTES = 512 * 1024
#: Seconds a site's robots.txt is kept before it is read again (RFC 9309: at most a day).
ROBOTS_TTL = 24 * 3600.0

# Fetches a robots.txt URL and returns its text; raises FetchError.
RobotsFetch = Callable[[str], str]


class _Verdict:
    """What one site's robots.txt says: a parsed file, or allow/deny everything."""

    def __init__(self, parsed: Protego | None, allow_all: bool) -> None:
        self.parsed = parsed
        self.allow_all = allow_all
        self.read_at = 0.0

    def allows(self, url: str, agent: str) -> bool:
        if self.parsed is None:
            return self.allow_all
        return bool(self.parsed.can_fetch(url, agent))

    def delay(self, agent: str) -> float | None:
        if self.parsed is None:
            return None
        value = self.parsed.crawl_delay(agent)
        return float(value) if value is not None else None


class RobotsCache:
    """robots.txt verdicts by site.

    Args:
        fetch: Reads a robots.txt URL (through the safe fetcher, without a robots check).
        agent: The product token matched against ``User-agent`` lines (``Synoptic``).
        ttl: Seconds a verdict is kept (a long ``watch`` reads robots.txt again daily).
        clock: Returns the time in seconds (tests pass their own).
    """

    def __init__(
        self,
        fetch: RobotsFetch,
        agent: str,
        *,
        ttl: float = ROBOTS_TTL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch = fetch
        self._agent = agent
        self._ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._sites: dict[str, _Verdict] = {}

    def site(self, url: str) -> str:
        """The site key of ``url``: ``scheme://host:port``."""
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"

    def robots_url(self, url: str) -> str:
        """The robots.txt URL for ``url``'s site."""
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}/robots.txt"

    def verdict(self, url: str) -> tuple[bool, float | None]:
        """Whether ``url`` may be fetched, and the site's crawl delay (seconds) if it sets one."""
        key = self.site(url)
        now = self._clock()
        with self._lock:
            known = self._sites.get(key)
        if known is None or now - known.read_at >= self._ttl:
            known = self._load(self.robots_url(url))
            known.read_at = now
            with self._lock:
                self._sites[key] = known
        return known.allows(url, self._agent), known.delay(self._agent)

    def _load(self, robots_url: str) -> _Verdict:
        try:
            text = self._fetch(robots_url)
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500:
                return _Verdict(None, allow_all=True)
            return _Verdict(None, allow_all=False)
        return _Verdict(Protego.parse(text), allow_all=True)
