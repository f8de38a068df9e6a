"""The owner's open-balance summary one level up (issue 14).

``open_balance_day``: the open claim lines summed per payer, patient, therapist and day of
service, kept from ``claim_line_balance`` in the same flush
(:mod:`otbill.storage.repositories.owner_open`) and filled here by one INSERT ... SELECT, so an
upgraded clinic's agings are the ones it had before. Row-level security covers it on PostgreSQL.

Revision ID: 0034
Revises: 0033
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from otbill.storage.repositories.owner_open import backfill_open_days
from otbill.storage.row_security import enable_clinic_policy

revision = "0034"
down_revision = "0033"
branch_labels = None
depends_on = None

_TABLE = "open_balance_day"


def _fk(column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{_TABLE}_{column}_{target}")
    )


def upgrade() -> None:
    op.create_table(
        _TABLE,
        sa.Column("payer_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("date_of_service", sa.Date(), nullable=False),
        sa.Column("insurance_cents", sa.Integer(), nullable=False),
        sa.Column("patient_cents", sa.Integer(), nullable=False),
        sa.Column("claims", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        *(_fk(c, t) for c, t in (("payer_id", "payer"), ("patient_id", "patient"),
                                 ("provider_id", "provider"), ("clinic_id", "clinic"))),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{_TABLE}")),
    )  # fmt: skip
    op.create_index(op.f(f"ix_{_TABLE}_clinic_id"), _TABLE, ["clinic_id"])
    op.create_index(
        "ux_open_balance_day_key",
        _TABLE,
        ["clinic_id", "payer_id", "patient_id", "provider_id", "date_of_service"],
        unique=True,
    )
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        enable_clinic_policy(connection, _TABLE)
    backfill_open_days(connection)


def downgrade() -> None:
    op.drop_table(_TABLE)
