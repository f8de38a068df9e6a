"""Patient registration: demographics, guarantor, consents, coverage details and history, documents.

Revision ID: 0007
Revises: 0006

Every new column is nullable (or has a default), so patients and coverages registered before this
migration stay valid; their account numbers are given when they are next edited.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_PATIENT_COLUMNS: tuple[tuple[str, sa.types.TypeEngine[Any]], ...] = (
    ("account_number", sa.String(20)),
    ("preferred_name", sa.String(200)),
    ("phone", sa.String(40)),
    ("email", sa.String(200)),
    ("preferred_language", sa.String(40)),
    ("emergency_contact", sa.JSON()),
    ("guarantor", sa.JSON()),
    ("consent_on", sa.Date()),
    ("benefits_assigned_on", sa.Date()),
)
_COVERAGE_COLUMNS: tuple[tuple[str, sa.types.TypeEngine[Any]], ...] = (
    ("plan_name", sa.String(200)),
    ("copay_cents", sa.Integer()),
    ("coinsurance_percent", sa.Integer()),
    ("deductible_cents", sa.Integer()),
)


def _documents() -> None:
    op.create_table(
        "patient_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("content_type", sa.String(40), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinic.id"], name=op.f("fk_patient_document_clinic_id_clinic")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_patient_document_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by"], ["app_user.id"], name=op.f("fk_patient_document_uploaded_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patient_document")),
    )
    op.create_index(op.f("ix_patient_document_clinic_id"), "patient_document", ["clinic_id"])
    op.create_index("ix_patient_document_patient", "patient_document", ["clinic_id", "patient_id"])


def upgrade() -> None:
    with op.batch_alter_table("patient") as batch:
        for name, type_ in _PATIENT_COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=True))
        batch.add_column(
            sa.Column("self_pay", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_index("ux_patient_account", "patient", ["clinic_id", "account_number"], unique=True)
    op.create_index("ix_patient_name", "patient", ["clinic_id", "last_name", "first_name"])
    op.create_index("ix_patient_dob", "patient", ["clinic_id", "dob"])
    with op.batch_alter_table("coverage") as batch:
        for name, type_ in _COVERAGE_COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=True))
    op.create_index("ix_coverage_member", "coverage", ["clinic_id", "member_id"])
    _documents()


def downgrade() -> None:
    op.drop_index("ix_patient_document_patient", table_name="patient_document")
    op.drop_index(op.f("ix_patient_document_clinic_id"), table_name="patient_document")
    op.drop_table("patient_document")
    op.drop_index("ix_coverage_member", table_name="coverage")
    with op.batch_alter_table("coverage") as batch:
        for name, _ in reversed(_COVERAGE_COLUMNS):
            batch.drop_column(name)
    for index in ("ix_patient_dob", "ix_patient_name", "ux_patient_account"):
        op.drop_index(index, table_name="patient")
    with op.batch_alter_table("patient") as batch:
        batch.drop_column("self_pay")
        for name, _ in reversed(_PATIENT_COLUMNS):
            batch.drop_column(name)
