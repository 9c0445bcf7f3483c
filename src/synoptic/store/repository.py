"""Open a store, migrate it, and read and write its rows.

``Store`` owns the SQLAlchemy engine: SQLite by default (a file in the user's data directory),
PostgreSQL by URL. Opening a store brings its schema up to date with the Alembic migrations
shipped in the package, run in code (no ``alembic.ini``). The functions below it are the only
SQL the rest of the package runs: row <-> ``Article`` conversion, story listing and look-up, the
story aggregates, the cached brief, and the consistency check the crash tests rely on.

SQLite runs in WAL mode with ``synchronous=NORMAL``: a killed process loses no committed
transaction (only a power cut can lose the last few), and readers never block the writer.
Every write transaction starts with ``BEGIN IMMEDIATE`` so two writers queue on the lock
instead of failing half-way; a read-only session (``session(readonly=True)``) starts a deferred
transaction instead, which in WAL mode reads a snapshot without taking or waiting for the lock.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Connection,
    Engine,
    create_engine,
    delete,
    event,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from synoptic import __version__
from synoptic.context import RunContext
from synoptic.errors import ErrorPolicy, Problem
from synoptic.model import Article, Brief
from synoptic.settings import SUMMARY_WORDS
from synoptic.store.analyses import keep_new, known_analyses
from synoptic.store.index import iso_of
from synoptic.store.listing import StoryFilter, select_page
from synoptic.store.revisions import brief_as_of, record_revision, revisions
from synoptic.store.revisions import resolve as resolve_redirect
from synoptic.store.schema import ArticleRow, Base, StoryRow
from synoptic.store.sqlite_wal import BUSY_SECONDS, use_wal
from synoptic.stories.identity import page_key
from synoptic.stories.ids import story_id_for

if TYPE_CHECKING:  # the analysis stack (spaCy) loads only when a brief is built
    from synoptic.analyze.record import AnalyzedArticle

ENV_DB = "SYNOPTIC_DB"
# Bump when the brief a story caches changes shape or content for the same members.
BRIEF_CACHE_VERSION = "4"  # 4: fact support needs the same event's anchors
# 3: a brief lists its copies (Brief.copies)
# 2: a quote cites only the outlets of its main wording
# Only briefs of the default length are cached in the story row.
DEFAULT_SUMMARY_WORDS = SUMMARY_WORDS


def default_url() -> str:
    """Return ``$SYNOPTIC_DB``, else SQLite in ``$XDG_DATA_HOME/synoptic`` (``~/.local/share``)."""
    env = os.environ.get(ENV_DB)
    if env:
        return env
    root = os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share")
    return f"sqlite:///{Path(root) / 'synoptic' / 'synoptic.db'}"


_READONLY = "synoptic_readonly"


def _sqlite_setup(engine: Engine) -> None:
    """Give every SQLite connection WAL, a busy timeout and explicit transactions.

    pysqlite's own transaction handling starts transactions late and never for DDL; the
    SQLAlchemy-documented fix is to turn it off and emit BEGIN ourselves.
    """

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")
        use_wal(cur)
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # A reader that took the write lock would queue behind every ingest transaction (and
        # every other reader) for nothing: WAL gives it a consistent snapshot without it.
        readonly = conn.get_execution_options().get(_READONLY, False)
        conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")


_REVISION = re.compile(r"^(down_)?revision\b[^=]*=\s*['\"]?([\w.-]+|None)['\"]?", re.MULTILINE)


@functools.cache
def head_revision() -> str | None:
    """The newest migration shipped: the revision no other migration names as its parent.

    Read from the migration files' ``revision`` / ``down_revision`` lines, so that opening an
    up-to-date store does not import alembic (a third of ``synoptic stories``' start-up). ``None``
    when the files do not give exactly one head (alembic then decides).
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (resources.files("synoptic.store") / "migrations" / "versions").iterdir():
        if not path.name.endswith(".py"):
            continue
        for down, value in _REVISION.findall(path.read_text(encoding="utf-8")):
            (parents if down else revisions).add(value)
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _stamped(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def upgrade(connection: Connection) -> None:
    """Bring the schema on ``connection`` to the newest migration (inside its transaction)."""
    head = head_revision()
    if head is not None and _stamped(connection) == head:
        return  # up to date: alembic would find nothing to run
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    script_location = resources.files("synoptic.store") / "migrations"
    cfg.set_main_option("script_location", str(script_location))
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, "head")


class Store:
    """A story store: an engine plus the schema brought up to date.

    Args:
        url: SQLAlchemy URL (``sqlite:///path``, ``postgresql+psycopg://user@host/db``);
            ``None`` uses ``default_url()``.
        schema: PostgreSQL only: keep every table in this schema (created if missing), for
            example to isolate test runs.
        migrate: Run the migrations on open (the default).
        context: The run context briefs are built with (models, caches, summary length); the
            CLI and the server pass theirs. ``None``: a context with default settings, closed
            with the store.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        schema: str | None = None,
        migrate: bool = True,
        context: RunContext | None = None,
    ):
        self._owns_context = context is None
        # Keep a revision each time a story's brief changes (``store.revisions``).
        self.keep_revisions = True
        self.context = context if context is not None else RunContext()
        self.url = url or default_url()
        parsed = make_url(self.url)
        self.dialect = parsed.get_backend_name()
        self.schema = schema
        kwargs: dict[str, Any] = {}
        if self.dialect == "sqlite":
            db = parsed.database
            if db and db != ":memory:" and not db.startswith("file:"):
                Path(db).expanduser().parent.mkdir(parents=True, exist_ok=True)
            else:
                kwargs["poolclass"] = StaticPool
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": BUSY_SECONDS}
        elif schema:
            kwargs["connect_args"] = {"options": f"-csearch_path={schema}"}
        self.engine = create_engine(self.url, **kwargs)
        if self.dialect == "sqlite":
            _sqlite_setup(self.engine)
        # Shares the engine's pool; only marks its connections' transactions as reads.
        self._read_engine = self.engine.execution_options(**{_READONLY: True})
        if migrate:
            self.migrate()

    def migrate(self) -> None:
        """Create the schema (PostgreSQL) and run pending migrations, one process at a time."""
        with self.engine.begin() as conn:
            if self.dialect == "postgresql":
                if self.schema:
                    conn.exec_driver_sql(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"')
                # Two processes opening a fresh database must not both create the tables.
                conn.execute(text("SELECT pg_advisory_xact_lock(7351746)"))
            upgrade(conn)

    @contextmanager
    def session(self, *, readonly: bool = False) -> Iterator[Session]:
        """Yield a session inside one transaction, committed on success, rolled back on error.

        Args:
            readonly: The transaction only reads. On SQLite it then neither takes nor waits for
                the write lock, and sees the last committed state as of its first read.
        """
        engine = self._read_engine if readonly else self.engine
        with Session(engine, expire_on_commit=False) as session, session.begin():
            yield session

    def close(self) -> None:
        """Release the engine's connections (and the context's caches, if the store made it)."""
        self.engine.dispose()
        if self._owns_context:
            self.context.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading ---------------------------------------------------------------------------

    def count_articles(self) -> int:
        """Return how many articles the store holds."""
        with self.session(readonly=True) as s:
            return int(s.scalar(select(func.count()).select_from(ArticleRow)) or 0)

    def list_stories(
        self,
        *,
        since: float | None = None,
        query: str | None = None,
        min_outlets: int = 0,
    ) -> list[StorySummary]:
        """Return every story matching the filters, latest first (undated ones last).

        The same listing as the API's (``stories_page``), without pages.

        Args:
            since: Only stories last seen at or after these epoch seconds.
            query: Only stories whose headline or a member's title contains this text
                (case-insensitive, matched literally: ``%`` is not a wildcard).
            min_outlets: Only stories carried by at least this many outlets.
        """
        flt = StoryFilter(since=since, query=query, min_outlets=min_outlets)
        return self.stories_page(flt, limit=None).stories

    def stories_page(
        self,
        flt: StoryFilter,
        *,
        limit: int | None,
        offset: int = 0,
        cursor: str | None = None,
    ) -> StoryPage:
        """Return one page of the stories matching ``flt`` (see ``store.listing``).

        Args:
            flt: The filters.
            limit: Stories per page; ``None``: all of them.
            offset: Stories to skip (ignored when ``cursor`` is given).
            cursor: A ``next_cursor`` from an earlier page.

        Raises:
            BadCursor: ``cursor`` is not one the listing made.
        """
        with self.session(readonly=True) as s:
            page = select_page(s, flt, limit=limit, offset=offset, cursor=cursor)
            # ``brief_is_fresh`` would load the deferred brief; the key alone decides, since
            # the store writes the brief and its key together.
            stories = [
                StorySummary.of(
                    row, row.brief_key is not None and row.brief_key == self.brief_key(row)
                )
                for row in page.rows
            ]
        return StoryPage(
            stories=stories,
            total=page.total,
            limit=limit,
            offset=None if cursor is not None else offset,
            next_cursor=page.next_cursor,
        )

    def resolve(self, prefix: str) -> list[str]:
        """Return the ids of the stories whose id starts with ``prefix`` (at most two)."""
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = (
            select(StoryRow.id)
            .where(StoryRow.id.like(escaped + "%", escape="\\"))
            .order_by(StoryRow.id)
            .limit(2)
        )
        with self.session(readonly=True) as s:
            exact = s.get(StoryRow, prefix)
            if exact is not None:
                return [exact.id]
            found = list(s.scalars(stmt))
            # A story id merged away answers with the story it went into.
            merged = None if found else resolve_redirect(s, prefix)
            return [merged] if merged else found

    def redirect(self, story_id: str) -> str | None:
        """Return the story a merged-away ``story_id`` went into (``None``: not merged away)."""
        with self.session(readonly=True) as s:
            if s.get(StoryRow, story_id) is not None:
                return None
            return resolve_redirect(s, story_id)

    def changes(self, story_id: str, since: float | None = None) -> list[dict[str, Any]]:
        """Return the story's revisions after ``since`` (epoch seconds), oldest first."""
        with self.session(readonly=True) as s:
            return revisions(s, story_id, since)

    def brief_as_of(self, story_id: str, when: float) -> Brief | None:
        """Return the story's brief as it stood at ``when`` (epoch seconds), from the brief its
        last revision by then kept; ``None`` when no brief was kept by then."""
        with self.session(readonly=True) as s:
            found = brief_as_of(s, story_id, when)
        return None if found is None else Brief.from_dict(found)

    def story_articles(self, story_id: str) -> list[Article]:
        """Return a story's members in ingest order."""
        with self.session(readonly=True) as s:
            return members(s, story_id)

    @staticmethod
    def brief_key(row: StoryRow) -> str:
        """Return the key a fresh brief of ``row`` is cached under."""
        return _sha(row.members_key, BRIEF_CACHE_VERSION, __version__)

    def brief_key_is_fresh(self, row: StoryRow) -> bool:
        """Whether ``row``'s brief key is current, read without loading the (deferred) brief;
        the store writes a brief and its key together."""
        return row.brief_key is not None and row.brief_key == self.brief_key(row)

    def brief_is_fresh(self, row: StoryRow) -> bool:
        """Whether ``row`` holds a brief built from its current members."""
        return row.brief is not None and row.brief_key == self.brief_key(row)

    def brief_is_stale(self, story_id: str) -> bool:
        """Whether ``brief(story_id)`` must build the brief (no fresh one is cached); keys only.

        ``False`` for an unknown story (``brief`` raises ``KeyError`` for it).
        """
        stmt = select(StoryRow.members_key, StoryRow.brief_key).where(StoryRow.id == story_id)
        with self.session(readonly=True) as s:
            found = s.execute(stmt).first()
        if found is None:
            return False
        row = StoryRow(id=story_id, members_key=found.members_key, brief_key=found.brief_key)
        return not self.brief_key_is_fresh(row)

    def brief(self, story_id: str, *, summary_words: int | None = None) -> Brief:
        """Return the brief of a story: the cached one if its members have not changed since,
        else a freshly built one, which is cached.

        Args:
            story_id: The story.
            summary_words: Word budget of the summary (the context's settings by default).

        Raises:
            KeyError: No story has this id.
        """
        if summary_words is None:
            summary_words = self.context.settings.summary_words
        with self.session(readonly=True) as s:
            row = s.get(StoryRow, story_id)
            if row is None:
                raise KeyError(story_id)
            # Only the default-length brief is cached; another length is built each time.
            cacheable = summary_words == DEFAULT_SUMMARY_WORDS
            if cacheable and self.brief_is_fresh(row) and row.brief is not None:
                return Brief.from_dict(row.brief)
            key, headline = row.members_key, row.headline
            articles = members(s, story_id)
            known = known_analyses(s, articles)

        def keep(analyses: Mapping[str, AnalyzedArticle]) -> None:
            with self.session() as s:
                keep_new(s, analyses, known, utcnow())

        # Only the members without a stored analysis are analysed (a story that grew by one
        # analyses one); the new analyses are stored for the next refresh.
        brief = build_brief(
            story_id, headline, articles, self.context, summary_words, known=known, keep=keep
        )
        if not cacheable:
            return brief
        with self.session() as s:
            row = s.get(StoryRow, story_id)
            # Store it only if the story did not change while the brief was being built.
            if row is not None and row.members_key == key:
                old, row.brief = row.brief, brief.to_dict()
                if self.keep_revisions:  # what changed since the last brief (store.revisions)
                    record_revision(s, story_id, old, row.brief, utcnow())
                row.brief_key = self.brief_key(row)
                row.conflicts_count = len(brief.conflicts)
        return brief

    def refresh_briefs(
        self,
        story_ids: Sequence[str],
        *,
        problems: list[Problem] | None = None,
        policy: ErrorPolicy = ErrorPolicy.RECORD,
    ) -> int:
        """Rebuild the stale briefs among ``story_ids``; return how many were rebuilt.

        A story whose brief fails to build is an ``E301`` problem (appended to ``problems``)
        and the others are rebuilt; under ``ErrorPolicy.RAISE`` the error propagates.
        """
        rebuilt = 0
        for story_id in story_ids:
            with self.session(readonly=True) as s:
                row = s.get(StoryRow, story_id)
                stale = row is not None and not self.brief_is_fresh(row)
            if not stale:
                continue
            try:
                self.brief(story_id)
            except Exception as exc:
                if policy is ErrorPolicy.RAISE:
                    raise
                if problems is not None and policy is ErrorPolicy.RECORD:
                    problems.append(Problem.failure("E301", f"story {story_id}", exc))
                continue
            rebuilt += 1
        return rebuilt

    def verify(self) -> list[str]:
        """Return every inconsistency found (an empty list for a consistent store).

        Checks: every article belongs to an existing story (an earlier version of a page, its
        current version's); every story has members, and its
        counts, time range, members hash and id (``s`` + its first-ingested member's id) match
        them; every copy points at an original in its own story; every article has postings.
        """
        found: list[str] = []
        with self.session(readonly=True) as s:
            story_ids = set(s.scalars(select(StoryRow.id)))
            rows = s.execute(
                select(
                    ArticleRow.id,
                    ArticleRow.story_id,
                    ArticleRow.duplicate_of,
                    ArticleRow.superseded_by,
                )
            ).all()
            home = {r.id: r.story_id for r in rows}
            for r in rows:
                if r.story_id is None or r.story_id not in story_ids:
                    found.append(f"article {r.id} has no story ({r.story_id})")
                if r.duplicate_of is not None:
                    if r.duplicate_of not in home:
                        found.append(f"article {r.id} copies a missing article {r.duplicate_of}")
                    elif home[r.duplicate_of] != r.story_id:
                        found.append(f"article {r.id} is not in its original's story")
                if r.superseded_by is not None and home.get(r.superseded_by) != r.story_id:
                    found.append(f"article {r.id} is not in its current version's story")
            for row in s.scalars(select(StoryRow)):
                agg = aggregates(s, row.id)
                if agg is None:
                    found.append(f"story {row.id} has no members")
                    continue
                for name, value in agg.items():
                    if name in ("headline",):
                        continue
                    if getattr(row, name) != value:
                        found.append(
                            f"story {row.id}: {name} is {getattr(row, name)!r}, not {value!r}"
                        )
                founder = s.scalar(
                    select(ArticleRow.id)
                    .where(ArticleRow.story_id == row.id)
                    .order_by(ArticleRow.seq)
                    .limit(1)
                )
                if founder is not None and row.id != story_id_for(founder):
                    found.append(f"story {row.id} should be {story_id_for(founder)}")
            from synoptic.store.schema import dedup_postings, term_postings

            for table in (term_postings, dedup_postings):
                indexed = set(s.scalars(select(table.c.article_id).distinct()))
                missing = [a for a in home if a not in indexed]
                if table is term_postings and missing:
                    found.append(f"{len(missing)} articles have no {table.name}")
                orphans = indexed - set(home)
                if orphans:
                    found.append(f"{len(orphans)} {table.name} rows point at no article")
        return found

    def snapshot(self) -> dict[str, Any]:
        """Return the store's content without timestamps, to compare two stores.

        Stories with their members, copies, counts and headlines; articles by id.
        """
        with self.session(readonly=True) as s:
            stories = {
                row.id: {
                    "headline": row.headline,
                    "article_count": row.article_count,
                    "outlet_count": row.outlet_count,
                    "closed": row.closed,
                    "members_key": row.members_key,
                    "members": sorted(
                        s.scalars(select(ArticleRow.id).where(ArticleRow.story_id == row.id))
                    ),
                }
                for row in s.scalars(select(StoryRow).order_by(StoryRow.id))
            }
            articles = {
                r.id: {"seq": r.seq, "story": r.story_id, "duplicate_of": r.duplicate_of}
                for r in s.execute(
                    select(
                        ArticleRow.id, ArticleRow.seq, ArticleRow.story_id, ArticleRow.duplicate_of
                    )
                )
            }
        return {"stories": stories, "articles": articles}


