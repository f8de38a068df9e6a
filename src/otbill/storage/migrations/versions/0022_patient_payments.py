"""Patient payments: payments and refunds, where each was applied, write-offs; account kinds.

Revision ID: 0022
Revises: 0021

A payment taken at the desk (cash, check, or card by its reference and last 4 digits — never a
card number) is one ``patient_payment`` row; its parts go on claim lines (ledger postings) and
account entries, or stay as credit (``payment_application``). Small-balance and hardship
write-offs wait in ``write_off`` for a second person. The account (``patient_posting``) gains the
kinds these write: ``payment``, ``refund``, ``credit-applied`` and ``write-off``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

_BEFORE = ("opening-balance", "self-pay-charge", "discount", "package-sale", "package-use")
_MINE = ("payment", "refund", "credit-applied", "write-off")


def _kinds(kinds: tuple[str, ...]) -> str:
    return "kind IN (" + ",".join(f"'{k}'" for k in kinds) + ")"


def _set_kinds(kinds: tuple[str, ...]) -> None:
    with op.batch_alter_table("patient_posting") as batch:
        batch.drop_constraint(op.f("ck_patient_posting_kind"), type_="check")
        batch.create_check_constraint(op.f("ck_patient_posting_kind"), _kinds(kinds))


def upgrade() -> None:
    op.create_table(
        "patient_payment",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=True),
        sa.Column("card_last4", sa.String(length=4), nullable=True),
        sa.Column("reason", sa.String(length=300), nullable=True),
        sa.Column("location_id", sa.Integer(), nullable=True),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        sa.Column("taken_by", sa.Integer(), nullable=True),
        sa.Column("taken_at", sa.DateTime(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("amount_cents > 0", name=op.f("ck_patient_payment_amount")),
        sa.CheckConstraint("kind IN ('payment','refund')", name=op.f("ck_patient_payment_kind")),
        sa.CheckConstraint(
            "method IN ('cash','check','card')", name=op.f("ck_patient_payment_method")
        ),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinic.id"], name=op.f("fk_patient_payment_clinic_id_clinic")
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["clinic_location.id"],
            name=op.f("fk_patient_payment_location_id_clinic_location"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_patient_payment_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["taken_by"], ["app_user.id"], name=op.f("fk_patient_payment_taken_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_patient_payment_visit_id_visit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patient_payment")),
    )
    with op.batch_alter_table("patient_payment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_patient_payment_clinic_id"), ["clinic_id"])
        batch_op.create_index("ix_patient_payment_day", ["clinic_id", "received_on"])
        batch_op.create_index("ix_patient_payment_patient", ["clinic_id", "patient_id"])
    op.create_table(
        "write_off",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("asked_by", sa.Integer(), nullable=True),
        sa.Column("asked_on", sa.Date(), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decision_note", sa.String(length=300), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("amount_cents > 0", name=op.f("ck_write_off_amount")),
        sa.CheckConstraint("kind IN ('small-balance','hardship')", name=op.f("ck_write_off_kind")),
        sa.CheckConstraint(
            "status IN ('pending','approved','refused')", name=op.f("ck_write_off_status")
        ),
        sa.ForeignKeyConstraint(
            ["asked_by"], ["app_user.id"], name=op.f("fk_write_off_asked_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinic.id"], name=op.f("fk_write_off_clinic_id_clinic")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["app_user.id"], name=op.f("fk_write_off_decided_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_write_off_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_write_off")),
    )
    with op.batch_alter_table("write_off", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_write_off_clinic_id"), ["clinic_id"])
        batch_op.create_index("ix_write_off_patient", ["clinic_id", "patient_id"])
    op.create_table(
        "payment_application",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=True),
        sa.Column("write_off_id", sa.Integer(), nullable=True),
        sa.Column("claim_line_id", sa.Integer(), nullable=True),
        sa.Column("entry_id", sa.Integer(), nullable=True),
        sa.Column("from_credit", sa.Boolean(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("amount_cents > 0", name=op.f("ck_payment_application_amount")),
        sa.CheckConstraint(
            "payment_id IS NULL OR write_off_id IS NULL",
            name=op.f("ck_payment_application_one_source"),
        ),
        sa.ForeignKeyConstraint(
            ["claim_line_id"],
            ["claim_line.id"],
            name=op.f("fk_payment_application_claim_line_id_claim_line"),
        ),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinic.id"], name=op.f("fk_payment_application_clinic_id_clinic")
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["patient_posting.id"],
            name=op.f("fk_payment_application_entry_id_patient_posting"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
            name=op.f("fk_payment_application_patient_id_patient"),
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["patient_payment.id"],
            name=op.f("fk_payment_application_payment_id_patient_payment"),
        ),
        sa.ForeignKeyConstraint(
            ["write_off_id"],
            ["write_off.id"],
            name=op.f("fk_payment_application_write_off_id_write_off"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_application")),
    )
    with op.batch_alter_table("payment_application", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_application_clinic_id"), ["clinic_id"])
        batch_op.create_index("ix_payment_application_patient", ["clinic_id", "patient_id"])
        batch_op.create_index("ix_payment_application_payment", ["clinic_id", "payment_id"])
    _set_kinds(_BEFORE + _MINE)


def downgrade() -> None:
    op.execute(
        "DELETE FROM patient_posting WHERE kind IN ("
        + ",".join(f"'{k}'" for k in _MINE) + ")"
    )  # fmt: skip
    _set_kinds(_BEFORE)
    op.drop_table("payment_application")
    op.drop_table("write_off")
    op.drop_table("patient_payment")
