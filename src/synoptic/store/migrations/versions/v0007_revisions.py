"""Story revisions and redirects: ``story_revisions`` (one row per change of a story's brief,
with what changed, computed from the brief records) and ``story_redirects`` (a story id merged
away and the story it went into).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create ``story_revisions`` and ``story_redirects``."""
    op.create_table(
        "story_revisions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("story_id", sa.String(64), nullable=False),
        sa.Column("created_ts", sa.Float(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
    )
    op.create_index("ix_story_revisions_story_ts", "story_revisions", ["story_id", "created_ts"])
    op.create_table(
        "story_redirects",
        sa.Column("old_id", sa.String(64), primary_key=True),
        sa.Column("new_id", sa.String(64), nullable=False),
        sa.Column("created_ts", sa.Float(), nullable=False),
    )


def downgrade() -> None:
    """Drop both tables."""
    op.drop_table("story_redirects")
    op.drop_index("ix_story_revisions_story_ts", table_name="story_revisions")
    op.drop_table("story_revisions")
