"""Sitemaps: the article URLs of a site's (news) sitemap or sitemap index, bounded.

A sitemap index is followed to its sitemaps at most ``max_depth`` levels down, reading at most
``max_sitemaps`` sitemaps and keeping at most ``max_urls`` URLs, so that a site cannot make one
command fetch without end. ``since`` keeps the URLs whose date (``<lastmod>``, or the news
sitemap's ``<news:publication_date>``) is not older; an undated URL is kept. Gzipped sitemaps
(``.xml.gz``) are inflated under the fetcher's size cap. Every fetch goes through the safe
fetcher; entity declarations are refused (no entity-expansion bombs).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass

from synoptic.errors import FetchError, Problem
from synoptic.fetch import DEFAULT_TYPES, Fetcher, normalise_url
from synoptic.fetch.body import BadEncoding, BodyTooLarge, read_body
from synoptic.model import published_timestamp

_GZIP_TYPES = ("application/gzip", "application/x-gzip", "application/octet-stream")


@dataclass(frozen=True, slots=True)
class SitemapLimits:
    """How far a sitemap is followed.

    Attributes:
        max_depth: Levels of sitemap index followed below the one given.
        max_sitemaps: Sitemaps read in all.
        max_urls: Page URLs kept in all.
    """

    max_depth: int = 2
    max_sitemaps: int = 50
    max_urls: int = 1000


def sitemap_urls(
    url: str,
    fetcher: Fetcher,
    *,
    since: float | None = None,
    limits: SitemapLimits | None = None,
) -> Iterator[str | Problem]:
    """Yield the page URLs a sitemap lists (normalised, each once), and a problem per failure."""
    limits = limits or SitemapLimits()
    queue: list[tuple[str, int]] = [(url, 0)]
    read = kept = 0
    seen: set[str] = set()
    while queue and read < limits.max_sitemaps:
        current, depth = queue.pop(0)
        read += 1
        try:
            root = _fetch_xml(current, fetcher)
        except FetchError as exc:
            yield exc.problem()
            continue
        kind = _local(root.tag)
        for loc, stamp in _entries(root):
            if kind == "sitemapindex":
                if depth < limits.max_depth:
                    queue.append((loc, depth + 1))
                continue
            if since is not None and stamp is not None and stamp < since:
                continue
            link = normalise_url(loc)
            if link in seen:
                continue
            seen.add(link)
            kept += 1
            yield link
            if kept >= limits.max_urls:
                return


def _fetch_xml(url: str, fetcher: Fetcher) -> ET.Element:
    got = fetcher.fetch(url, accept=(*DEFAULT_TYPES, *_GZIP_TYPES))
    body = got.body
    if body[:2] == b"\x1f\x8b":
        try:
            body = read_body([body], "gzip", fetcher.settings.max_bytes)
        except (BodyTooLarge, BadEncoding) as exc:
            reason = "over the size cap" if isinstance(exc, BodyTooLarge) else str(exc)
            raise FetchError("E413", url, reason=reason) from exc
    if b"<!ENTITY" in body[:65536]:
        raise FetchError("E413", url, reason="the sitemap declares entities")
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise FetchError("E413", url, reason=f"not a sitemap ({exc})") from exc
    if _local(root.tag) not in ("urlset", "sitemapindex"):
        raise FetchError("E413", url, reason=f"not a sitemap (root <{_local(root.tag)}>)")
    return root


def _entries(root: ET.Element) -> Iterator[tuple[str, float | None]]:
    for item in root:
        loc = stamp = None
        for child in item.iter():
            name = _local(child.tag)
            text = (child.text or "").strip()
            if name == "loc" and loc is None and text:
                loc = text
            elif name in ("lastmod", "publication_date") and text:
                stamp = published_timestamp(text) if stamp is None else stamp
        if loc:
            yield loc, stamp


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
