"""Imports from the old system: each imported record keyed by the old system's ID.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "legacy_import",
        sa.Column("old_system", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("old_id", sa.String(length=80), nullable=False),
        sa.Column("new_id", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinic.id"], name=op.f("fk_legacy_import_clinic_id_clinic")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legacy_import")),
        sa.UniqueConstraint(
            "clinic_id",
            "old_system",
            "kind",
            "old_id",
            name=op.f("uq_legacy_import_clinic_id_old_system_kind_old_id"),
        ),
    )
    with op.batch_alter_table("legacy_import", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_legacy_import_clinic_id"), ["clinic_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("legacy_import", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_legacy_import_clinic_id"))
    op.drop_table("legacy_import")
