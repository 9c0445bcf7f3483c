"""Web archives (``.warc``, ``.warc.gz``; WARC/1.0 and 1.1, as CC-NEWS ships them).

Each HTML ``response`` record becomes an HTML document whose origin carries the record's
target URI, date and record id; every other record (requests, metadata, non-HTML responses,
redirects and errors) is skipped and counted in the log. A truncated or corrupt archive gives
one coded line (``E430``) saying how many records were read before the damage, and those
records are kept. Gzip (one member per record) is inflated before the reader sees the bytes
(``files.read_stream``), under the read's size and ratio caps.

FastWARC parses the records: in ``bench/feeds.py`` it reads 3.5 to 7 times as many records
per second as warcio over the same archive, and it raises on a damaged header where warcio skips
ahead silently, which is what lets the damage be reported. The HTTP head of each record is
parsed here, so that a record cut short (its block shorter than its ``Content-Length``) is
seen as the damage it is, not read as a short page.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterator
from datetime import UTC

from synoptic.errors import Problem
from synoptic.ingest.decode import decode
from synoptic.ingest.source import Source
from synoptic.ingest.stream import Input
from synoptic.model import RawDocument

Item = RawDocument | Problem

_log = logging.getLogger(__name__)
_HTML = (b"text/html", b"application/xhtml+xml")


class _Counted:
    """The input as FastWARC reads a Python stream: ``read`` and a ``tell`` it counts."""

    def __init__(self, inp: Input) -> None:
        self._inp = inp
        self._pos = 0

    def read(self, n: int = -1) -> bytes:
        data = self._inp.read(n)
        self._pos += len(data)
        return data

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = 0) -> int:
        # A forward-only stream: only "stay where you are" can be honoured.
        if (whence, offset) in ((0, self._pos), (1, 0)):
            return self._pos
        raise OSError("the input cannot seek")

    def close(self) -> None:
        pass  # the input belongs to the caller


class _Damaged(Exception):
    """The archive ends or breaks inside a record."""


def read_warc(inp: Input, source: Source) -> Iterator[Item]:
    """Yield an HTML document per HTML response record of a WARC file (see the module)."""
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    kept = skipped = 0
    try:
        for record in ArchiveIterator(_Counted(inp), parse_http=False, min_content_length=0):
            block = record.reader.read()
            if len(block) < record.content_length:
                raise _Damaged(f"record {record.record_id} is cut short")
            if record.record_type != WarcRecordType.response:
                skipped += 1
                continue
            item = _response(record, block, source)
            if item is None:
                skipped += 1
                continue
            kept += 1
            yield item
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as exc:
        # Damage shows as OSError (a bad header), EOFError or zlib.error (a cut gzip member),
        # or, from inside the Rust parser, a PanicException (a BaseException): all end the
        # archive with one line, keeping the records read.
        yield source.problem("E430", reason=_reason(exc), count=kept)
    if kept == 0 and skipped == 0:
        yield source.problem("E003")
    _log.info("%s: %d HTML responses read, %d other records skipped", source.name, kept, skipped)


def _response(record: object, block: bytes, source: Source) -> Item | None:
    """The document of one response record, or ``None`` when it is not an HTML page."""
    head, sep, body = block.partition(b"\r\n\r\n")
    if not sep:
        return None
    lines = head.split(b"\r\n")
    status = lines[0].split(b" ", 2)
    if len(status) < 2 or not status[0].startswith(b"HTTP/") or status[1] != b"200":
        return None
    headers = {}
    for line in lines[1:]:
        key, _, value = line.partition(b":")
        headers[key.strip().lower()] = value.strip()
    if not headers.get(b"content-type", b"").lower().startswith(_HTML):
        return None
    try:
        body = _unwrap(body, headers)
        text = decode(body, html=True)
    except Exception as exc:  # one bad record must not stop the archive
        return source.problem("E013", where=_uri(record) or source.name, reason=_reason(exc))
    if not text.strip():
        return None
    return _document(record, text, source)


def _document(record: object, text: str, source: Source) -> RawDocument:
    uri = _uri(record)
    date = getattr(record, "record_date", None)
    when = date.astimezone(UTC).isoformat(timespec="seconds") if date else None
    record_id = str(getattr(record, "record_id", "") or "") or None
    meta = {"url": uri} if uri else {}
    where = f"{source.name}#{record_id}" if record_id else source.name
    return source.document(
        text, "html", where=where, meta=meta, url=uri, fetched_at=when, record_id=record_id
    )


def _uri(record: object) -> str | None:
    headers = getattr(record, "headers", None)
    value = headers.get("WARC-Target-URI") if headers is not None else None
    return str(value).strip("<> ") if value else None


def _unwrap(body: bytes, headers: dict[bytes, bytes]) -> bytes:
    """Undo the transfer and content encodings a crawler stored as they came."""
    if b"chunked" in headers.get(b"transfer-encoding", b"").lower():
        body = _dechunk(body)
    encoding = headers.get(b"content-encoding", b"").lower()
    if encoding in (b"gzip", b"x-gzip", b"deflate"):
        body = zlib.decompressobj(32 + zlib.MAX_WBITS).decompress(body, 64 * 1024 * 1024)
    return body


def _dechunk(body: bytes) -> bytes:
    out = bytearray()
    rest = body
    while rest:
        size_line, sep, rest = rest.partition(b"\r\n")
        if not sep:
            break
        size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
        if size == 0:
            break
        out += rest[:size]
        rest = rest[size + 2 :]
    return bytes(out)


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]


read_warc.suffixes = (".warc",)  # type: ignore[attr-defined]
