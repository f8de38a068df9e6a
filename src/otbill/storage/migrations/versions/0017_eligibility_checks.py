"""Eligibility checks: every 271 answer kept with its benefits and raw text.

Revision ID: 0017
Revises: 0016

A new table only (``eligibility_check``); the coverage's ``eligibility_verified_on`` and
``eligibility_active`` keep meaning the latest check's date and result.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "eligibility_check",
        sa.Column("coverage_id", sa.Integer(), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("date_of_service", sa.Date(), nullable=False),
        sa.Column("trace", sa.String(length=50), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=True),
        sa.Column("status", sa.String(length=300), nullable=False),
        sa.Column("benefits", sa.JSON(), nullable=False),
        sa.Column("raw_response", sa.Text(), nullable=False),
        sa.Column("checked_at", sa.DateTime(), nullable=False),
        sa.Column("checked_by", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinic.id"], name=op.f("fk_eligibility_check_clinic_id_clinic")
        ),
        sa.ForeignKeyConstraint(
            ["coverage_id"], ["coverage.id"], name=op.f("fk_eligibility_check_coverage_id_coverage")
        ),
        sa.ForeignKeyConstraint(
            ["checked_by"], ["app_user.id"], name=op.f("fk_eligibility_check_checked_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_eligibility_check")),
    )
    with op.batch_alter_table("eligibility_check", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_eligibility_check_clinic_id"), ["clinic_id"])
        batch_op.create_index("ix_eligibility_check_coverage", ["clinic_id", "coverage_id"])


def downgrade() -> None:
    with op.batch_alter_table("eligibility_check", schema=None) as batch_op:
        batch_op.drop_index("ix_eligibility_check_coverage")
        batch_op.drop_index(batch_op.f("ix_eligibility_check_clinic_id"))
    op.drop_table("eligibility_check")
