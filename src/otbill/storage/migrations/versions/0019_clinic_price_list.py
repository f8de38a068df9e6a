"""The clinic's price list: whether /prices publishes the charge master (on unless hidden).

Revision ID: 0019
Revises: 0018

One column on ``clinic``: ``publish_prices``, true for every clinic that exists and for new ones
(a clinic publishes its self-pay prices unless it chooses to hide them).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN, also on SQLite: a batch copy of the clinic table, which every other
    # table refers to, would break their foreign keys
    op.add_column(
        "clinic",
        sa.Column("publish_prices", sa.Boolean(), nullable=False, server_default=sa.true()),
    )


def downgrade() -> None:
    # SQLite's batch mode would copy the clinic table, which every other table refers to; its
    # own DROP COLUMN (SQLite 3.35+) removes a column that no index or constraint uses in place.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE clinic DROP COLUMN publish_prices")
        return
    op.drop_column("clinic", "publish_prices")
