"""Patient statements: the statements sent, and the holds that keep one from being sent.

Revision ID: 0023
Revises: 0022

Two new tables only. ``statement``: one per guarantor per statement date (a run repeated the same
day sends nothing twice), with its cycle, amount due, due date, batch and content as sent.
``statement_hold``: do not send, per patient, with its reason (set and lifted in the audit log).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "statement",
        sa.Column("guarantor_key", sa.String(length=200), nullable=False),
        sa.Column("guarantor_name", sa.String(length=200), nullable=False),
        sa.Column("patient_ids", sa.JSON(), nullable=False),
        sa.Column("cycle", sa.String(length=10), nullable=False),
        sa.Column("statement_date", sa.Date(), nullable=False),
        sa.Column("amount_due_cents", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("batch", sa.String(length=80), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("cycle IN ('first','second','final')", name=op.f("ck_statement_cycle")),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinic.id"], name=op.f("fk_statement_clinic_id_clinic")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["app_user.id"], name=op.f("fk_statement_created_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statement")),
        sa.UniqueConstraint(
            "clinic_id",
            "guarantor_key",
            "statement_date",
            name=op.f("uq_statement_clinic_id_guarantor_key_statement_date"),
        ),
    )
    with op.batch_alter_table("statement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_statement_clinic_id"), ["clinic_id"])
        batch_op.create_index("ix_statement_batch", ["clinic_id", "batch"])
        batch_op.create_index("ix_statement_date", ["clinic_id", "statement_date"])
    op.create_table(
        "statement_hold",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("held_at", sa.DateTime(), nullable=False),
        sa.Column("held_by", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "scope IN ('patient','guarantor')", name=op.f("ck_statement_hold_scope")
        ),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinic.id"], name=op.f("fk_statement_hold_clinic_id_clinic")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_statement_hold_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["held_by"], ["app_user.id"], name=op.f("fk_statement_hold_held_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statement_hold")),
        sa.UniqueConstraint(
            "clinic_id", "patient_id", name=op.f("uq_statement_hold_clinic_id_patient_id")
        ),
    )
    with op.batch_alter_table("statement_hold", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_statement_hold_clinic_id"), ["clinic_id"])


def downgrade() -> None:
    op.drop_table("statement_hold")
    with op.batch_alter_table("statement", schema=None) as batch_op:
        batch_op.drop_index("ix_statement_date")
        batch_op.drop_index("ix_statement_batch")
        batch_op.drop_index(batch_op.f("ix_statement_clinic_id"))
    op.drop_table("statement")
