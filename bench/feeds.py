"""Live news in: feed polling, page fetching and web-archive reading, beside the plain libraries.

Everything is served from loopback in this process (nothing leaves the machine):

* polling: N feeds of M entries each, fetched through ``synoptic.fetch`` and parsed by
  ``synoptic.web.feeds`` (feeds/s, entries/s), beside ``feedparser.parse(url)`` over the same
  URLs in the same run; then a second poll where nothing changed (conditional GET: 304s);
* pages: fetch + extract pages/s beside ``trafilatura.fetch_url`` + ``trafilatura.extract`` on
  the same pages, and the peak Python memory while a 1 GB response is refused at the cap;
* archives: records/s and MB/s reading and extracting a WARC through ``read_bytes`` (the
  ``warc`` reader), beside bare iteration with FastWARC (and warcio, the library not chosen).

Run: ``PYTHONPATH=src python bench/feeds.py [--feeds 200 --entries 50 --pages 100]``.

Measured (2026-12-07, defaults, a 2-core machine shared with other jobs, so +-30%):

* polling 200 feeds x 50 entries: synoptic 25.1 feeds/s (1,257 entries/s), feedparser.parse(url)
  29.0 feeds/s (1,450 entries/s); both spend most of it in feedparser's parser (ours also
  resolves relative links against the feed URL). Nothing changed: synoptic 443 feeds/s, all 200
  answered 304; feedparser 546 feeds/s.
* pages: synoptic fetch + extract 14.8 pages/s, trafilatura fetch_url + extract 8.8 pages/s.
* a 1 GB response is refused (E409) after 0.29 s with a peak of 24.8 MB of Python memory
  (cap 20 MiB).
* WARC, 1,000 HTML responses, 6.7 MB: bare FastWARC 16,725 records/s (111.5 MB/s), bare warcio
  3,777 records/s (25.2 MB/s); the reader (gzip, checks, decoding, documents) 984 records/s
  (6.6 MB/s); read + extract 28 records/s (extraction dominates).
"""

from __future__ import annotations

import argparse
import gzip
import io
import threading
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import feedparser
import trafilatura

from synoptic.errors import FetchError
from synoptic.extract import extract
from synoptic.fetch import AddressPolicy, Fetcher, FetchSettings
from synoptic.ingest import read_bytes
from synoptic.model import RawDocument
from synoptic.web.feeds import parse_feed

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "examples").rglob("*.html"))
GIB = 1024**3


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    routes: dict[str, Callable[[BaseHTTPRequestHandler], None]]


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    # Headers and body are two writes: without this, Nagle's algorithm holds the body until
    # the client's delayed ACK (40 ms a response on keep-alive connections).
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        self.server.routes.get(self.path, _missing)(self)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _missing(handler: BaseHTTPRequestHandler) -> None:
    _send(handler, 404, b"", "text/plain")


def _send(h: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str, **extra: str) -> None:
    h.send_response(status)
    h.send_header("Content-Type", ctype)
    h.send_header("Content-Length", str(len(body)))
    for key, value in extra.items():
        h.send_header(key.replace("_", "-"), value)
    h.end_headers()
    h.wfile.write(body)


@contextmanager
def _serve() -> Iterator[_Server]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.routes = {}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _feed(base: str, n: int, entries: int) -> bytes:
    items = "".join(
        f"<item><title>Story {n}-{i}</title><link>{base}/p/{n}/{i}</link>"
        f"<pubDate>Tue, 15 Oct 2024 06:{i % 60:02d}:00 GMT</pubDate>"
        f"<description>Summary of story {i} from feed {n}, a few sentences long.</description>"
        "</item>"
        for i in range(entries)
    )
    head = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {n}</title>'
    return f"{head}<link>{base}/</link>{items}</channel></rss>".encode()


def _feed_route(body: bytes, etag: str) -> Callable[[BaseHTTPRequestHandler], None]:
    def route(h: BaseHTTPRequestHandler) -> None:
        if h.headers.get("If-None-Match") == etag:
            h.send_response(304)
            h.send_header("ETag", etag)
            h.send_header("Content-Length", "0")
            h.end_headers()
            return
        _send(h, 200, body, "application/rss+xml", ETag=etag)

    return route


def _best(
    first: Callable[[], int], second: Callable[[], int]
) -> tuple[tuple[int, float], tuple[int, float]]:
    """Run two measurements alternately twice; return each one's result and best time."""
    times: list[list[float]] = [[], []]
    results = [0, 0]
    for _ in range(2):
        for index, fn in enumerate((first, second)):
            start = time.perf_counter()
            results[index] = fn()
            times[index].append(time.perf_counter() - start)
    return (results[0], min(times[0])), (results[1], min(times[1]))


def bench_polling(fetcher: Fetcher, server: _Server, base: str, feeds: int, entries: int) -> None:
    urls = []
    for n in range(feeds):
        server.routes[f"/f/{n}.xml"] = _feed_route(_feed(base, n, entries), f'"e{n}"')
        urls.append(f"{base}/f/{n}.xml")
    tags: dict[str, str | None] = {}

    def ours_poll() -> int:
        count = 0
        for url in urls:
            got = fetcher.fetch(url)
            count += len(parse_feed(got.body, got.url).entries)
            tags[url] = got.etag
        return count

    def plain_poll() -> int:
        return sum(len(feedparser.parse(url).entries) for url in urls)

    def ours_again() -> int:
        return sum(fetcher.fetch(url, etag=tags[url]).not_modified for url in urls)

    def plain_again() -> int:
        return sum(feedparser.parse(url, etag=tags[url]).get("status") == 304 for url in urls)

    # Alternated and best of two, so that a busy moment of the machine favours neither side.
    (count, ours), (plain, theirs) = _best(ours_poll, plain_poll)
    (unchanged, again), (plain304, again_plain) = _best(ours_again, plain_again)
    print(f"polling {feeds} feeds x {entries} entries (loopback):")
    print(f"  synoptic   {feeds / ours:8.1f} feeds/s {count / ours:10.0f} entries/s")
    print(f"  feedparser {feeds / theirs:8.1f} feeds/s {plain / theirs:10.0f} entries/s")
    print(f"  nothing changed: synoptic {feeds / again:8.1f} feeds/s ({unchanged} x 304),", end="")
    print(f" feedparser {feeds / again_plain:8.1f} feeds/s ({plain304} x 304)")


