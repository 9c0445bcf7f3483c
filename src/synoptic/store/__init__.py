"""The living story store: articles and stories kept in SQLite or PostgreSQL.

``Store`` opens (and migrates) a database; ``ingest_paths`` / ``Ingestor`` add articles one
transaction at a time, deduplicating them against the store and placing each in a story;
``Store.list_stories`` and ``Store.brief`` read stories and their cached briefs back.
"""

from synoptic.store.ingest import Ingestor, IngestResult, Placement, StoreSettings, ingest_paths
from synoptic.store.repository import Store, StorySummary, default_url

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
