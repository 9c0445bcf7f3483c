"""Ingest: turn paths (files, folders, ``-`` for stdin) into ``RawDocument`` records.

The only stage (with store and serve) that does I/O. Bad input never raises: each rejected
input is yielded as a ``Problem`` naming it and the reason, and reading goes on.
"""

from synoptic.ingest.files import DEFAULT_MAX_BYTES, read_inputs

__all__ = ["DEFAULT_MAX_BYTES", "read_inputs"]
