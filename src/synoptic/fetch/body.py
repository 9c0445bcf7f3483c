"""Read a response body in pieces, inflating it ourselves, and stop at the size cap.

httpx would inflate each compressed chunk whole, so one 64 KB chunk of a gzip bomb could
become 64 MB in memory before anything counts it. Here the raw bytes are inflated with a
bounded output size per step, counted as they come, and reading stops as soon as the inflated
body passes ``max_bytes``: the memory held never exceeds the cap plus one step.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable

# Inflated bytes produced per decompression step.
_STEP = 64 * 1024


class BodyTooLarge(Exception):
    """The body inflated past the cap."""


class BadEncoding(Exception):
    """The body is not valid data of its declared ``Content-Encoding``."""


def _inflater(encoding: str) -> zlib._Decompress | None:
    """A decompressor for a ``Content-Encoding`` value; ``None`` for identity."""
    name = encoding.strip().lower()
    if name in ("", "identity"):
        return None
    if name in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if name == "deflate":
        # Servers send "deflate" both as zlib and as raw deflate; 32+ accepts zlib or gzip.
        return zlib.decompressobj(32 + zlib.MAX_WBITS)
    raise BadEncoding(f"unsupported content encoding {encoding!r}")


def read_body(chunks: Iterable[bytes], encoding: str, max_bytes: int) -> bytes:
    """Return the inflated body from raw ``chunks``, refusing more than ``max_bytes``.

    Raises:
        BodyTooLarge: once more than ``max_bytes`` inflated bytes have come.
        BadEncoding: for an unknown encoding or corrupt compressed data.
    """
    inflater = _inflater(encoding)
    out = bytearray()
    for chunk in chunks:
        if inflater is None:
            out += chunk
        else:
            _inflate_into(inflater, chunk, out, max_bytes)
        if len(out) > max_bytes:
            raise BodyTooLarge()
    if inflater is not None:
        try:
            out += inflater.flush()
        except zlib.error as exc:
            raise BadEncoding(str(exc)) from exc
        if len(out) > max_bytes:
            raise BodyTooLarge()
    return bytes(out)


def _inflate_into(inflater: zlib._Decompress, chunk: bytes, out: bytearray, limit: int) -> None:
    data = chunk
    try:
        while data:
            if inflater.eof:
                return  # bytes after the end of the stream are ignored, as browsers do
            out += inflater.decompress(data, _STEP)
            if len(out) > limit:
                raise BodyTooLarge()
            data = inflater.unconsumed_tail
    except zlib.error as exc:
        raise BadEncoding(str(exc)) from exc
