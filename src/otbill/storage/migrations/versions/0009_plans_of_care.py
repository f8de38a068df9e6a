"""Referrals and plans of care: the certifying physician, episodes, certification and recertification.

Existing plans keep their dates; they have no physician record (the certifying NPI and name stay
on the plan, as the claim builder reads them), no referral and no delay reason.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _clinic_columns(table: str) -> list[sa.schema.SchemaItem]:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinic.id"], name=op.f(f"fk_{table}_clinic_id_clinic")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    op.create_table(
        "physician",
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("npi", sa.String(length=10), nullable=False),
        sa.Column("fax", sa.String(length=20), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        *_clinic_columns("physician"),
        sa.UniqueConstraint("clinic_id", "npi", name=op.f("uq_physician_clinic_id_npi")),
    )
    op.create_index(op.f("ix_physician_clinic_id"), "physician", ["clinic_id"], unique=False)
    op.create_table(
        "referral",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("physician_id", sa.Integer(), nullable=False),
        sa.Column("referred_on", sa.Date(), nullable=False),
        sa.Column("diagnoses", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        *_clinic_columns("referral"),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_referral_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["physician_id"], ["physician.id"], name=op.f("fk_referral_physician_id_physician")
        ),
    )
    op.create_index(op.f("ix_referral_clinic_id"), "referral", ["clinic_id"], unique=False)
    op.create_index("ix_referral_patient", "referral", ["clinic_id", "patient_id"], unique=False)
    with op.batch_alter_table("plan_of_care", schema=None) as batch_op:
        batch_op.add_column(sa.Column("physician_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("referral_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("evaluation_visit_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("recertifies_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("delay_reason", sa.Text(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_plan_of_care_physician_id_physician"),
            "physician",
            ["physician_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_plan_of_care_referral_id_referral"), "referral", ["referral_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_plan_of_care_recertifies_id_plan_of_care"),
            "plan_of_care",
            ["recertifies_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("plan_of_care", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_plan_of_care_recertifies_id_plan_of_care"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_plan_of_care_referral_id_referral"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_plan_of_care_physician_id_physician"), type_="foreignkey"
        )
        batch_op.drop_column("delay_reason")
        batch_op.drop_column("recertifies_id")
        batch_op.drop_column("evaluation_visit_id")
        batch_op.drop_column("referral_id")
        batch_op.drop_column("physician_id")
    op.drop_index("ix_referral_patient", table_name="referral")
    op.drop_index(op.f("ix_referral_clinic_id"), table_name="referral")
    op.drop_table("referral")
    op.drop_index(op.f("ix_physician_clinic_id"), table_name="physician")
    op.drop_table("physician")
