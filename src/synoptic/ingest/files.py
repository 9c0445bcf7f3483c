"""Files, folders, gzip, JSON and JSON lines, and standard input."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import BinaryIO

from synoptic.errors import Problem
from synoptic.model import RawDocument

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def read_inputs(
    paths: Sequence[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: BinaryIO | None = None,
) -> Iterator[RawDocument | Problem]:
    """Yield a ``RawDocument`` per readable input and a ``Problem`` per rejected one."""
    raise NotImplementedError
