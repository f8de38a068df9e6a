"""Clinic setup: the clinic's legal and billing identity, locations, provider details, payer terms.

Revision ID: 0006
Revises: 0005

Why the SQLite pragma: widening a CHECK constraint (more credentials, the front-desk role) copies
the table on SQLite, and dropping the old ``provider`` table while visits refer to it fails with
foreign keys on. SQLite's own procedure for such changes turns them off for the copy; the
connection is then detached so it is closed, not pooled, with foreign keys still off.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

CREDENTIALS = "'OTR/L','OT','OTR','COTA','COTA/L','OTA','PT','DPT','PTA','SLP','CCC-SLP','SLPA'"
ROLES = "'therapist','biller','approver','auditor','admin','front-desk'"
_OLD_CREDENTIALS = "'OTR/L','COTA'"
_OLD_ROLES = "'therapist','biller','approver','auditor','admin'"


def _address(prefix: str) -> list[sa.Column[str]]:
    return [
        sa.Column(f"{prefix}line1", sa.String(200), nullable=True),
        sa.Column(f"{prefix}city", sa.String(200), nullable=True),
        sa.Column(f"{prefix}state", sa.String(2), nullable=True),
        sa.Column(f"{prefix}zip", sa.String(9), nullable=True),
    ]


def _widen_checks(credentials: str, roles: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        bind.exec_driver_sql("PRAGMA foreign_keys=OFF")
        bind.detach()
    with op.batch_alter_table("provider") as batch:
        batch.drop_constraint(op.f("ck_provider_credential"), type_="check")
        batch.create_check_constraint(
            op.f("ck_provider_credential"), f"credential IN ({credentials})"
        )
    with op.batch_alter_table("user_role") as batch:
        batch.drop_constraint(op.f("ck_user_role_role"), type_="check")
        batch.create_check_constraint(op.f("ck_user_role_role"), f"role IN ({roles})")


def upgrade() -> None:
    _widen_checks(CREDENTIALS, ROLES)
    with op.batch_alter_table("clinic") as batch:
        for column in _address("pay_to_"):
            batch.add_column(column)
    with op.batch_alter_table("provider") as batch:
        batch.add_column(sa.Column("license_state", sa.String(2), nullable=True))
        batch.add_column(sa.Column("license_number", sa.String(40), nullable=True))
        batch.add_column(sa.Column("hired_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("terminated_on", sa.Date(), nullable=True))
    with op.batch_alter_table("payer") as batch:
        batch.add_column(sa.Column("network", sa.String(3), nullable=False, server_default="in"))
        for column in _address("claim_"):
            batch.add_column(column)
        batch.add_column(sa.Column("timely_filing_days", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("appeal_days", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("contract_notes", sa.Text(), nullable=True))
    op.create_table(
        "clinic_location",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("address_line1", sa.String(200), nullable=False),
        sa.Column("city", sa.String(200), nullable=False),
        sa.Column("state", sa.String(2), nullable=False),
        sa.Column("zip", sa.String(9), nullable=False),
        sa.Column("place_of_service", sa.String(2), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinic.id"], name=op.f("fk_clinic_location_clinic_id_clinic")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinic_location")),
        sa.UniqueConstraint("clinic_id", "name", name=op.f("uq_clinic_location_clinic_id_name")),
    )
    op.create_index(op.f("ix_clinic_location_clinic_id"), "clinic_location", ["clinic_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_clinic_location_clinic_id"), table_name="clinic_location")
    op.drop_table("clinic_location")
    with op.batch_alter_table("payer") as batch:
        for name in ("contract_notes", "appeal_days", "timely_filing_days", "network"):
            batch.drop_column(name)
        for column in _address("claim_"):
            batch.drop_column(column.name)
    with op.batch_alter_table("provider") as batch:
        for name in ("terminated_on", "hired_on", "license_number", "license_state"):
            batch.drop_column(name)
    with op.batch_alter_table("clinic") as batch:
        for column in _address("pay_to_"):
            batch.drop_column(column.name)
    _widen_checks(_OLD_CREDENTIALS, _OLD_ROLES)
