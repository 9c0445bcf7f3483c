"""Full-text search over the articles: title, outlet, byline and body (names and quotes are in
the body), for the story list's search box.

SQLite: an FTS5 table over ``articles`` (external content keyed by ``seq``, so the text is not
stored twice) kept in step by triggers, whatever path writes the articles; filled once here.
PostgreSQL: a GIN index over the same fields' ``to_tsvector('simple', ...)`` (the ``simple``
configuration: names and several languages, no stemming to a single language).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | None = None
depends_on: str | None = None

# The one expression the index holds and the queries use (synoptic.store.search repeats it).
PG_DOCUMENT = (
    "to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(outlet, '') || ' ' || "
    "coalesce(byline, '') || ' ' || text)"
)
_COLUMNS = "title, outlet, byline, text"
_NEW = "new.title, new.outlet, new.byline, new.text"
_OLD = "old.title, old.outlet, old.byline, old.text"


def upgrade() -> None:
    """Create the search index of the database's dialect."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE INDEX IF NOT EXISTS ix_articles_search ON articles USING gin ({PG_DOCUMENT})"
        )
        return
    op.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS article_search USING fts5({_COLUMNS}, "
        "content='articles', content_rowid='seq', tokenize='unicode61 remove_diacritics 2')"
    )
    op.execute(
        "CREATE TRIGGER IF NOT EXISTS article_search_ai AFTER INSERT ON articles BEGIN "
        f"INSERT INTO article_search(rowid, {_COLUMNS}) VALUES (new.seq, {_NEW}); END"
    )
    op.execute(
        "CREATE TRIGGER IF NOT EXISTS article_search_ad AFTER DELETE ON articles BEGIN "
        f"INSERT INTO article_search(article_search, rowid, {_COLUMNS}) "
        f"VALUES ('delete', old.seq, {_OLD}); END"
    )
    # Only a change of the indexed fields touches the index (a story move does not).
    op.execute(
        "CREATE TRIGGER IF NOT EXISTS article_search_au AFTER UPDATE OF "
        f"seq, {_COLUMNS} ON articles BEGIN "
        f"INSERT INTO article_search(article_search, rowid, {_COLUMNS}) "
        f"VALUES ('delete', old.seq, {_OLD}); "
        f"INSERT INTO article_search(rowid, {_COLUMNS}) VALUES (new.seq, {_NEW}); END"
    )
    op.execute("INSERT INTO article_search(article_search) VALUES ('rebuild')")


def downgrade() -> None:
    """Drop the search index."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_articles_search")
        return
    for trigger in ("article_search_ai", "article_search_ad", "article_search_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS article_search")
