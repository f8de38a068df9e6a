"""Claim lines' open balances and claims' first-submission outcomes, kept for the owner's reports (issue 14).

Both tables are derived (the ledger and the status history stay the source) and are filled here
from them with two INSERT ... SELECTs (:func:`otbill.storage.repositories.owner_summary.backfill`),
so an upgraded clinic's numbers are the ones it had before.

Revision ID: 0028
Revises: 0027
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from otbill.storage.repositories.owner_summary import backfill

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def _create_line_balance() -> None:
    table = "claim_line_balance"
    op.create_table(
        table,
        sa.Column("claim_line_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("payer_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("date_of_service", sa.Date(), nullable=False),
        sa.Column("billed_on", sa.Date(), nullable=False),
        sa.Column("insurance_cents", sa.Integer(), nullable=False),
        sa.Column("patient_cents", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        *(_fk(table, c, t) for c, t in (("claim_line_id", "claim_line"), ("claim_id", "claim"),
                                        ("payer_id", "payer"), ("patient_id", "patient"),
                                        ("provider_id", "provider"), ("clinic_id", "clinic"))),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        sa.UniqueConstraint("claim_line_id", name=op.f(f"uq_{table}_claim_line_id")),
    )  # fmt: skip
    op.create_index(op.f(f"ix_{table}_clinic_id"), table, ["clinic_id"])
    op.create_index("ix_claim_line_balance_served", table, ["clinic_id", "date_of_service"])
    op.create_index("ix_claim_line_balance_claim", table, ["claim_id"])


def _create_outcome() -> None:
    table = "claim_outcome"
    flags = ("submitted", "rejected", "paid", "troubled", "replaced", "decided", "denied")
    op.create_table(
        table,
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("payer_id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=True),
        sa.Column("date_of_service", sa.Date(), nullable=False),
        sa.Column("frequency_code", sa.String(length=1), nullable=False),
        *(sa.Column(flag, sa.Boolean(), nullable=False) for flag in flags),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        *(_fk(table, c, t) for c, t in (("claim_id", "claim"), ("payer_id", "payer"),
                                        ("provider_id", "provider"), ("clinic_id", "clinic"))),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        sa.UniqueConstraint("claim_id", name=op.f(f"uq_{table}_claim_id")),
    )  # fmt: skip
    op.create_index(op.f(f"ix_{table}_clinic_id"), table, ["clinic_id"])
    op.create_index("ix_claim_outcome_served", table, ["clinic_id", "date_of_service"])


def upgrade() -> None:
    _create_line_balance()
    _create_outcome()
    backfill(op.get_bind())


def downgrade() -> None:
    op.drop_table("claim_outcome")
    op.drop_table("claim_line_balance")
