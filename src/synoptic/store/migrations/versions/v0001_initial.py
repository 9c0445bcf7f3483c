"""Initial store: articles, stories and the two posting tables.

Revision ID: 0001
Revises:
Create Date: 2026-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

ID = sa.String(64)


def upgrade() -> None:
    """Create the tables of ``synoptic.store.schema`` as of version 1."""
    op.create_table(
        "articles",
        sa.Column("id", ID, primary_key=True),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("outlet", sa.Text(), nullable=True),
        sa.Column("outlet_key", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("byline", sa.Text(), nullable=True),
        sa.Column("published", sa.String(64), nullable=True),
        sa.Column("published_ts", sa.Float(), nullable=True),
        sa.Column("language", sa.String(32), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.Column("grp", sa.Text(), nullable=True),
        sa.Column("duplicate_of", ID, nullable=True),
        sa.Column("story_id", ID, nullable=True),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ingested_ts", sa.Float(), nullable=False),
        sa.UniqueConstraint("seq"),
    )
    op.create_index("ix_articles_content_hash", "articles", ["content_hash"])
    op.create_index("ix_articles_published_ts", "articles", ["published_ts"])
    op.create_index("ix_articles_duplicate_of", "articles", ["duplicate_of"])
    op.create_index("ix_articles_story_id", "articles", ["story_id"])

    op.create_table(
        "stories",
        sa.Column("id", ID, primary_key=True),
        sa.Column("founder_seq", sa.BigInteger(), nullable=False),
        sa.Column("headline", sa.Text(), nullable=False),
        sa.Column("first_seen", sa.String(64), nullable=False),
        sa.Column("last_seen", sa.String(64), nullable=False),
        sa.Column("first_ts", sa.Float(), nullable=False),
        sa.Column("last_ts", sa.Float(), nullable=False),
        sa.Column("first_published_ts", sa.Float(), nullable=True),
        sa.Column("last_published_ts", sa.Float(), nullable=True),
        sa.Column("last_ingested_ts", sa.Float(), nullable=False),
        sa.Column("article_count", sa.Integer(), nullable=False),
        sa.Column("outlet_count", sa.Integer(), nullable=False),
        sa.Column("conflicts_count", sa.Integer(), nullable=True),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.Column("members_key", sa.String(64), nullable=False),
        sa.Column("brief", sa.JSON(), nullable=True),
        sa.Column("brief_key", sa.String(64), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_stories_last_ts", "stories", ["last_ts"])
    op.create_index("ix_stories_closed_ingested", "stories", ["closed", "last_ingested_ts"])

    for name, key in (
        ("term_postings", sa.Column("term", sa.String(64), nullable=False)),
        ("dedup_postings", sa.Column("key", sa.BigInteger(), nullable=False)),
    ):
        op.create_table(
            name,
            key,
            sa.Column("pday", sa.Integer(), nullable=True),
            sa.Column("iday", sa.Integer(), nullable=False),
            sa.Column("article_id", ID, nullable=False),
        )
        op.create_index(f"ix_{name}_{key.name}_pday", name, [key.name, "pday"])
        op.create_index(f"ix_{name}_{key.name}_iday", name, [key.name, "iday"])
        op.create_index(f"ix_{name}_article_id", name, ["article_id"])


def downgrade() -> None:
    """Drop every table of version 1."""
    for name in ("dedup_postings", "term_postings", "stories", "articles"):
        op.drop_table(name)
