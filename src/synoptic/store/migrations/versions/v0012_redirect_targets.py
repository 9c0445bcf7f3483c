"""An index on ``story_redirects.new_id``.

A merge points every story merged into the loser earlier at the winner
(``revisions.record_redirect``: ``WHERE new_id = ?``), and a story's page lists the ids merged
into it (``revisions.merged_into``, the same look-up). Without an index both scan every
redirect the store ever recorded, once per merge: a cost that grows with the store's age.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Index ``story_redirects.new_id``."""
    op.create_index("ix_story_redirects_new_id", "story_redirects", ["new_id"])


def downgrade() -> None:
    """Drop the index."""
    op.drop_index("ix_story_redirects_new_id", table_name="story_redirects")
