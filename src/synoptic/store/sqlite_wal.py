"""SQLite's write-ahead log, switched on for every connection a store opens.

WAL lets readers see a snapshot while one writer commits, and a killed process loses no
committed transaction; the switch is the one statement of a connection's setup that SQLite does
not let wait for a lock, so it waits here.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

# How long a statement waits for another connection's lock before "database is locked".
BUSY_SECONDS = 30.0


def use_wal(cur: Any) -> None:
    """Switch the database to WAL, waiting (as any statement does) for a writer holding its lock.

    SQLite refuses a change of journal mode that meets another connection's write lock at once,
    with "database is locked" and without calling the busy handler. A file not yet in WAL (a
    store made by another tool, or a fresh file another process is creating) that someone is
    writing then failed our open (``E202``), where every other statement waits up to the busy
    timeout: retried here, with back-off, for as long. Once a file is in WAL (a setting kept
    in the file) the statement needs no lock and returns at once.
    """
    deadline = time.monotonic() + BUSY_SECONDS
    pause = 0.01
    while True:
        try:
            cur.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            busy = exc.sqlite_errorcode in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
            if not busy or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.5)


__all__ = ["BUSY_SECONDS", "use_wal"]
