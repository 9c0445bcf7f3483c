"""Feed subscriptions: ``feeds`` (one row per subscribed feed with its polling state) and
``feed_entries`` (the entry links already read, so each poll fetches only new articles).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create ``feeds`` and ``feed_entries``."""
    op.create_table(
        "feeds",
        sa.Column("url", sa.String(2048), primary_key=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("added_ts", sa.Float(), nullable=False),
        sa.Column("interval_s", sa.Float(), nullable=False),
        sa.Column("next_ts", sa.Float(), nullable=False),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("last_success_ts", sa.Float(), nullable=True),
        sa.Column("last_error_ts", sa.Float(), nullable=True),
        sa.Column("last_error_code", sa.String(8), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("entries_seen", sa.Integer(), nullable=False),
    )
    op.create_index("ix_feeds_next_ts", "feeds", ["next_ts"])
    op.create_table(
        "feed_entries",
        sa.Column("link", sa.String(2048), primary_key=True),
        sa.Column("feed_url", sa.String(2048), nullable=False),
        sa.Column("seen_ts", sa.Float(), nullable=False),
    )
    op.create_index("ix_feed_entries_feed_url", "feed_entries", ["feed_url"])


def downgrade() -> None:
    """Drop both tables."""
    op.drop_index("ix_feed_entries_feed_url", table_name="feed_entries")
    op.drop_table("feed_entries")
    op.drop_index("ix_feeds_next_ts", table_name="feeds")
    op.drop_table("feeds")
