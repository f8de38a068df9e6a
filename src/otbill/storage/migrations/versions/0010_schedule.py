"""The schedule: appointments per therapist and location, recurring series, check-in.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

VISIT_TYPES = "'evaluation','re-evaluation','daily','progress'"
STATUSES = "'booked','checked-in','cancelled','no-show'"


def _fk(column: str, table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{table}.id"], name=op.f(f"fk_appointment_{column}_{table}")
    )


def upgrade() -> None:
    op.create_table(
        "appointment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=True),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("coverage_id", sa.Integer(), nullable=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("start_minute", sa.Integer(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("visit_type", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=True),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(500), nullable=True),
        sa.CheckConstraint(
            "duration_minutes BETWEEN 5 AND 480", name=op.f("ck_appointment_duration")
        ),
        sa.CheckConstraint("start_minute BETWEEN 0 AND 1439", name=op.f("ck_appointment_start")),
        sa.CheckConstraint(
            f"visit_type IN ({VISIT_TYPES})", name=op.f("ck_appointment_visit_type")
        ),
        sa.CheckConstraint(f"status IN ({STATUSES})", name=op.f("ck_appointment_status")),
        _fk("clinic_id", "clinic"),
        _fk("provider_id", "provider"),
        _fk("location_id", "clinic_location"),
        _fk("patient_id", "patient"),
        _fk("coverage_id", "coverage"),
        _fk("visit_id", "visit"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointment")),
    )
    op.create_index(op.f("ix_appointment_clinic_id"), "appointment", ["clinic_id"])
    op.create_index(op.f("ix_appointment_series_id"), "appointment", ["series_id"])
    op.create_index(
        "ix_appointment_clinic_provider_date", "appointment", ["clinic_id", "provider_id", "date"]
    )
    op.create_index(
        "ix_appointment_clinic_patient_date", "appointment", ["clinic_id", "patient_id", "date"]
    )


def downgrade() -> None:
    for name in (
        "ix_appointment_clinic_patient_date",
        "ix_appointment_clinic_provider_date",
        op.f("ix_appointment_series_id"),
        op.f("ix_appointment_clinic_id"),
    ):
        op.drop_index(name, table_name="appointment")
    op.drop_table("appointment")
