"""Coordination of benefits: the claim a secondary or tertiary follows, and crossover notices.

Revision ID: 0020
Revises: 0019

Two new tables only. ``claim_coordination`` links a later payer's claim to the claim whose
adjudication it carries (unique per claim; sequence ``S`` or ``T`` as in SBR01).
``claim_crossover`` keeps a primary 835's word that the payer forwarded the claim to the next
payer, once per claim and remittance.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "claim_coordination",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("prior_claim_id", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.String(length=1), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("sequence IN ('S','T')", name=op.f("ck_claim_coordination_sequence")),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_claim_coordination_claim_id_claim")
        ),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinic.id"], name=op.f("fk_claim_coordination_clinic_id_clinic")
        ),
        sa.ForeignKeyConstraint(
            ["prior_claim_id"],
            ["claim.id"],
            name=op.f("fk_claim_coordination_prior_claim_id_claim"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_coordination")),
        sa.UniqueConstraint("claim_id", name=op.f("uq_claim_coordination_claim_id")),
    )
    with op.batch_alter_table("claim_coordination", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_coordination_clinic_id"), ["clinic_id"])
        batch_op.create_index(
            batch_op.f("ix_claim_coordination_prior_claim_id"), ["prior_claim_id"]
        )
    op.create_table(
        "claim_crossover",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("remittance_id", sa.Integer(), nullable=True),
        sa.Column("to_payer_name", sa.String(length=80), nullable=False),
        sa.Column("reason", sa.String(length=80), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_claim_crossover_claim_id_claim")
        ),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinic.id"], name=op.f("fk_claim_crossover_clinic_id_clinic")
        ),
        sa.ForeignKeyConstraint(
            ["remittance_id"],
            ["remittance.id"],
            name=op.f("fk_claim_crossover_remittance_id_remittance"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_crossover")),
        sa.UniqueConstraint(
            "claim_id", "remittance_id", name=op.f("uq_claim_crossover_claim_id_remittance_id")
        ),
    )
    with op.batch_alter_table("claim_crossover", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_crossover_claim_id"), ["claim_id"])
        batch_op.create_index(batch_op.f("ix_claim_crossover_clinic_id"), ["clinic_id"])


def downgrade() -> None:
    with op.batch_alter_table("claim_crossover", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_crossover_clinic_id"))
        batch_op.drop_index(batch_op.f("ix_claim_crossover_claim_id"))
    op.drop_table("claim_crossover")
    with op.batch_alter_table("claim_coordination", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_coordination_prior_claim_id"))
        batch_op.drop_index(batch_op.f("ix_claim_coordination_clinic_id"))
    op.drop_table("claim_coordination")
