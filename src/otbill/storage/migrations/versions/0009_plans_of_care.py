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


# plan_of_care's new references: (column, referred table)
_PLAN_REFERENCES = (
    ("physician_id", "physician"),
    ("referral_id", "referral"),
    ("recertifies_id", "plan_of_care"),
)


def _add_reference(name: str, target: str) -> None:
    """A nullable reference column on plan_of_care. On SQLite it is one ALTER TABLE ... ADD
    COLUMN with the foreign key inline, not a batch copy: copying drops plan_of_care, which
    SQLite refuses while visits refer to its rows."""
    constraint = f"fk_plan_of_care_{name}_{target}"
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            f"ALTER TABLE plan_of_care ADD COLUMN {name} INTEGER "
            f"CONSTRAINT {constraint} REFERENCES {target} (id)"
        )
        return
    op.add_column("plan_of_care", sa.Column(name, sa.Integer(), nullable=True))
    op.create_foreign_key(constraint, "plan_of_care", target, [name], ["id"])


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
    for name, target in _PLAN_REFERENCES:
        _add_reference(name, target)
    op.add_column("plan_of_care", sa.Column("evaluation_visit_id", sa.Integer(), nullable=True))
    op.add_column("plan_of_care", sa.Column("delay_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+), as in upgrade: no batch copy.
    op.drop_column("plan_of_care", "delay_reason")
    op.drop_column("plan_of_care", "evaluation_visit_id")
    for name, target in reversed(_PLAN_REFERENCES):
        if op.get_bind().dialect.name != "sqlite":
            op.drop_constraint(f"fk_plan_of_care_{name}_{target}", "plan_of_care", "foreignkey")
        op.drop_column("plan_of_care", name)
    op.drop_index("ix_referral_patient", table_name="referral")
    op.drop_index(op.f("ix_referral_clinic_id"), table_name="referral")
    op.drop_table("referral")
    op.drop_index(op.f("ix_physician_clinic_id"), table_name="physician")
    op.drop_table("physician")
