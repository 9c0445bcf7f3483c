"""The readers, by format name: the built-ins and those other packages plug in.

A reader is a callable ``reader(inp, source)`` taking the bounded byte stream of one input
(``synoptic.ingest.stream.Input``: ``read()``, ``peek(n)``, ``lines()``; already gunzipped)
and its ``synoptic.ingest.source.Source``, and yielding ``RawDocument`` and ``Problem``
records; it names them through ``source.document(...)`` and ``source.problem(...)`` and never
raises for bad input. A reader may carry a ``suffixes`` attribute (``(".warc",)``): files with
those suffixes are then given to it.

Readers are declared as entry points of the group ``synoptic.readers`` (name = format)::

    [project.entry-points."synoptic.readers"]
    warc = "mypackage.warc:read_warc"

Synoptic declares its own built-ins the same way (``pyproject.toml``); they are also known
without the entry points, so a source checkout that was never installed still reads. A plugged
reader cannot replace a built-in one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from importlib.metadata import entry_points
from types import MappingProxyType

from synoptic.errors import Problem
from synoptic.ingest import readers, warc
from synoptic.ingest.source import Source
from synoptic.ingest.stream import Input
from synoptic.model import RawDocument

GROUP = "synoptic.readers"

Reader = Callable[[Input, Source], Iterable[RawDocument | Problem]]

BUILTIN: Mapping[str, Reader] = MappingProxyType(
    {
        "text": readers.read_text,
        "html": readers.read_html,
        "json": readers.read_json,
        "jsonl": readers.read_jsonl,
        "sgml": readers.read_sgml,
        "warc": warc.read_warc,
    }
)

_log = logging.getLogger(__name__)


@cache
def known_readers() -> Mapping[str, Reader]:
    """Return every reader by format name: the built-ins, then the plugged-in ones.

    An entry point that cannot be loaded is logged and left out; it never stops a read.
    """
    found: dict[str, Reader] = dict(BUILTIN)
    for point in entry_points(group=GROUP):
        if point.name in found:
            continue
        try:
            reader = point.load()
        except Exception as exc:  # a broken plugin must not stop reading the built-in formats
            _log.warning("reader %r could not be loaded: %s", point.name, exc)
            continue
        if callable(reader):
            found[point.name] = reader
    return MappingProxyType(found)


def suffixes() -> Mapping[str, str]:
    """Return the format of each suffix the plugged-in readers claim (``.warc`` -> ``warc``)."""
    claimed: dict[str, str] = {}
    for name, reader in known_readers().items():
        if name in BUILTIN:
            continue
        for suffix in getattr(reader, "suffixes", ()):
            claimed.setdefault(str(suffix).lower(), name)
    return claimed
