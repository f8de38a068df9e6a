"""Server-side login sessions, and the audit chain's anchor (row count and last hash) per clinic.

Revision ID: 0015
Revises: 0014

Existing clinics get their anchor from their chain as it stands (the head row's seq and hash), so
``otbill audit verify`` checks from the upgrade on.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_session",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=True),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("ended_why", sa.String(length=40), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinic.id"], name=op.f("fk_login_session_clinic_id_clinic")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_login_session_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_login_session_token_hash")),
    )
    with op.batch_alter_table("login_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_session_clinic_id"), ["clinic_id"])
        batch_op.create_index("ix_login_session_user", ["clinic_id", "user_id"])
    anchor = op.create_table(
        "audit_anchor",
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinic.id"], name=op.f("fk_audit_anchor_clinic_id_clinic")
        ),
        sa.PrimaryKeyConstraint("clinic_id", name=op.f("pk_audit_anchor")),
    )
    heads = op.get_bind().execute(sa.text("SELECT clinic_id, seq, hash FROM audit_head"))
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    rows = [{"clinic_id": c, "row_count": s, "hash": h, "at": now} for c, s, h in heads]
    if rows:
        op.bulk_insert(anchor, rows)


def downgrade() -> None:
    op.drop_table("audit_anchor")
    with op.batch_alter_table("login_session", schema=None) as batch_op:
        batch_op.drop_index("ix_login_session_user")
        batch_op.drop_index(batch_op.f("ix_login_session_clinic_id"))
    op.drop_table("login_session")
