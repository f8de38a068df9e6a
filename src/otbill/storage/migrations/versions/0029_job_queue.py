"""The job queue's records and progress; procrastinate's schema on PostgreSQL (issue 15).

Revision ID: 0029
Revises: 0028
"""

from __future__ import annotations

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
