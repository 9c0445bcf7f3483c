"""Sitemaps and sitemap indexes, bounded, against loopback servers the tests start."""

from __future__ import annotations

import gzip

from loopback_server import Page, serve
from synoptic.errors import Problem
from synoptic.fetch import AddressPolicy, Fetcher, FetchSettings
from synoptic.model import published_timestamp
from synoptic.web.sitemaps import SitemapLimits, sitemap_urls

SETTINGS = FetchSettings(policy=AddressPolicy.from_strings(["127.0.0.0/8"]), host_interval=0.0)
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
NEWS = 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'


def _urlset(base: str, items: list[tuple[str, str | None]], news: bool = False) -> bytes:
    rows = []
    for path, date in items:
        when = ""
        if date and news:
            when = f"<news:news><news:publication_date>{date}</news:publication_date></news:news>"
        elif date:
            when = f"<lastmod>{date}</lastmod>"
        rows.append(f"<url><loc>{base}{path}</loc>{when}</url>")
    return f'<?xml version="1.0"?><urlset {NS} {NEWS}>{"".join(rows)}</urlset>'.encode()


def _index(base: str, paths: list[str]) -> bytes:
    rows = "".join(f"<sitemap><loc>{base}{p}</loc></sitemap>" for p in paths)
    return f'<?xml version="1.0"?><sitemapindex {NS}>{rows}</sitemapindex>'.encode()


def _collect(url: str, **kw: object) -> tuple[list[str], list[Problem]]:
    with Fetcher(SETTINGS) as fetcher:
        items = list(sitemap_urls(url, fetcher, **kw))  # type: ignore[arg-type]
    return [i for i in items if isinstance(i, str)], [i for i in items if isinstance(i, Problem)]


def test_web_sitemaps_index_news_gzip_and_since() -> None:
    with serve({}) as server:
        base = server.url
        news = _urlset(
            base, [("/a?utm_source=x", "2024-10-15T08:00:00Z"), ("/old", "2020-01-01")], True
        )
        plain = gzip.compress(_urlset(base, [("/b", "2024-10-16"), ("/undated", None)]))
        server.routes.update(
            {
                "/sitemap.xml": Page(
                    _index(base, ["/news.xml", "/pages.xml.gz"]), "application/xml"
                ),
                "/news.xml": Page(news, "application/xml"),
                "/pages.xml.gz": Page(plain, "application/gzip"),
            }
        )
        since = published_timestamp("2024-10-01")
        urls, problems = _collect(base + "/sitemap.xml", since=since)
    assert problems == []
    assert urls == [base + "/a", base + "/b", base + "/undated"]


def test_web_sitemaps_bounded_in_depth_and_count() -> None:
    with serve({}) as server:
        base = server.url
        server.routes.update(
            {
                "/i0.xml": Page(_index(base, ["/i1.xml"]), "application/xml"),
                "/i1.xml": Page(_index(base, ["/i2.xml"]), "application/xml"),
                "/i2.xml": Page(_urlset(base, [("/deep", None)]), "application/xml"),
                "/many.xml": Page(_urlset(base, [(f"/p{i}", None) for i in range(50)]), "text/xml"),
            }
        )
        shallow, _ = _collect(base + "/i0.xml", limits=SitemapLimits(max_depth=1))
        deep, _ = _collect(base + "/i0.xml", limits=SitemapLimits(max_depth=2))
        few, _ = _collect(base + "/many.xml", limits=SitemapLimits(max_urls=5))
    assert shallow == [] and deep == [base + "/deep"]
    assert few == [f"{base}/p{i}" for i in range(5)]


def test_web_sitemaps_bad_documents_are_problems() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><urlset>&a;</urlset>'
    with serve({}) as server:
        base = server.url
        server.routes.update(
            {
                "/broken.xml": Page(b"<urlset><url><loc>", "application/xml"),
                "/bomb.xml": Page(bomb, "application/xml"),
                "/html.xml": Page(b"<html><body>hi</body></html>", "text/html"),
            }
        )
        for path in ("/broken.xml", "/bomb.xml", "/html.xml", "/missing.xml"):
            urls, problems = _collect(base + path)
            assert urls == [] and len(problems) == 1, path
            assert problems[0].code in ("E413", "E407") and problems[0].source == base + path
