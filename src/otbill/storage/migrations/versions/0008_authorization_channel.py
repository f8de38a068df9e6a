"""Authorizations as running balances, with one channel of requests, replies and calls.

Existing authorizations were entered as the payer issued them, so they become ``approved`` and
cover every code (an empty ``codes`` list).

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("prior_authorization", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=24), nullable=False, server_default="approved")
        )
        batch_op.add_column(sa.Column("codes", sa.JSON(), nullable=False, server_default="[]"))
    op.create_table(
        "authorization_entry",
        sa.Column("authorization_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reference", sa.String(length=80), nullable=True),
        sa.Column("contact", sa.String(length=120), nullable=True),
        sa.Column("document", sa.String(length=300), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["authorization_id"],
            ["prior_authorization.id"],
            name=op.f("fk_authorization_entry_authorization_id_prior_authorization"),
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["app_user.id"], name=op.f("fk_authorization_entry_author_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinic.id"], name=op.f("fk_authorization_entry_clinic_id_clinic")
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["app_user.id"], name=op.f("fk_authorization_entry_owner_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_authorization_entry")),
    )
    with op.batch_alter_table("authorization_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_authorization_entry_clinic_id"), ["clinic_id"], unique=False
        )
        batch_op.create_index(
            "ix_authorization_entry_authorization",
            ["clinic_id", "authorization_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("authorization_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_authorization_entry_authorization")
        batch_op.drop_index(batch_op.f("ix_authorization_entry_clinic_id"))
    op.drop_table("authorization_entry")
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+), not a batch copy: copying the table would
    # drop it, which SQLite refuses while visits refer to its rows.
    op.drop_column("prior_authorization", "codes")
    op.drop_column("prior_authorization", "status")
