"""Keep a store's data safe: check it (``verify``), copy it (``backup``) and put it back
(``restore``), and find the briefs left stale (``stale_briefs``).

* ``verify`` reads the whole store and reports what is wrong: SQLite's own
  ``PRAGMA integrity_check`` and ``foreign_key_check``, then the store's rules
  (``Store.verify``: every article in an existing story, copies beside their original, counts,
  time spans, members hashes and ids that match the members, postings for every article), and
  lists the stories whose cached brief is stale (not an error: ``show`` or the next
  ``ingest`` rebuilds them, but a reader should know).
* ``backup`` uses SQLite's online backup API in one step: it reads one consistent snapshot
  while writers go on (WAL mode: a reader never blocks them), writes it beside the target and
  renames it into place only once it is complete and passes ``integrity_check``, so a crash
  never leaves a half-written backup under the target's name.
* ``restore`` checks that the file is a sound Synoptic SQLite database no newer than this
  version, then copies it over the store with the same API and brings the schema up to date.

PostgreSQL has better tools of its own for both (consistent dumps of a live database,
point-in-time recovery): ``backup`` and ``restore`` raise a coded error giving the exact
``pg_dump`` / ``pg_restore`` command for the store.
"""

from __future__ import annotations

import os
import re
import shlex
import sqlite3
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from synoptic.errors import SynopticError
from synoptic.model import Record
from synoptic.store.repository import Store
from synoptic.store.schema import ArticleRow, StoryRow

_TABLES = frozenset({"articles", "stories", "term_postings", "dedup_postings", "alembic_version"})


@dataclass(frozen=True, slots=True)
class VerifyReport(Record):
    """What ``verify`` found.

    Attributes:
        database: ``sqlite`` or ``postgresql``.
        articles: Articles stored.
        copies: Of them, copies of another stored article.
        stories: Stories stored.
        stale_briefs: Stories whose cached brief is missing or older than their members.
        problems: Every inconsistency found, one line each (empty: the store is sound).
    """

    database: str
    articles: int
    copies: int
    stories: int
    stale_briefs: tuple[str, ...]
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """Whether no inconsistency was found (stale briefs are not one)."""
        return not self.problems


@dataclass(frozen=True, slots=True)
class BackupReport(Record):
    """A backup written (or a store restored): where, its size and what it holds."""

    path: str
    bytes: int
    articles: int
    stories: int


def stale_briefs(store: Store) -> list[str]:
    """Return the ids of the stories whose cached brief is missing or stale, in id order.

    A brief is fresh when it was built from the story's current members by this version
    (``Store.brief_is_fresh``); only the keys are read, never the briefs themselves.
    """
    stmt = select(
        StoryRow.id, StoryRow.members_key, StoryRow.brief_key, StoryRow.brief.is_(None)
    ).order_by(StoryRow.id)
    stale: list[str] = []
    with store.session(readonly=True) as s:
        for story_id, members_key, brief_key, missing in s.execute(stmt):
            row = StoryRow(id=story_id, members_key=members_key)
            if missing or brief_key != Store.brief_key(row):
                stale.append(story_id)
    return stale


def _integrity(store: Store) -> list[str]:
    """SQLite's own checks of the file: page structure, indexes, declared foreign keys."""
    if store.dialect != "sqlite":
        return []
    found: list[str] = []
    with store.engine.connect() as conn:
        for pragma in ("integrity_check", "foreign_key_check"):
            try:
                rows = conn.exec_driver_sql(f"PRAGMA {pragma}").fetchall()
            except SQLAlchemyError as exc:  # so damaged that the check itself fails
                found.append(f"{pragma}: {_first_line(exc)}")
                continue
            if pragma == "integrity_check" and [str(r[0]) for r in rows] != ["ok"]:
                found.extend(f"integrity_check: {r[0]}" for r in rows[:20])
            elif pragma == "foreign_key_check":
                found.extend(f"foreign_key_check: {r[0]} row {r[1]} -> no {r[2]}" for r in rows)
    return found


def _first_line(exc: SQLAlchemyError) -> str:
    return str(getattr(exc, "orig", None) or exc).splitlines()[0]


def verify(store: Store) -> VerifyReport:
    """Check a store from the file up to its story rules; see the module docstring.

    Args:
        store: The open store.

    Returns:
        The counts, the stale briefs and every problem found.
    """
    problems = _integrity(store)
    articles = copies = stories = 0
    stale: list[str] = []
    try:
        problems.extend(store.verify())
        with store.session(readonly=True) as s:
            articles = _count(s, ArticleRow)
            copies = _count(s, ArticleRow, ArticleRow.duplicate_of.is_not(None))
            stories = _count(s, StoryRow)
        stale = stale_briefs(store)
    except SQLAlchemyError as exc:
        # A damaged file can fail the rule checks themselves: report it, do not raise.
        problems.append(f"cannot read the store: {_first_line(exc)}")
    return VerifyReport(store.dialect, articles, copies, stories, tuple(stale), tuple(problems))


def _count(s: Session, table: Any, *where: Any) -> int:
    return int(s.scalar(select(func.count()).select_from(table).where(*where)) or 0)


def _libpq(store: Store) -> tuple[str, str | None]:
    """Return the store's database as a libpq URL (no password) and its schema, if any."""
    url = make_url(store.url)
    schema = store.schema
    if schema is None:
        # The CLI's form of a schema: ?options=-csearch_path%3D<schema>
        options = url.query.get("options", ())
        for option in (options,) if isinstance(options, str) else options:
            found = re.search(r"search_path=([^\s,]+)", option)
            schema = found.group(1) if found else schema
    host = url.host or "localhost"
    port = f":{url.port}" if url.port else ""
    user = f"{url.username}@" if url.username else ""
    return f"postgresql://{user}{host}{port}/{url.database or ''}", schema


