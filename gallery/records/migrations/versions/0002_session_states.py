"""Sessions marked live or ended by a host.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the table of session states."""
    op.create_table(
        "session_states",
        sa.Column("session", sa.String(length=128), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "state IN ('scheduled', 'live', 'ended')", name=op.f("ck_session_states_state")
        ),
        sa.PrimaryKeyConstraint("session", name=op.f("pk_session_states")),
    )


def downgrade() -> None:
    """Drop the table of session states."""
    op.drop_table("session_states")
