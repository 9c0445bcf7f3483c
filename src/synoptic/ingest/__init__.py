"""Ingest: turn paths (files, folders, ``-`` for stdin) or bytes into ``RawDocument`` records.

The only stage (with store and serve) that does I/O. Bad input never raises: each rejected
input is yielded as a ``Problem`` naming it and the reason, as soon as it is met, and reading
goes on. ``read_bytes`` is the seam for bytes from elsewhere (uploads, fetched pages, archive
records); readers of further formats plug in through the ``synoptic.readers`` entry points
(``synoptic.ingest.registry``).
"""

from synoptic.ingest.files import read_bytes, read_inputs
from synoptic.ingest.options import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_DEPTH,
    DEFAULT_MAX_RATIO,
    DEFAULT_MAX_RECORDS,
    ReadOptions,
)
from synoptic.ingest.registry import Reader, known_readers
from synoptic.ingest.source import Source

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_DEPTH",
    "DEFAULT_MAX_RATIO",
    "DEFAULT_MAX_RECORDS",
    "ReadOptions",
    "Reader",
    "Source",
    "known_readers",
    "read_bytes",
    "read_inputs",
]
