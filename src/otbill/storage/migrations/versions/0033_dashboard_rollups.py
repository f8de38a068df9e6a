"""Per-clinic daily rollups behind the dashboard (issue 15).

Revision ID: 0033
Revises: 0032

Reserved; filled by the change that needs it.
"""

from __future__ import annotations

revision = "0033"
down_revision = "0032"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
