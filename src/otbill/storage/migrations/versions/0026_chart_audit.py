"""Chart-audit results: one row per sampled visit of a quarter's coding audit (the checklist's
pass/fail/n-a per item, a comment, the sample's seed, who audited and when).

Revision ID: 0026
Revises: 0024
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "chart_audit",
        sa.Column("quarter", sa.String(length=6), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("audited_by", sa.Integer(), nullable=False),
        sa.Column("audited_at", sa.DateTime(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["audited_by"], ["app_user.id"], name=op.f("fk_chart_audit_audited_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinic.id"], name=op.f("fk_chart_audit_clinic_id_clinic")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_chart_audit_visit_id_visit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chart_audit")),
        sa.UniqueConstraint(
            "clinic_id",
            "quarter",
            "visit_id",
            name=op.f("uq_chart_audit_clinic_id_quarter_visit_id"),
        ),
    )
    with op.batch_alter_table("chart_audit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_chart_audit_clinic_id"), ["clinic_id"])


def downgrade() -> None:
    with op.batch_alter_table("chart_audit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chart_audit_clinic_id"))
    op.drop_table("chart_audit")