@dataclass(frozen=True, slots=True)
class StoryPage:
    """One page of a story listing.

    Attributes:
        stories: The stories on the page, latest first (undated ones last).
        total: How many stories match the filters in all.
        limit: The page size asked for (``None``: no limit).
        offset: Where the page starts (``None`` when it was asked for by cursor).
        next_cursor: The cursor of the next page, ``None`` on the last page.
    """

    stories: list[StorySummary]
    total: int
    limit: int | None
    offset: int | None
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class StorySummary:
    """One line of ``synoptic stories``.

    ``outlets`` counts distinct outlets, and a member without an outlet counts by the source
    it was read from (scraped text files rarely name their outlet). ``first_seen`` and
    ``last_seen`` are the members' publication times when any member is dated, else the times
    they were ingested. ``conflicts`` is ``None`` until the story's brief has been built.
    """

    id: str
    headline: str
    outlets: int
    articles: int
    first_seen: str
    last_seen: str
    conflicts: int | None
    closed: bool
    # False when no member carries a publication time: the times are then ingest times.
    dated: bool = True

    @classmethod
    def of(cls, row: StoryRow, fresh: bool) -> StorySummary:
        """Build the summary of a story row (``fresh``: its cached brief is current)."""
        return cls(
            id=row.id,
            headline=row.headline,
            outlets=row.outlet_count,
            articles=row.article_count,
            first_seen=row.first_seen,
            last_seen=row.last_seen,
            conflicts=row.conflicts_count if fresh else None,
            closed=row.closed,
            dated=not row.undated,
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the summary as JSON-ready data."""
        return {
            "id": self.id,
            "headline": self.headline,
            "outlets": self.outlets,
            "articles": self.articles,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "conflicts": self.conflicts,
            "closed": self.closed,
            "dated": self.dated,
        }


def _sha(*parts: str) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()


def outlet_key(article: Article) -> str:
    """Return what independent outlets are counted by (``outlets.attribute``): the agency of a
    wire credit, else the registry outlet's parent or the outlet, else the URL's registrable
    domain, else the outlet as printed, else the article itself."""
    from synoptic.outlets import attribute

    return attribute(article).key


def article_row(
    article: Article, seq: int, now: datetime, published_ts: float | None
) -> ArticleRow:
    """Return the row for a new article (``story_id`` is set by placement)."""
    return ArticleRow(
        id=article.id,
        seq=seq,
        content_hash=article.content_hash,
        source=article.source,
        outlet=article.outlet,
        outlet_key=outlet_key(article),
        url=article.url,
        title=article.title,
        byline=article.byline,
        published=article.published,
        published_ts=published_ts,
        language=article.language,
        text=article.text,
        meta=dict(article.meta),
        grp=article.group,
        duplicate_of=article.duplicate_of,
        story_id=None,
        page_key=page_key(article),
        superseded_by=None,
        ingested_at=now,
        ingested_ts=now.timestamp(),
    )


def to_article(row: ArticleRow) -> Article:
    """Return the ``Article`` a row stores."""
    return Article(
        id=row.id,
        source=row.source,
        text=row.text,
        outlet=row.outlet,
        url=row.url,
        title=row.title,
        byline=row.byline,
        published=row.published,
        language=row.language,
        duplicate_of=row.duplicate_of,
        group=row.grp,
        meta=dict(row.meta or {}),
    )


def members(session: Session, story_id: str) -> list[Article]:
    """Return a story's members in ingest order (current versions only)."""
    rows = session.scalars(
        select(ArticleRow)
        .where(ArticleRow.story_id == story_id, ArticleRow.superseded_by.is_(None))
        .order_by(ArticleRow.seq)
    )
    return [to_article(r) for r in rows]


def member_rows(session: Session, story_id: str) -> list[Any]:
    """Return what ``aggregates_of`` and a headline need of every member, in ``seq`` order
    (one query where three took 3x the CPU: a touched story is recomputed per placement)."""
    a = ArticleRow
    return list(
        session.execute(
            select(
                a.id,
                a.seq,
                a.duplicate_of,
                a.superseded_by,
                a.outlet_key,
                a.published_ts,
                a.ingested_ts,
            )
            .where(a.story_id == story_id)
            .order_by(a.seq)
        ).all()
    )


def aggregates(session: Session, story_id: str) -> dict[str, Any] | None:
    """Return the listing fields a story's members imply (``None`` when it has none)."""
    return aggregates_of(member_rows(session, story_id))


def aggregates_of(rows: Sequence[Any]) -> dict[str, Any] | None:
    """Return the listing fields of a story with member rows ``rows`` (``member_rows``).

    The headline is left out (it needs the member texts; see ``ingest``). Counts are of
    current versions; the founder, the time span and the members hash take every version.
    """
    if not rows:
        return None
    current = [r for r in rows if r.superseded_by is None]
    published = [r.published_ts for r in rows if r.published_ts is not None]
    ingested = [r.ingested_ts for r in rows if r.ingested_ts is not None]
    first_pub = min(published) if published else None
    last_pub = max(published) if published else None
    first_ing = min(ingested) if ingested else None
    last_ing = max(ingested) if ingested else None
    key = _sha(*sorted(f"{r.id}>{r.duplicate_of or ''}" for r in rows))
    first_ts = first_pub if first_pub is not None else first_ing
    last_ts = last_pub if last_pub is not None else last_ing
    return {
        "article_count": len(current),
        "outlet_count": len({r.outlet_key for r in current if r.outlet_key is not None}),
        "first_published_ts": first_pub,
        "last_published_ts": last_pub,
        "last_ingested_ts": last_ing,
        "first_ts": first_ts,
        "last_ts": last_ts,
        "undated": last_pub is None,
        "first_seen": iso_of(first_ts),
        "last_seen": iso_of(last_ts),
        "founder_seq": int(min(r.seq for r in rows)),
        "members_key": key,
    }


def build_brief(
    story_id: str,
    headline: str,
    articles: Sequence[Article],
    context: RunContext,
    summary_words: int | None = None,
    known: Mapping[str, AnalyzedArticle] | None = None,
    keep: Callable[[Mapping[str, AnalyzedArticle]], None] | None = None,
) -> Brief:
    """Synthesize the brief of a stored story (same stages as ``synoptic brief``).

    The story keeps its store id and headline, so the brief names it as ``stories`` does.
    Analyses in ``known`` (by article id) are reused, only the others made; ``keep`` receives
    every member's analysis, to store. Models, caches, budgets, defaults: from ``context``."""
    from synoptic.analyze.batch import analyze_all
    from synoptic.cluster import make_story
    from synoptic.synthesize.brief import synthesize

    story = replace(make_story(articles, story_id), headline=headline)
    analyses = analyze_all(
        story.articles,
        embedder=context.embedder,
        nlp=context.nlp,
        cache=context.analysis_cache,
        known=known,
        max_chars=context.settings.max_analysis_chars,
        seconds=context.settings.input_seconds,  # over it: raised, the story's E301 names it
    )
    if keep is not None:
        keep(analyses)
    s = context.settings  # past s.story_seconds: written in part, flagged
    words = s.summary_words if summary_words is None else summary_words
    return synthesize(
        story, analyses, summary_words=words, registry=s.outlets(), seconds=s.story_seconds
    )


def delete_story(session: Session, story_id: str) -> None:
    """Delete a story row (its members must have moved first)."""
    session.execute(delete(StoryRow).where(StoryRow.id == story_id))


def utcnow() -> datetime:
    """Return the current time in UTC (the ingest clock)."""
    return datetime.now(UTC)


__all__ = [
    "Base",
    "Store",
    "StoryPage",
    "StorySummary",
    "aggregates",
    "article_row",
    "build_brief",
    "default_url",
    "members",
    "outlet_key",
    "story_id_for",
    "to_article",
    "upgrade",
]