def pg_dump_command(store: Store, file: str | os.PathLike[str]) -> str:
    """Return the ``pg_dump`` command that backs up a PostgreSQL store to ``file``."""
    dsn, schema = _libpq(store)
    parts = ["pg_dump", "--format=custom", f"--file={os.fspath(file)}"]
    if schema:
        parts.append(f"--schema={schema}")
    return shlex.join([*parts, dsn])


def pg_restore_command(store: Store, file: str | os.PathLike[str]) -> str:
    """Return the ``pg_restore`` command that restores ``file`` into a PostgreSQL store."""
    dsn, _ = _libpq(store)
    return shlex.join(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", f"--dbname={dsn}", os.fspath(file)]
    )


def _counts(conn: sqlite3.Connection) -> tuple[int, int]:
    articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    stories = conn.execute("SELECT count(*) FROM stories").fetchone()[0]
    return int(articles), int(stories)


def _raw(conn: Any) -> sqlite3.Connection:
    raw = conn.connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def backup(store: Store, file: str | os.PathLike[str]) -> BackupReport:
    """Copy a SQLite store to ``file`` while it stays in use (SQLite's online backup API).

    Args:
        store: The open store.
        file: Where the backup goes (replaced if it exists, only once the copy is complete).

    Returns:
        The backup's path, size and counts.

    Raises:
        SynopticError: ``E250`` for a PostgreSQL store (with the ``pg_dump`` command to use);
            ``E254`` when the file cannot be written or the copy fails its integrity check.
    """
    target = Path(file)
    if store.dialect != "sqlite":
        raise SynopticError("E250", command=pg_dump_command(store, target))
    partial = target.with_name(f".{target.name}.partial")
    try:
        partial.unlink(missing_ok=True)
        dest = sqlite3.connect(partial)
        try:
            with store.engine.connect() as conn:
                # One step (pages=-1): one read snapshot, so the copy is one consistent state.
                _raw(conn).backup(dest, pages=-1)
            dest.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            check = [str(r[0]) for r in dest.execute("PRAGMA integrity_check").fetchall()]
            if check != ["ok"]:
                raise SynopticError("E254", path=str(target), reason="; ".join(check[:3]))
            articles, stories = _counts(dest)
        finally:
            dest.close()
        with open(partial, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as exc:
        partial.unlink(missing_ok=True)
        raise SynopticError(
            "E254", path=str(target), reason=str(exc) or type(exc).__name__
        ) from exc
    return BackupReport(str(target), target.stat().st_size, articles, stories)


def _check_backup(path: Path) -> sqlite3.Connection:
    """Open ``path`` read-only and make sure it is a sound Synoptic SQLite database."""
    if not path.is_file():
        raise SynopticError("E252", path=str(path), reason="no such file")
    try:
        src = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        tables = {r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.Error as exc:
        raise SynopticError("E252", path=str(path), reason=str(exc)) from exc
    missing = sorted(_TABLES - tables)
    reason = None
    if missing:
        reason = f"no {', '.join(missing)} table"
    else:
        check = [str(r[0]) for r in src.execute("PRAGMA integrity_check").fetchall()]
        if check != ["ok"]:
            reason = "integrity check failed: " + "; ".join(check[:3])
        else:
            version = src.execute("SELECT version_num FROM alembic_version").fetchone()
            if version is None or not _known_revision(str(version[0])):
                reason = f"made by a newer Synoptic (schema {version and version[0]})"
    if reason is not None:
        src.close()
        raise SynopticError("E252", path=str(path), reason=reason)
    return src


def _known_revision(revision: str) -> bool:
    """Whether ``revision`` is one of this version's migrations (not a newer one)."""
    from alembic.script import ScriptDirectory
    from alembic.util.exc import CommandError

    location = resources.files("synoptic.store") / "migrations"
    try:
        return ScriptDirectory(str(location)).get_revision(revision) is not None
    except CommandError:
        return False


def restore(file: str | os.PathLike[str], store: Store, *, replace: bool = False) -> BackupReport:
    """Replace a SQLite store's content with a backup made by ``backup``.

    Args:
        file: The backup.
        store: The open store to restore into.
        replace: Allow replacing a store that already holds articles.

    Returns:
        The backup's path, size and the restored counts.

    Raises:
        SynopticError: ``E251`` for a PostgreSQL store (with the ``pg_restore`` command);
            ``E252`` when the file is not a sound Synoptic backup; ``E253`` when the store
            holds articles and ``replace`` is not set.
    """
    path = Path(file)
    if store.dialect != "sqlite":
        raise SynopticError("E251", command=pg_restore_command(store, path))
    src = _check_backup(path)
    try:
        held = store.count_articles()
        if held and not replace:
            raise SynopticError("E253", articles=held)
        with store.engine.connect() as conn:
            src.backup(_raw(conn), pages=-1)
    finally:
        src.close()
    store.migrate()  # a backup of an older version comes up to date
    with store.session(readonly=True) as s:
        articles, stories = _count(s, ArticleRow), _count(s, StoryRow)
    return BackupReport(str(path), path.stat().st_size, articles, stories)


__all__ = [
    "BackupReport",
    "VerifyReport",
    "backup",
    "pg_dump_command",
    "pg_restore_command",
    "restore",
    "stale_briefs",
    "verify",
]
