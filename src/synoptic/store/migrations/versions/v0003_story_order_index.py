"""An index in the story listing's order.

Every listing (``synoptic stories``, the web UI, ``GET /api/v1/stories``) orders stories by
``last_ts DESC, id``. With an index on ``last_ts`` alone the database sorts the ties by id for
every page; one on ``(last_ts, id)`` is read in order, backwards, and a deep page or a keyset
cursor (``(last_ts, id) < (?, ?)``) starts where it should. It replaces the ``last_ts`` index,
whose every use it serves.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Replace the ``last_ts`` index by ``(last_ts, id)``."""
    op.drop_index("ix_stories_last_ts", table_name="stories")
    op.create_index("ix_stories_last_ts_id", "stories", ["last_ts", "id"])


def downgrade() -> None:
    """Restore the ``last_ts`` index."""
    op.drop_index("ix_stories_last_ts_id", table_name="stories")
    op.create_index("ix_stories_last_ts", "stories", ["last_ts"])
