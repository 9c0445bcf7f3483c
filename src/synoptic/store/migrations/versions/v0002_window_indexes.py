"""Posting indexes that serve both window branches of a look-up.

A dated look-up reads postings ``pday BETWEEN ...`` or ``pday IS NULL AND iday >= ...``. With
an index on (key, pday) and one on (key, iday), the second branch read every posting of the
key ingested lately (all of them, during a bulk ingest), so the cost per article grew with the
store. An index on (key, pday, iday) serves both branches.

Revision ID: 0002
Revises: 0001
Create Date: 2026-01-02
"""

from __future__ import annotations

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

TABLES = (("term_postings", "term"), ("dedup_postings", "key"))


def upgrade() -> None:
    """Replace the (key, pday) indexes by (key, pday, iday)."""
    for name, key in TABLES:
        op.drop_index(f"ix_{name}_{key}_pday", table_name=name)
        op.create_index(f"ix_{name}_{key}_pday_iday", name, [key, "pday", "iday"])


def downgrade() -> None:
    """Restore the (key, pday) indexes."""
    for name, key in TABLES:
        op.drop_index(f"ix_{name}_{key}_pday_iday", table_name=name)
        op.create_index(f"ix_{name}_{key}_pday", name, [key, "pday"])
