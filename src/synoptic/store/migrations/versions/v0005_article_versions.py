"""Article versions: the page an article was read from, and which version superseded it.

A page read again with new content is a new version of the same article, not a wire copy
(``synoptic.stories.identity``). ``page_key`` finds a stored page's versions; the earlier
versions point at the current one by ``superseded_by``. Rows stored before this migration get
their ``page_key`` from their URL here.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from synoptic.stories.identity import canonical_url, key_of_page

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add ``page_key`` and ``superseded_by`` to ``articles`` and fill ``page_key``."""
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("page_key", sa.String(32), nullable=True))
        batch.add_column(sa.Column("superseded_by", sa.String(64), nullable=True))
        batch.create_index("ix_articles_page_key", ["page_key"])
        batch.create_index("ix_articles_superseded_by", ["superseded_by"])
    articles = sa.table(
        "articles", sa.column("id", sa.String), sa.column("url"), sa.column("page_key")
    )
    conn = op.get_bind()
    rows = conn.execute(sa.select(articles.c.id, articles.c.url).where(articles.c.url.is_not(None)))
    for row in rows.all():
        page = canonical_url(row.url)
        if page is not None:
            conn.execute(
                articles.update().where(articles.c.id == row.id).values(page_key=key_of_page(page))
            )


def downgrade() -> None:
    """Drop the two columns."""
    with op.batch_alter_table("articles") as batch:
        batch.drop_index("ix_articles_superseded_by")
        batch.drop_index("ix_articles_page_key")
        batch.drop_column("superseded_by")
        batch.drop_column("page_key")
