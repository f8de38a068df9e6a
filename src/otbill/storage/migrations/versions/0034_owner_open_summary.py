"""The owner's open-balance summary one level up, and the ledger's flows per day (issue 14).

``open_balance_day``: the open claim lines summed per payer, patient, therapist and day of
service, kept from ``claim_line_balance`` in the same flush
(:mod:`otbill.storage.repositories.owner_open`); ``collection_day``: charges, contractual
adjustments and payments per day of service (:mod:`otbill.storage.repositories.owner_collections`).
Both are filled here by an INSERT ... SELECT, so an upgraded clinic's agings and collections are
the ones it had before. Row-level security covers both on PostgreSQL.

Revision ID: 0034
Revises: 0033
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from otbill.storage.repositories.owner_collections import backfill_collection_days
from otbill.storage.repositories.owner_open import backfill_open_days
from otbill.storage.row_security import enable_clinic_policy

revision = "0034"
down_revision = "0033"
branch_labels = None
depends_on = None

_TABLE = "open_balance_day"
_COLLECTIONS = "collection_day"


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
    op.create_index(
        "ix_claim_line_balance_patient_day",
        "claim_line_balance",
        ["clinic_id", "patient_id", "date_of_service"],
    )
    _create_collection_day()
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        for table in (_TABLE, _COLLECTIONS):
            enable_clinic_policy(connection, table)
    backfill_open_days(connection)
    backfill_collection_days(connection)


def _create_collection_day() -> None:
    sums = ("charge_cents", "contractual_cents", "payer_paid_cents", "patient_paid_cents")
    op.create_table(
        _COLLECTIONS,
        sa.Column("date_of_service", sa.Date(), nullable=False),
        *(sa.Column(c, sa.BigInteger(), nullable=False) for c in sums),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["clinic_id"], ["clinic.id"],
                                name=op.f(f"fk_{_COLLECTIONS}_clinic_id_clinic")),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{_COLLECTIONS}")),
    )  # fmt: skip
    op.create_index(op.f(f"ix_{_COLLECTIONS}_clinic_id"), _COLLECTIONS, ["clinic_id"])
    op.create_index(
        "ux_collection_day_key", _COLLECTIONS, ["clinic_id", "date_of_service"], unique=True
    )


def downgrade() -> None:
    op.drop_index("ix_claim_line_balance_patient_day", "claim_line_balance")
    op.drop_table(_COLLECTIONS)
    op.drop_table(_TABLE)
