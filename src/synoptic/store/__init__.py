"""The living story store: articles and stories kept in SQLite or PostgreSQL.

``Store`` opens (and migrates) a database; ``ingest_paths`` / ``Ingestor`` add articles,
deduplicating them against the store and placing each in a story; ``Store.list_stories`` and
``Store.brief`` read stories and their cached briefs back.

The names are imported on first use (PEP 562): ``synoptic stories`` needs ``Store`` but not the
ingest path, which pulls in the readers, the extractor (trafilatura) and the fetcher (httpx).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from synoptic.store.ingest import (
        Ingestor,
        IngestResult,
        Placement,
        StoreSettings,
        ingest_paths,
    )
    from synoptic.store.repository import Store, StorySummary, default_url

_WHERE = {
    "IngestResult": "synoptic.store.ingest",
    "Ingestor": "synoptic.store.ingest",
    "Placement": "synoptic.store.ingest",
    "StoreSettings": "synoptic.store.ingest",
    "ingest_paths": "synoptic.store.ingest",
    "Store": "synoptic.store.repository",
    "StorySummary": "synoptic.store.repository",
    "default_url": "synoptic.store.repository",
}

__all__ = [
    "IngestResult",
    "Ingestor",
    "Placement",
    "Store",
    "StoreSettings",
    "StorySummary",
    "default_url",
    "ingest_paths",
]


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(where), name)
    globals()[name] = value  # later look-ups skip this function
    return value