def _page_route(body: bytes) -> Callable[[BaseHTTPRequestHandler], None]:
    def route(h: BaseHTTPRequestHandler) -> None:
        _send(h, 200, body, "text/html")

    return route


def bench_pages(fetcher: Fetcher, server: _Server, base: str, count: int) -> None:
    bodies = [p.read_bytes() for p in PAGES]
    urls = []
    for i in range(count):
        body = bodies[i % len(bodies)]
        server.routes[f"/page/{i}.html"] = _page_route(body)
        urls.append(f"{base}/page/{i}.html")
    start = time.perf_counter()
    for url in urls:
        got = fetcher.fetch(url)
        for doc in read_bytes(url, got.body, format="html"):
            if isinstance(doc, RawDocument):
                extract(doc)
    ours = time.perf_counter() - start
    start = time.perf_counter()
    for url in urls:
        trafilatura.extract(trafilatura.fetch_url(url))
    theirs = time.perf_counter() - start
    print(f"pages: {count} fetched and extracted (loopback):")
    print(f"  synoptic fetch + extract    {count / ours:8.1f} pages/s")
    print(f"  trafilatura fetch + extract {count / theirs:8.1f} pages/s")


def _gigabyte(h: BaseHTTPRequestHandler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", str(GIB))
    h.end_headers()
    chunk = b"<p>" + b"x" * (1024 * 1024 - 3)
    try:
        for _ in range(1024):
            h.wfile.write(chunk)
    except OSError:
        pass


def bench_refusal(fetcher: Fetcher, server: _Server, base: str) -> None:
    server.routes["/gig"] = _gigabyte
    tracemalloc.start()
    start = time.perf_counter()
    try:
        fetcher.fetch(base + "/gig")
        verdict = "read (unexpected)"
    except FetchError as exc:
        verdict = f"refused [{exc.code}]"
    took = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    cap = fetcher.settings.max_bytes / 1e6
    print(f"1 GB response: {verdict} in {took:.2f}s; peak Python memory {peak / 1e6:.1f} MB")
    print(f"  (cap {cap:.0f} MB)")


def _warc(records: int) -> bytes:
    bodies = [p.read_bytes() for p in PAGES]
    out = io.BytesIO()
    for i in range(records):
        html = bodies[i % len(bodies)]
        http = f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {len(html)}\r\n\r\n"
        block = http.encode() + html
        head = (
            f"WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{uuid.uuid4()}>\r\n"
            f"WARC-Date: 2024-10-15T06:45:00Z\r\nWARC-Target-URI: https://news.test/{i}\r\n"
            f"Content-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(block)}\r\n\r\n"
        ).encode()
        out.write(gzip.compress(head + block + b"\r\n\r\n", compresslevel=6))
    return out.getvalue()


def _warcio_seconds(data: bytes) -> float | None:
    """Seconds warcio (the library not chosen; not a dependency) takes, if it is installed."""
    try:
        from warcio.archiveiterator import ArchiveIterator as WarcioIterator
    except ImportError:
        return None
    start = time.perf_counter()
    for rec in WarcioIterator(io.BytesIO(data)):
        if rec.rec_type == "response":
            rec.content_stream().read()
    return time.perf_counter() - start


def bench_warc(records: int) -> None:
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    data = _warc(records)
    raw = len(gzip.decompress(data))
    start = time.perf_counter()
    bare = 0
    for record in ArchiveIterator(io.BytesIO(data), record_types=WarcRecordType.response):
        record.reader.read()
        bare += 1
    fast = time.perf_counter() - start
    slow = _warcio_seconds(data)
    start = time.perf_counter()
    docs = [d for d in read_bytes("bench.warc.gz", data) if isinstance(d, RawDocument)]
    read = time.perf_counter() - start
    for doc in docs:
        extract(doc)
    full = time.perf_counter() - start
    mb = raw / 1e6
    print(f"web archive: {records} response records, {mb:.1f} MB uncompressed (.warc.gz):")
    print(f"  bare FastWARC iteration {bare / fast:9.0f} records/s {mb / fast:7.1f} MB/s")
    if slow is not None:
        print(f"  bare warcio iteration   {bare / slow:9.0f} records/s {mb / slow:7.1f} MB/s")
    print(f"  synoptic read (reader)  {len(docs) / read:9.0f} records/s {mb / read:7.1f} MB/s")
    print(f"  synoptic read + extract {len(docs) / full:9.0f} records/s {mb / full:7.1f} MB/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--records", type=int, default=1000)
    args = parser.parse_args()
    policy = AddressPolicy.from_strings(["127.0.0.1/32"])
    settings = FetchSettings(policy=policy, host_interval=0.0, obey_robots=True)
    with _serve() as server, Fetcher(settings) as fetcher:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        bench_polling(fetcher, server, base, args.feeds, args.entries)
        bench_pages(fetcher, server, base, args.pages)
        bench_refusal(fetcher, server, base)
    bench_warc(args.records)


if __name__ == "__main__":
    main()
