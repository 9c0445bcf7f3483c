"""Alerts: ``alerts`` (subscriptions: a story filter, an event, a webhook and its signing
secret) and ``alert_deliveries`` (the delivery log: one row per notice, unique per alert and
key, with its status, attempts and last error).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create ``alerts`` and ``alert_deliveries``."""
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("query", sa.Text(), nullable=True),
        sa.Column("min_outlets", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(32), nullable=False),
        sa.Column("webhook", sa.String(2048), nullable=False),
        sa.Column("secret", sa.String(128), nullable=False),
        sa.Column("created_ts", sa.Float(), nullable=False),
    )
    op.create_table(
        "alert_deliveries",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(512), nullable=False),
        sa.Column("story_id", sa.String(64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_ts", sa.Float(), nullable=False),
        sa.Column("delivered_ts", sa.Float(), nullable=True),
    )
    op.create_index(
        "ix_alert_deliveries_alert_key", "alert_deliveries", ["alert_id", "key"], unique=True
    )


def downgrade() -> None:
    """Drop both tables."""
    op.drop_index("ix_alert_deliveries_alert_key", table_name="alert_deliveries")
    op.drop_table("alert_deliveries")
    op.drop_table("alerts")
