"""Attendance counts: occupancy per room, totals and peaks, visits and time per exhibit.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the attendance tables."""
    op.create_table(
        "occupancy_samples",
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("room", sa.String(length=128), nullable=False),
        sa.Column("visitors", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("at", "room", name=op.f("pk_occupancy_samples")),
    )
    op.create_table(
        "attendance_totals",
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("visitors", sa.Integer(), nullable=False),
        sa.Column("peak", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("at", name=op.f("pk_attendance_totals")),
    )
    op.create_table(
        "exhibit_visits",
        sa.Column("hour", sa.DateTime(), nullable=False),
        sa.Column("room", sa.String(length=128), nullable=False),
        sa.Column("exhibit", sa.String(length=128), nullable=False),
        sa.Column("visits", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("hour", "room", "exhibit", name=op.f("pk_exhibit_visits")),
    )


def downgrade() -> None:
    """Drop the attendance tables."""
    op.drop_table("exhibit_visits")
    op.drop_table("attendance_totals")
    op.drop_table("occupancy_samples")
