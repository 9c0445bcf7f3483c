"""A small on-disk key/blob cache (SQLite), shared by the spaCy and embedding caches.

Costly work (a parse, an embedding) is kept by content hash in the run's cache directory
(``Settings.cache_dir``, else ``$SYNOPTIC_CACHE_DIR``, ``$XDG_CACHE_HOME/synoptic`` or
``~/.cache/synoptic``). A cache opens its file on first use and keeps that one connection until
``close``: a run holds one ``BlobCache`` per file (see ``synoptic.context.RunContext``), so it
holds one connection per cache. A broken or unwritable cache never fails a run: it reports
once (``on_error``, else a logged warning) and behaves as empty.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from synoptic.settings import default_cache_dir

log = logging.getLogger(__name__)

# SQLite's default limit on host parameters is well above this; chunks keep queries short.
_CHUNK = 500


def cache_dir() -> Path:
    """Return the folder analysis caches live in when the settings name none."""
    return default_cache_dir()


class BlobCache:
    """Blobs on disk keyed by text, in one SQLite table.

    Args:
        path: The SQLite file; ``None`` uses ``cache_dir() / default_name``.
        table: The table name (a fixed identifier of the caller, never user input).
        default_name: File name used when ``path`` is ``None``.
        on_error: Called once with a one-line reason when the cache turns itself off (the
            run context records it as a degraded mode); ``None`` logs a warning instead.
    """

    def __init__(
        self,
        path: Path | None,
        *,
        table: str,
        default_name: str,
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        self.path = path
        self.table = table
        self.default_name = default_name
        self.on_error = on_error
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._disabled = False
        self.connections = 0  # connections opened over the cache's life (tests count them)

    def _report(self, reason: str) -> None:
        if self.on_error is not None:
            self.on_error(reason)
        else:
            log.warning("%s", reason)

    def _connect(self) -> sqlite3.Connection | None:
        # Called with ``_lock`` held: two threads must not open two connections.
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
                self._report(f"{self.table} cache disabled ({path}): {exc}")
                self._disabled = True
                return None
            self._conn = conn
            self.connections += 1
        return self._conn

    def close(self) -> None:
        """Close the connection (a later use opens it again)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def get_many(self, keys: Sequence[str]) -> dict[str, bytes]:
        """Return the cached entries among ``keys``."""
        if not keys:
            return {}
        found: dict[str, bytes] = {}
        with self._lock:
            conn = self._connect()
            if conn is None:
                return {}
            try:
                for i in range(0, len(keys), _CHUNK):
                    chunk = list(keys[i : i + _CHUNK])
                    marks = ",".join("?" * len(chunk))
                    rows = conn.execute(
                        f"SELECT key, data FROM {self.table} WHERE key IN ({marks})", chunk
                    ).fetchall()
                    found.update((k, bytes(v)) for k, v in rows)
            except sqlite3.Error as exc:
                self._report(f"{self.table} cache read failed: {exc}")
        return found

    def put_many(self, items: Iterable[tuple[str, bytes]]) -> None:
        """Store entries, replacing any with the same key."""
        rows = list(items)
        if not rows:
            return
        with self._lock:
            conn = self._connect()
            if conn is None:
                return
            try:
                conn.executemany(
                    f"INSERT OR REPLACE INTO {self.table} (key, data) VALUES (?, ?)", rows
                )
                conn.commit()
            except sqlite3.Error as exc:
                self._report(f"{self.table} cache write failed: {exc}")
