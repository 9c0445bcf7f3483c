"""The input being read, as a reader sees it: its name, origin, limits and supplied metadata.

A reader (``synoptic.ingest.registry``) turns the bytes of one input into documents and
problems; it names them through ``Source`` so that every document carries the same printed
name (``path``, ``path:LINE``, ``path#INDEX``, ``path#DOCNO``) and the same ``Origin`` parts,
whichever reader made it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from synoptic.errors import InputError, Problem
from synoptic.ingest.clean import clean_string, clean_value, is_clean
from synoptic.ingest.options import ReadOptions
from synoptic.model import DocKind, Origin, RawDocument

_ORIGIN_TEXT = tuple(f.name for f in dataclasses.fields(Origin) if f.type in ("str", "str | None"))


@dataclass(frozen=True, slots=True)
class Source:
    """One input being read.

    Attributes:
        name: Its printed name (a path with undecodable bytes escaped, ``-``, ``request``...).
        origin: Where it came from; each document's ``Origin`` adds its own parts to it.
        group: The group its documents belong to (the parent folder for a file).
        options: The read's limits.
        meta: Metadata supplied with the input by the caller; a record's own fields win.
        named: Whether the user named it (a folder walk is quieter about what it meets).
    """

    name: str
    origin: Origin
    group: str
    options: ReadOptions = field(default_factory=ReadOptions)
    meta: Mapping[str, Any] = field(default_factory=dict)
    named: bool = True

    def problem(self, code: str, *, where: str | None = None, **fields: Any) -> Problem:
        """Return the ``Problem`` of ``code`` for this input (or for ``where`` inside it)."""
        return InputError(code, where or self.name, **fields).problem()

    def document(
        self,
        content: str,
        kind: DocKind,
        *,
        where: str | None = None,
        meta: Mapping[str, Any] | None = None,
        **parts: Any,
    ) -> RawDocument:
        """Return a document of this input.

        Args:
            content: Its decoded text or HTML.
            kind: ``text``, ``html`` or ``sgml``.
            where: Its printed name when it is one of several (``path:3``), else the input's.
            meta: Its own metadata (a JSON record's fields, cleaned by ``parse_json``), over
                the supplied metadata.
            **parts: ``Origin`` fields to set (``line``, ``index``, ``docno``, ``url``...).
        """
        merged = {**self.meta, **meta} if meta else dict(self.meta)
        origin = dataclasses.replace(self.origin, **parts) if parts else self.origin
        return RawDocument(
            source=where or self.name,
            content=clean_string(content),
            kind=kind,
            meta=merged,
            group=self.group,
            origin=origin,
        )


def clean_document(doc: RawDocument) -> RawDocument:
    """Return ``doc`` with every string safe for ids, databases and JSON (see ``clean``).

    Every document a reader yields passes here, built-in or plugged in; one that is already
    clean comes back as it is. ``meta`` is cleaned in place when it is a plain ``dict``.
    """
    changes: dict[str, Any] = {
        name: clean_string(value)
        for name in ("source", "content", "group")
        if isinstance(value := getattr(doc, name), str) and not is_clean(value)
    }
    meta = doc.meta if type(doc.meta) is dict else dict(doc.meta)
    clean_value(meta)
    if meta is not doc.meta:
        changes["meta"] = meta
    if doc.origin is not None and (origin := clean_origin(doc.origin)) is not doc.origin:
        changes["origin"] = origin
    return dataclasses.replace(doc, **changes) if changes else doc


def clean_origin(origin: Origin) -> Origin:
    """Return ``origin`` with its strings cleaned (itself when they already are)."""
    unsafe: dict[str, Any] = {
        name: clean_string(value)
        for name in _ORIGIN_TEXT
        if isinstance(value := getattr(origin, name), str) and not is_clean(value)
    }
    return dataclasses.replace(origin, **unsafe) if unsafe else origin
