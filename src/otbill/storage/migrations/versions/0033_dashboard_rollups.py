"""Per-clinic daily rollups behind the dashboard (issue 15).

``dashboard_day`` (one row per clinic, day of service and payer: first scrubs, clean first scrubs,
payments, visits of paid claims, open balances), ``denial_cause_day`` (claims denied per day,
group code and CARC) and ``claim_month`` (claims and their charges per month of service, payer and status, voids
apart) and ``unbilled_visit`` (the visits no claim bills yet). Derived from the status history,
the ledger, the claims' visits, the owner's line balances, the denials, the claims and the
visits, and filled from them here
(:func:`otbill.storage.repositories.dashboard_summary.backfill_rollups`), so an upgraded
clinic's dashboard shows the figures it showed before. Every table carries the clinic policy on
PostgreSQL.

Revision ID: 0033
Revises: 0032
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from otbill.storage.repositories.dashboard_summary import backfill_rollups
from otbill.storage.row_security import enable_clinic_policy

revision = "0033"
down_revision = "0032"
branch_labels = None
depends_on = None

#: dashboard_day's counters (written out: a migration does not follow later code)
_DAY_COUNTERS = ("scrubbed", "clean", "payer_paid_cents", "patient_paid_cents", "paid_visits",
                 "open_insurance_cents", "open_patient_cents", "open_claims", "decided", "denied")  # fmt: skip
_TABLES = ("dashboard_day", "denial_cause_day", "claim_month", "unbilled_visit")


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def _create(table: str, key: list[str], columns: list[sa.Column[Any]], fks: list[str]) -> None:
    op.create_table(
        table,
        *columns,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        *(_fk(table, f"{t}_id", t) for t in fks),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    )
    op.create_index(op.f(f"ix_{table}_clinic_id"), table, ["clinic_id"])
    op.create_index(f"ix_{table}_key", table, ["clinic_id", *key], unique=True)


def _create_unbilled() -> None:
    table = "unbilled_visit"
    op.create_table(
        table,
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        *(_fk(table, f"{t}_id", t) for t in ("visit", "clinic")),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        sa.UniqueConstraint("visit_id", name=op.f(f"uq_{table}_visit_id")),
    )
    op.create_index(op.f(f"ix_{table}_clinic_id"), table, ["clinic_id"])


def upgrade() -> None:
    _create(
        "dashboard_day",
        ["date_of_service", "payer_id"],
        [
            sa.Column("date_of_service", sa.Date(), nullable=False),
            sa.Column("payer_id", sa.Integer(), nullable=False),
            *(sa.Column(name, sa.Integer(), nullable=False) for name in _DAY_COUNTERS),
        ],
        ["payer", "clinic"],
    )
    _create(
        "denial_cause_day",
        ["date_of_service", "group_code", "carc"],
        [
            sa.Column("date_of_service", sa.Date(), nullable=False),
            sa.Column("group_code", sa.String(length=2), nullable=False),
            sa.Column("carc", sa.String(length=5), nullable=False),
            sa.Column("claims", sa.Integer(), nullable=False),
        ],
        ["clinic"],
    )
    _create(
        "claim_month",
        ["month", "payer_id", "status", "void"],
        [
            sa.Column("month", sa.Date(), nullable=False),
            sa.Column("payer_id", sa.Integer(), nullable=False),
            sa.Column("status", sa.String(length=20), nullable=False),
            sa.Column("void", sa.Boolean(), nullable=False),
            sa.Column("claims", sa.Integer(), nullable=False),
            sa.Column("charge_cents", sa.Integer(), nullable=False),
        ],
        ["payer", "clinic"],
    )
    _create_unbilled()
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        for table in _TABLES:
            enable_clinic_policy(connection, table)
    backfill_rollups(connection)


def downgrade() -> None:
    for table in reversed(_TABLES):
        op.drop_table(table)
