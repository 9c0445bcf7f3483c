"""Pages and feeds read from URLs, against loopback servers the tests start."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loopback_server import Page, serve
from synoptic.errors import FetchError, Problem
from synoptic.fetch import AddressPolicy, Fetcher, FetchSettings, normalise_url
from synoptic.ingest import ReadOptions
from synoptic.model import RawDocument
from synoptic.web import is_feed, is_url, parse_feed, read_url

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
LEDGER = (EXAMPLES / "dam" / "northern-ledger.html").read_bytes()
COURIER = (EXAMPLES / "dam" / "valley-courier.html").read_bytes()
SETTINGS = FetchSettings(policy=AddressPolicy.from_strings(["127.0.0.0/8"]), host_interval=0.0)

RSS2 = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>The Northern Ledger</title><link>{base}/</link>
<item><title>Flood fund agreed</title><link>{base}/ledger.html?utm_source=rss#top</link>
<author>Samuel Okafor</author><pubDate>Tue, 15 Oct 2024 06:45:00 +0200</pubDate>
<description>Short summary.</description></item>
<item><title>Gone page</title><link>{base}/gone.html</link>
<pubDate>Tue, 15 Oct 2024 09:00:00 GMT</pubDate>
<description>&lt;p&gt;The ministry said the fund would reach 40 million.&lt;/p&gt;
</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Valley Courier</title>
<link href="{base}/"/><id>urn:courier</id><updated>2024-10-15T10:00:00Z</updated>
<entry><title>Courier report</title><link href="{base}/courier.html"/><id>urn:c1</id>
<updated>2024-10-15T10:00:00Z</updated><author><name>Lena Marsh</name></author>
<summary>Summary.</summary></entry>
<entry><title>Same article again</title><link href="{base}/ledger.html?fbclid=abc"/>
<id>urn:c2</id><updated>2024-10-15T11:00:00Z</updated><summary>Again.</summary></entry>
</feed>"""

