"""Build small WARC files by hand for the tests (WARC/1.0 or 1.1, optionally gzip per record)."""

from __future__ import annotations

import gzip
import uuid


def record(
    kind: str,
    uri: str,
    block: bytes,
    *,
    version: str = "1.1",
    date: str = "2024-10-15T06:45:00Z",
    content_type: str = "application/http; msgtype=response",
) -> bytes:
    """One WARC record: head, block and the two CRLFs that end it."""
    head = (
        f"WARC/{version}\r\n"
        f"WARC-Type: {kind}\r\n"
        f"WARC-Record-ID: <urn:uuid:{uuid.uuid4()}>\r\n"
        f"WARC-Date: {date}\r\n"
        f"WARC-Target-URI: {uri}\r\n"
        f"Content-Type: {content_type}\r\n"
        f"Content-Length: {len(block)}\r\n\r\n"
    ).encode()
    return head + block + b"\r\n\r\n"


def response(uri: str, html: bytes, *, ctype: str = "text/html; charset=utf-8", **kw: str) -> bytes:
    """A response record of an HTTP 200 carrying ``html``."""
    http = (
        f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {len(html)}\r\n\r\n"
    ).encode()
    return record("response", uri, http + html, **kw)


def request(uri: str) -> bytes:
    """A request record (skipped by the reader)."""
    http = b"GET / HTTP/1.1\r\nHost: news.test\r\n\r\n"
    return record("request", uri, http, content_type="application/http; msgtype=request")


def gz(records: list[bytes]) -> bytes:
    """The records as a .warc.gz: one gzip member per record."""
    return b"".join(gzip.compress(r) for r in records)
