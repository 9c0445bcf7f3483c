"""A forward-only byte stream with look-ahead, bounded in size and compression ratio."""

from __future__ import annotations

import gzip
import io
import re
from collections.abc import Iterator
from typing import IO

from synoptic.ingest.options import RATIO_FLOOR

_CHUNK = 64 * 1024
# Most compressed bytes handed to a decompressor at once (``Input.step``).
GZIP_STEP = 4 * 1024
_NON_SPACE = re.compile(rb"\S")


class TooLarge(Exception):
    """More bytes came from an input than its limit allows."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


class TooCompressed(Exception):
    """A compressed input inflates past the ratio allowed (a compression bomb)."""

    def __init__(self, ratio: int, size: int) -> None:
        super().__init__(ratio, size)
        self.ratio = ratio
        self.size = size


class Input:
    """A byte stream read in chunks, with look-ahead, counted against a size limit.

    Raises ``TooLarge`` as soon as more than ``limit`` bytes have come from the underlying
    stream, so neither standard input nor a gzip bomb is ever read past the limit. An input
    that inflates ``packed`` (the compressed stream it reads through) raises ``TooCompressed``
    once it has inflated more than ``RATIO_FLOOR`` bytes at more than ``max_ratio`` to 1.
    """

    def __init__(
        self,
        raw: IO[bytes] | gzip.GzipFile,
        limit: int,
        *,
        packed: Input | None = None,
        max_ratio: int = 0,
    ) -> None:
        # ``read1`` returns what one underlying read gives: a pipe is not waited on to fill a
        # whole chunk, and a truncated gzip still hands over what it inflated before the break.
        self._read = getattr(raw, "read1", raw.read)
        self._limit = limit
        self._count = 0
        self._buf = bytearray()
        self._eof = False
        self._packed = packed
        self._max_ratio = max_ratio
        # Most bytes one ``read`` hands over (0: as asked). A compressed input hands its
        # decompressor small steps, so what it has taken (``handed``) is what it has inflated
        # from, give or take a step: gzip read 128 KB ahead, the whole of a small bomb, and the
        # ratio looked a twentieth of what it was.
        self.step = 0

    def _fill(self) -> bool:
        if self._eof:
            return False
        chunk = self._read(_CHUNK)
        if not chunk:
            self._eof = True
            return False
        self._count += len(chunk)
        if self._count > self._limit:
            raise TooLarge(self._count)
        if self._packed is not None and self._count > RATIO_FLOOR:
            # What the decompressor took includes one step read ahead, so the ratio is, if
            # anything, underestimated: a real input is never refused for it.
            ratio = self._count // max(self._packed.handed, 1)
            if ratio > self._max_ratio:
                raise TooCompressed(ratio, self._count)
        self._buf += chunk
        return True

    @property
    def count(self) -> int:
        """How many bytes have come from the underlying stream so far."""
        return self._count

    @property
    def handed(self) -> int:
        """How many bytes ``read`` has handed over so far."""
        return self._count - len(self._buf)

    def peek(self, n: int) -> bytes:
        """Return up to ``n`` bytes without consuming them."""
        while len(self._buf) < n and self._fill():
            pass
        return bytes(self._buf[:n])

    def peek_first_line(self) -> tuple[bytes, bool]:
        """Return the first non-blank line (not consumed) and whether anything follows it."""
        while True:
            first = _NON_SPACE.search(self._buf)
            if first:
                break
            if not self._fill():
                return b"", False
        start = scanned = first.start()
        while (end := self._buf.find(b"\n", scanned)) < 0:
            scanned = len(self._buf)
            if not self._fill():
                return bytes(self._buf[start:]).rstrip(), False
        while not _NON_SPACE.search(self._buf, end + 1):
            if not self._fill():
                return bytes(self._buf[start:end]).rstrip(), False
        return bytes(self._buf[start:end]).rstrip(), True

    def read(self, n: int = -1) -> bytes:
        """Read ``n`` bytes (all remaining when negative); this is what gzip reads through."""
        if n < 0:
            while self._fill():
                pass
            n = len(self._buf)
        elif not self._buf:
            self._fill()
        if self.step and n > self.step:
            n = self.step
        data = bytes(self._buf[:n])
        del self._buf[:n]
        return data

    def seek(self, offset: int, whence: int = 0) -> int:
        """Refuse: the input may be a pipe, so it is only ever read forward."""
        raise io.UnsupportedOperation("seek")

    def lines(self) -> Iterator[bytes]:
        """Yield lines (without the newline) as they arrive, holding one line at a time."""
        scanned = 0
        while True:
            end = self._buf.find(b"\n", scanned)
            if end >= 0:
                line = bytes(self._buf[:end])
                del self._buf[: end + 1]
                scanned = 0
                yield line
                continue
            scanned = len(self._buf)
            if not self._fill():
                if self._buf:
                    yield bytes(self._buf)
                    self._buf.clear()
                return