RSS1 = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
<channel rdf:about="http://x.test/"><title>RDF feed</title><link>http://x.test/</link></channel>
<item rdf:about="http://x.test/a"><title>A</title><link>http://x.test/a</link></item>
</rdf:RDF>"""

RSS091 = """<?xml version="1.0"?><rss version="0.91"><channel><title>Old</title>
<link>http://old.test/</link><item><title>A</title><link>http://old.test/a</link></item>
</channel></rss>"""

JSON_FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "JSON Wire",
    "home_page_url": "https://www.wire.test/",
    "items": [
        {
            "id": "1",
            "url": "https://wire.test/a?gclid=1",
            "title": "A",
            "content_text": "The text of A.",
            "date_published": "2024-10-15T08:00:00Z",
            "authors": [{"name": "Ada"}],
        }
    ],
}


def _routes(base: str) -> dict[str, Page]:
    return {
        "/rss.xml": Page(RSS2.format(base=base).encode(), "application/rss+xml"),
        "/atom.xml": Page(ATOM.format(base=base).encode(), "application/atom+xml"),
        "/ledger.html": Page(LEDGER),
        "/courier.html": Page(COURIER),
        "/broken.xml": Page(b"<rss><channel><title>x</title><item><link>oops", "text/xml"),
    }


def _read(urls: list[str], server_routes: dict[str, Page] | None = None) -> list:
    with serve({}) as server, Fetcher(SETTINGS) as fetcher:
        server.routes.update(server_routes or _routes(server.url))
        seen: set[str] = set()
        items = []
        for url in urls:
            items += list(read_url(server.url + url, fetcher, ReadOptions(), seen))
        return items


def test_web_feed_kinds_are_recognised_by_content() -> None:
    for text in (RSS2, ATOM, RSS1, RSS091):
        assert is_feed(text.format(base="http://x.test").encode())
    assert is_feed(json.dumps(JSON_FEED).encode())
    assert not is_feed(LEDGER)
    assert not is_feed(b'{"text": "a JSON record, not a feed"}')


def test_web_parse_feed_reads_entries_dates_authors_and_outlet() -> None:
    feed = parse_feed(RSS2.format(base="https://www.ledger.test").encode(), "https://x/rss")
    assert feed.title == "The Northern Ledger" and feed.site == "ledger.test"
    first, second = feed.entries
    assert first.link == "https://www.ledger.test/ledger.html"
    assert first.published == "2024-10-15T04:45:00Z" and first.author == "Samuel Okafor"
    assert second.content is not None and "40 million" in second.content
    old = parse_feed(RSS091.encode(), "http://old.test/rss")
    rdf = parse_feed(RSS1.encode(), "http://x.test/rss")
    assert [e.link for e in old.entries] == ["http://old.test/a"]
    assert [e.link for e in rdf.entries] == ["http://x.test/a"] and rdf.title == "RDF feed"


def test_web_parse_json_feed() -> None:
    feed = parse_feed(json.dumps(JSON_FEED).encode(), "https://wire.test/feed.json")
    (entry,) = feed.entries
    assert feed.title == "JSON Wire" and feed.site == "wire.test"
    assert entry.link == "https://wire.test/a" and entry.author == "Ada"
    assert entry.content == "The text of A." and entry.content_kind == "text"


def test_web_normalise_url_drops_tracking_and_fragments() -> None:
    url = "HTTPS://News.Example.COM:443/a/b?utm_medium=x&id=7&FBCLID=1&gclid=2#comments"
    assert normalise_url(url) == "https://news.example.com/a/b?id=7"
    assert normalise_url("http://h.test:8080/p?b=2&a=1") == "http://h.test:8080/p?b=2&a=1"


def test_web_is_url_tells_urls_from_paths(tmp_path: Path) -> None:
    assert is_url("https://news.test/a") and is_url("ftp://x/y")
    assert not is_url(str(tmp_path)) and not is_url("-") and not is_url("a/b.html")


def test_web_feed_expands_into_full_articles_with_feed_fallback() -> None:
    items = _read(["/rss.xml"])
    docs = [i for i in items if isinstance(i, RawDocument)]
    assert [i for i in items if isinstance(i, Problem)] == []
    full, fallback = docs
    assert full.kind == "html" and "Northern Ledger" in full.content
    assert full.meta["outlet"] == "The Northern Ledger" and full.meta["site"] == "127.0.0.1"
    assert full.meta["published"] == "2024-10-15T04:45:00Z"
    assert full.origin is not None and full.origin.kind == "feed"
    assert full.origin.feed is not None and full.origin.feed.endswith("/rss.xml")
    assert full.meta["url"].endswith("/ledger.html")
    assert "body_from" not in full.meta
    assert fallback.meta["body_from"] == "feed" and "40 million" in fallback.content
    assert "[E407]" in fallback.meta["page_error"]


def test_web_same_article_from_two_feeds_is_read_once() -> None:
    items = _read(["/rss.xml", "/atom.xml"])
    urls = [i.meta["url"] for i in items if isinstance(i, RawDocument)]
    assert len(urls) == 3 and len(set(urls)) == 3
    courier = next(i for i in items if isinstance(i, RawDocument) and "courier" in i.meta["url"])
    assert courier.meta["outlet"] == "Valley Courier" and courier.meta["byline"] == "Lena Marsh"


def test_web_page_url_is_read_as_html() -> None:
    (doc,) = _read(["/ledger.html"])
    assert isinstance(doc, RawDocument) and doc.kind == "html"
    assert doc.origin is not None and doc.origin.kind == "url" and doc.origin.fetched_at


def test_web_broken_feed_is_one_coded_line() -> None:
    items = _read(["/broken.xml", "/ledger.html"])
    problems = [i for i in items if isinstance(i, Problem)]
    assert any(p.code == "E412" and p.source.endswith("/broken.xml") for p in problems)
    assert any(isinstance(i, RawDocument) for i in items)


def test_web_unreachable_url_is_a_problem_not_an_exception() -> None:
    (problem,) = _read(["/nothing-here"])
    assert isinstance(problem, Problem) and problem.code == "E407"
    assert "404" in problem.message


def test_web_parse_feed_error_without_entries() -> None:
    with pytest.raises(FetchError) as caught:
        parse_feed(b"<rss><channel><<<", "http://x.test/f")
    assert caught.value.code == "E412"


def test_web_feed_entities_never_read_files_or_expand(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    lol = "".join(f'<!ENTITY l{i} "&l{i - 1};&l{i - 1};&l{i - 1};&l{i - 1};">' for i in range(1, 9))
    xxe = f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}"><!ENTITY l0 "lol">{lol}]>
<rss version="2.0"><channel><title>T &xxe;</title><link>http://x.test/</link>
<item><title>A &l8;</title><link>http://x.test/a</link><description>&xxe;</description></item>
</channel></rss>"""
    feed = parse_feed(xxe.encode(), "http://x.test/rss")
    text = repr(feed.to_dict())
    assert [e.link for e in feed.entries] == ["http://x.test/a"]
    assert "TOP-SECRET" not in text and "lollollol" not in text
