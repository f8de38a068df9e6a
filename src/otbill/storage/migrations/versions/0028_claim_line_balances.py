"""Claim lines' open balances and claims' first-submission outcomes, kept for the owner's reports (issue 14).

Revision ID: 0028
Revises: 0027
"""

from __future__ import annotations

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
