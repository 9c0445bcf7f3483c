"""A small on-disk key/blob cache (SQLite), shared by the spaCy and embedding caches.

Costly work (a parse, an embedding) is kept by content hash in the user's cache directory
(``$SYNOPTIC_CACHE_DIR``, else ``$XDG_CACHE_HOME/synoptic`` or ``~/.cache/synoptic``). A broken
or unwritable cache never fails a run: it logs once and behaves as empty.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

log = logging.getLogger(__name__)

# SQLite's default limit on host parameters is well above this; chunks keep queries short.
_CHUNK = 500


def cache_dir() -> Path:
    """Return the folder analysis caches live in."""
    root = os.environ.get("SYNOPTIC_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "synoptic"
    )
    return Path(root)


class BlobCache:
    """Blobs on disk keyed by text, in one SQLite table.

    Args:
        path: The SQLite file; ``None`` uses ``cache_dir() / default_name``.
        table: The table name (a fixed identifier of the caller, never user input).
        default_name: File name used when ``path`` is ``None``.
    """

    def __init__(self, path: Path | None, *, table: str, default_name: str) -> None:
        self.path = path
        self.table = table
        self.default_name = default_name
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._disabled = False

    def _connect(self) -> sqlite3.Connection | None:
        if self._disabled:
            return None
        if self._conn is None:
            path = self.path or cache_dir() / self.default_name
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(path, timeout=30, check_same_thread=False)
                conn.execute(
                    f"CREATE TABLE IF NOT EXISTS {self.table}"
                    " (key TEXT PRIMARY KEY, data BLOB NOT NULL)"
                )
                conn.commit()
            except (OSError, sqlite3.Error) as exc:
                log.warning("%s cache disabled (%s): %s", self.table, path, exc)
                self._disabled = True
                return None
            self._conn = conn
        return self._conn

    def get_many(self, keys: Sequence[str]) -> dict[str, bytes]:
        """Return the cached entries among ``keys``."""
        conn = self._connect()
        if conn is None or not keys:
            return {}
        found: dict[str, bytes] = {}
        with self._lock:
            try:
                for i in range(0, len(keys), _CHUNK):
                    chunk = list(keys[i : i + _CHUNK])
                    marks = ",".join("?" * len(chunk))
                    rows = conn.execute(
                        f"SELECT key, data FROM {self.table} WHERE key IN ({marks})", chunk
                    ).fetchall()
                    found.update((k, bytes(v)) for k, v in rows)
            except sqlite3.Error as exc:
                log.warning("%s cache read failed: %s", self.table, exc)
        return found

    def put_many(self, items: Iterable[tuple[str, bytes]]) -> None:
        """Store entries, replacing any with the same key."""
        conn = self._connect()
        if conn is None:
            return
        rows = list(items)
        with self._lock:
            try:
                conn.executemany(
                    f"INSERT OR REPLACE INTO {self.table} (key, data) VALUES (?, ?)", rows
                )
                conn.commit()
            except sqlite3.Error as exc:
                log.warning("%s cache write failed: %s", self.table, exc)
