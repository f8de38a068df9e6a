"""Appeal packets (one per denial: cause, letter, level, deadline, final PDF, sent date) and
prevention checks (a recurring denial pattern proposed, accepted or dismissed).

Revision ID: 0024
Revises: 0023
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "appeal_packet",
        sa.Column("denial_id", sa.Integer(), nullable=False),
        sa.Column("cause", sa.String(length=20), nullable=False),
        sa.Column("template", sa.String(length=24), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=5), nullable=False),
        sa.Column("edited_by", sa.Integer(), nullable=False),
        sa.Column("edited_at", sa.DateTime(), nullable=False),
        sa.Column("finalised_by", sa.Integer(), nullable=True),
        sa.Column("finalised_at", sa.DateTime(), nullable=True),
        sa.Column("pdf", sa.LargeBinary(), nullable=True),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=True),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("appeal_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('draft','final','sent')", name=op.f("ck_appeal_packet_status")
        ),
        sa.ForeignKeyConstraint(
            ["appeal_id"], ["appeal.id"], name=op.f("fk_appeal_packet_appeal_id_appeal")
        ),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinic.id"], name=op.f("fk_appeal_packet_clinic_id_clinic")
        ),
        sa.ForeignKeyConstraint(
            ["denial_id"], ["denial.id"], name=op.f("fk_appeal_packet_denial_id_denial")
        ),
        sa.ForeignKeyConstraint(
            ["edited_by"], ["app_user.id"], name=op.f("fk_appeal_packet_edited_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["finalised_by"], ["app_user.id"], name=op.f("fk_appeal_packet_finalised_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appeal_packet")),
        sa.UniqueConstraint("denial_id", name=op.f("uq_appeal_packet_denial_id")),
    )
    with op.batch_alter_table("appeal_packet", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appeal_packet_clinic_id"), ["clinic_id"])
    op.create_table(
        "prevention_check",
        sa.Column("payer_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=5), nullable=False),
        sa.Column("carc", sa.String(length=5), nullable=False),
        sa.Column("with_code", sa.String(length=5), nullable=True),
        sa.Column("cause", sa.String(length=20), nullable=False),
        sa.Column("denials", sa.Integer(), nullable=False),
        sa.Column("first_on", sa.Date(), nullable=False),
        sa.Column("last_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=9), nullable=False),
        sa.Column("proposed_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('proposed','accepted','dismissed')",
            name=op.f("ck_prevention_check_status"),
        ),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinic.id"], name=op.f("fk_prevention_check_clinic_id_clinic")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["app_user.id"], name=op.f("fk_prevention_check_decided_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["payer_id"], ["payer.id"], name=op.f("fk_prevention_check_payer_id_payer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prevention_check")),
        sa.UniqueConstraint(
            "clinic_id",
            "payer_id",
            "code",
            "carc",
            name=op.f("uq_prevention_check_clinic_id_payer_id_code_carc"),
        ),
    )
    with op.batch_alter_table("prevention_check", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_prevention_check_clinic_id"), ["clinic_id"])


def downgrade() -> None:
    with op.batch_alter_table("prevention_check", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_prevention_check_clinic_id"))
    op.drop_table("prevention_check")
    with op.batch_alter_table("appeal_packet", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appeal_packet_clinic_id"))
    op.drop_table("appeal_packet")
