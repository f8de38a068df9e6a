"""Indexes for remittance pages and the dashboard's payment figures.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_posting_remittance", "posting", ["clinic_id", "remittance_id"])
    op.create_index("ix_posting_kind", "posting", ["clinic_id", "kind"])
    op.create_index("ix_denial_remittance", "denial", ["remittance_id"])


def downgrade() -> None:
    op.drop_index("ix_denial_remittance", table_name="denial")
    op.drop_index("ix_posting_kind", table_name="posting")
    op.drop_index("ix_posting_remittance", table_name="posting")
