"""Past states of a story: each revision keeps the brief as it stood then (``story_revisions.
brief_z``, the stored brief's JSON compressed with zlib), so ``synoptic show --as-of`` and
``GET /api/v1/stories/{id}/brief?as_of=`` answer "the story as of Tuesday". Revisions written
before this migration have none (``NULL``): those times answer "no brief kept".

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add ``story_revisions.brief_z``."""
    with op.batch_alter_table("story_revisions") as batch:
        batch.add_column(sa.Column("brief_z", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    """Drop ``story_revisions.brief_z``."""
    with op.batch_alter_table("story_revisions") as batch:
        batch.drop_column("brief_z")
