"""The owner's open-balance summary one level up (issue 14).

Revision ID: 0034
Revises: 0033

Reserved; filled by the change that needs it.
"""

from __future__ import annotations

revision = "0034"
down_revision = "0033"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
