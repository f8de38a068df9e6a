"""Eligibility runs: the re-verification batch for a date and its items.

Revision ID: 0018
Revises: 0017

Two new tables only (``eligibility_run``, ``eligibility_run_item``); an item is unique per run,
coverage and date of service, so a restarted run never adds the same question twice.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "eligibility_run",
        sa.Column("for_date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("active", sa.Integer(), nullable=False),
        sa.Column("inactive", sa.Integer(), nullable=False),
        sa.Column("not_verified", sa.Integer(), nullable=False),
        sa.Column("started_by", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('scheduled','plan-year')", name=op.f("ck_eligibility_run_kind")
        ),
        sa.CheckConstraint(
            "state IN ('running','finished')", name=op.f("ck_eligibility_run_state")
        ),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinic.id"], name=op.f("fk_eligibility_run_clinic_id_clinic")
        ),
        sa.ForeignKeyConstraint(
            ["started_by"], ["app_user.id"], name=op.f("fk_eligibility_run_started_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_eligibility_run")),
    )
    with op.batch_alter_table("eligibility_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_eligibility_run_clinic_id"), ["clinic_id"])
        batch_op.create_index("ix_eligibility_run_clinic_date", ["clinic_id", "for_date", "kind"])
    op.create_table(
        "eligibility_run_item",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("coverage_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("date_of_service", sa.Date(), nullable=False),
        sa.Column("appointment_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("eligibility_check_id", sa.Integer(), nullable=True),
        sa.Column("message", sa.String(length=500), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "state IN ('waiting','sent','answered','failed')",
            name=op.f("ck_eligibility_run_item_state"),
        ),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinic.id"], name=op.f("fk_eligibility_run_item_clinic_id_clinic")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["eligibility_run.id"],
            name=op.f("fk_eligibility_run_item_run_id_eligibility_run"),
        ),
        sa.ForeignKeyConstraint(
            ["coverage_id"],
            ["coverage.id"],
            name=op.f("fk_eligibility_run_item_coverage_id_coverage"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_eligibility_run_item_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            ["appointment.id"],
            name=op.f("fk_eligibility_run_item_appointment_id_appointment"),
        ),
        sa.ForeignKeyConstraint(
            ["eligibility_check_id"],
            ["eligibility_check.id"],
            name=op.f("fk_eligibility_run_item_eligibility_check_id_eligibility_check"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_eligibility_run_item")),
        sa.UniqueConstraint(
            "run_id",
            "coverage_id",
            "date_of_service",
            name=op.f("uq_eligibility_run_item_run_id_coverage_id_date_of_service"),
        ),
    )
    with op.batch_alter_table("eligibility_run_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_eligibility_run_item_clinic_id"), ["clinic_id"])
        batch_op.create_index("ix_eligibility_run_item_run_state", ["run_id", "state"])


def downgrade() -> None:
    with op.batch_alter_table("eligibility_run_item", schema=None) as batch_op:
        batch_op.drop_index("ix_eligibility_run_item_run_state")
        batch_op.drop_index(batch_op.f("ix_eligibility_run_item_clinic_id"))
    op.drop_table("eligibility_run_item")
    with op.batch_alter_table("eligibility_run", schema=None) as batch_op:
        batch_op.drop_index("ix_eligibility_run_clinic_date")
        batch_op.drop_index(batch_op.f("ix_eligibility_run_clinic_id"))
    op.drop_table("eligibility_run")
