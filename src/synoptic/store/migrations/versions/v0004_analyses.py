"""Stored analyses: each article's analysis record, keyed by article id and analysis version.

A story that grows re-analyses only its newcomers: the members' records are read back here.
The record is zlib-compressed JSON (``synoptic.store.analyses``); a new analysis version
writes new rows beside the old ones, which stay readable by the version that wrote them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create the ``analyses`` table."""
    op.create_table(
        "analyses",
        sa.Column("article_id", sa.String(64), primary_key=True),
        sa.Column("version", sa.String(32), primary_key=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("record", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    """Drop the ``analyses`` table."""
    op.drop_table("analyses")
