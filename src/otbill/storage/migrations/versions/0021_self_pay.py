"""Self-pay: discount rules, cash packages (offered and sold), households; patient entry kinds.

Revision ID: 0021
Revises: 0020

Four new tables (``self_pay_rule``, ``self_pay_package``, ``patient_package``,
``self_pay_household``) and, on ``patient_posting``, the visit an entry bills (``visit_id``), the
package it sells or uses (``package_id``) and four more kinds: ``self-pay-charge``, ``discount``,
``package-sale`` and ``package-use``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

_OLD_KINDS = "'opening-balance'"
_KINDS = "'opening-balance','self-pay-charge','discount','package-sale','package-use'"


def _kinds(kinds: str) -> None:
    with op.batch_alter_table("patient_posting") as batch:
        batch.drop_constraint(op.f("ck_patient_posting_kind"), type_="check")
        batch.create_check_constraint(op.f("ck_patient_posting_kind"), f"kind IN ({kinds})")


def upgrade() -> None:
    op.create_table(
        "self_pay_package",
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("visits", sa.Integer(), nullable=False),
        sa.Column("price_cents", sa.Integer(), nullable=False),
        sa.Column("valid_days", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinic.id"], name=op.f("fk_self_pay_package_clinic_id_clinic")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_self_pay_package")),
        sa.UniqueConstraint("clinic_id", "name", name=op.f("uq_self_pay_package_clinic_id_name")),
    )
    with op.batch_alter_table("self_pay_package", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_self_pay_package_clinic_id"), ["clinic_id"], unique=False
        )
    op.create_table(
        "patient_package",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("package_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("visits", sa.Integer(), nullable=False),
        sa.Column("price_cents", sa.Integer(), nullable=False),
        sa.Column("sold_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("sold_at", sa.DateTime(), nullable=False),
        sa.Column("sold_by", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinic.id"], name=op.f("fk_patient_package_clinic_id_clinic")
        ),
        sa.ForeignKeyConstraint(
            ["package_id"],
            ["self_pay_package.id"],
            name=op.f("fk_patient_package_package_id_self_pay_package"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_patient_package_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["sold_by"], ["app_user.id"], name=op.f("fk_patient_package_sold_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patient_package")),
    )
    with op.batch_alter_table("patient_package", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_patient_package_clinic_id"), ["clinic_id"], unique=False
        )
        batch_op.create_index(
            "ix_patient_package_patient", ["clinic_id", "patient_id"], unique=False
        )
    op.create_table(
        "self_pay_household",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("income_cents", sa.Integer(), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("income_cents >= 0", name=op.f("ck_self_pay_household_income_cents")),
        sa.CheckConstraint("size >= 1", name=op.f("ck_self_pay_household_size")),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinic.id"], name=op.f("fk_self_pay_household_clinic_id_clinic")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_self_pay_household_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"],
            ["app_user.id"],
            name=op.f("fk_self_pay_household_recorded_by_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_self_pay_household")),
        sa.UniqueConstraint(
            "clinic_id",
            "patient_id",
            "recorded_on",
            name=op.f("uq_self_pay_household_clinic_id_patient_id_recorded_on"),
        ),
    )
    with op.batch_alter_table("self_pay_household", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_self_pay_household_clinic_id"), ["clinic_id"], unique=False
        )
    op.create_table(
        "self_pay_rule",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("percent_off", sa.Integer(), nullable=False),
        sa.Column("income_up_to_percent", sa.Integer(), nullable=True),
        sa.Column("guideline_first_cents", sa.Integer(), nullable=True),
        sa.Column("guideline_each_more_cents", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('prompt-pay','sliding-scale')", name=op.f("ck_self_pay_rule_kind")
        ),
        sa.CheckConstraint(
            "percent_off BETWEEN 0 AND 100", name=op.f("ck_self_pay_rule_percent_off")
        ),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinic.id"], name=op.f("fk_self_pay_rule_clinic_id_clinic")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["app_user.id"], name=op.f("fk_self_pay_rule_created_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_self_pay_rule")),
        sa.UniqueConstraint(
            "clinic_id",
            "kind",
            "effective_from",
            "income_up_to_percent",
            name=op.f("uq_self_pay_rule_clinic_id_kind_effective_from_income_up_to_percent"),
        ),
    )
    with op.batch_alter_table("self_pay_rule", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_self_pay_rule_clinic_id"), ["clinic_id"], unique=False)
    with op.batch_alter_table("patient_posting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("visit_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("package_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_patient_posting_package_id_patient_package"),
            "patient_package",
            ["package_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_patient_posting_visit_id_visit"), "visit", ["visit_id"], ["id"]
        )
    _kinds(_KINDS)


def downgrade() -> None:
    op.execute("DELETE FROM patient_posting WHERE kind <> 'opening-balance'")
    _kinds(_OLD_KINDS)
    with op.batch_alter_table("patient_posting", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_patient_posting_visit_id_visit"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_patient_posting_package_id_patient_package"), type_="foreignkey"
        )
        batch_op.drop_column("package_id")
        batch_op.drop_column("visit_id")
    with op.batch_alter_table("self_pay_rule", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_self_pay_rule_clinic_id"))
    op.drop_table("self_pay_rule")
    with op.batch_alter_table("self_pay_household", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_self_pay_household_clinic_id"))
    op.drop_table("self_pay_household")
    with op.batch_alter_table("patient_package", schema=None) as batch_op:
        batch_op.drop_index("ix_patient_package_patient")
        batch_op.drop_index(batch_op.f("ix_patient_package_clinic_id"))
    op.drop_table("patient_package")
    with op.batch_alter_table("self_pay_package", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_self_pay_package_clinic_id"))
    op.drop_table("self_pay_package")
