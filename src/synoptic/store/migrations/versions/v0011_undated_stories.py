"""Undated stories after dated ones: ``stories.undated`` is true when no member of the story
carries a publication time (its times are then the times its reports were added). Listings
order by ``(undated, last_ts DESC, id)``, so a story of undated reports added today no longer
sorts above today's news as if published today; the index on ``(undated, last_ts, id)`` keeps
that order read from an index. Existing rows are filled from ``last_published_ts``.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add ``stories.undated``, fill it, and index the listing order."""
    with op.batch_alter_table("stories") as batch:
        batch.add_column(
            sa.Column("undated", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.execute(sa.text("UPDATE stories SET undated = (last_published_ts IS NULL)"))
    op.create_index("ix_stories_undated_last_ts_id", "stories", ["undated", "last_ts", "id"])


def downgrade() -> None:
    """Drop the index and ``stories.undated``."""
    op.drop_index("ix_stories_undated_last_ts_id", table_name="stories")
    with op.batch_alter_table("stories") as batch:
        batch.drop_column("undated")
