"""Billing companies, their users' clinic grants, row-level security on PostgreSQL (issue 15).

A company's users log in with the company's code; each grant owns a linked user in the granted
clinic (see ``otbill.storage.tables.companies``). On PostgreSQL every table with a ``clinic_id``
gets the clinic policy of ``otbill.storage.row_security`` (enabled and forced).

Revision ID: 0030
Revises: 0029
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from otbill.storage.row_security import clinic_tables, disable_clinic_policy, enable_clinic_policy

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None


def _create_tables() -> None:
    op.create_table(
        "billing_company",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_billing_company")),
        sa.UniqueConstraint("code", name=op.f("uq_billing_company_code")),
    )
    op.create_table(
        "company_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=60), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("owner", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["billing_company.id"],
            name=op.f("fk_company_user_company_id_billing_company"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company_user")),
    )  # fmt: skip
    with op.batch_alter_table("company_user") as batch:
        batch.create_index(batch.f("ix_company_user_company_id"), ["company_id"])
        batch.create_index(
            "ux_company_user_lower_username",
            ["company_id", sa.text("lower(username)")],
            unique=True,
        )
    op.create_table(
        "company_grant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("company_user_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("granted_at", sa.DateTime(), nullable=False),
        sa.Column("granted_by", sa.String(length=120), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinic.id"], name=op.f("fk_company_grant_clinic_id_clinic")
        ),
        sa.ForeignKeyConstraint(
            ["company_user_id"], ["company_user.id"],
            name=op.f("fk_company_grant_company_user_id_company_user"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_company_grant_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company_grant")),
        sa.UniqueConstraint(
            "company_user_id", "clinic_id", name=op.f("uq_company_grant_company_user_id_clinic_id")
        ),
    )  # fmt: skip
    with op.batch_alter_table("company_grant") as batch:
        batch.create_index(batch.f("ix_company_grant_clinic_id"), ["clinic_id"])
        batch.create_index(batch.f("ix_company_grant_company_user_id"), ["company_user_id"])
        batch.create_index("ix_company_grant_user", ["user_id"])


def upgrade() -> None:
    _create_tables()
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        for table in clinic_tables(connection):
            enable_clinic_policy(connection, table)


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        for table in clinic_tables(connection):
            disable_clinic_policy(connection, table)
    op.drop_table("company_grant")
    with op.batch_alter_table("company_user") as batch:
        batch.drop_index("ux_company_user_lower_username")
        batch.drop_index(batch.f("ix_company_user_company_id"))
    op.drop_table("company_user")
    op.drop_table("billing_company")
