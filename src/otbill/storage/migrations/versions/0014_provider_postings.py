"""Provider-level adjustments (PLB) reach the ledger: the provider_posting table; PLB work items
queued before this change get their amount back.

Revision ID: 0014
Revises: 0013

Before, a PLB became a work item of kind 835 whose amounts were 0 (the amount was only in the
reason, "provider-level adjustment L6 of -3.50: post by hand"). Those items are now kind PLB and
carry the amount as its effect on the payment (PLB04 negated: interest adds, a recovery takes).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_OLD_REASON = re.compile(r"^provider-level adjustment \S* of (-?\d+(?:\.\d+)?): post by hand$")


def upgrade() -> None:
    op.create_table(
        "provider_posting",
        sa.Column("source_key", sa.String(length=200), nullable=False),
        sa.Column("remittance_id", sa.Integer(), nullable=True),
        sa.Column("work_item_id", sa.Integer(), nullable=True),
        sa.Column("reference", sa.String(length=80), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("posted_on", sa.Date(), nullable=False),
        sa.Column("posted_at", sa.DateTime(), nullable=False),
        sa.Column("posted_by", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinic.id"], name=op.f("fk_provider_posting_clinic_id_clinic")
        ),
        sa.ForeignKeyConstraint(
            ["posted_by"], ["app_user.id"], name=op.f("fk_provider_posting_posted_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["remittance_id"],
            ["remittance.id"],
            name=op.f("fk_provider_posting_remittance_id_remittance"),
        ),
        sa.ForeignKeyConstraint(
            ["work_item_id"],
            ["edi_work_item.id"],
            name=op.f("fk_provider_posting_work_item_id_edi_work_item"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider_posting")),
        sa.UniqueConstraint(
            "clinic_id", "source_key", name=op.f("uq_provider_posting_clinic_id_source_key")
        ),
        sa.UniqueConstraint("work_item_id", name=op.f("uq_provider_posting_work_item_id")),
    )
    with op.batch_alter_table("provider_posting", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_provider_posting_clinic_id"), ["clinic_id"], unique=False
        )
        batch_op.create_index(
            "ix_provider_posting_remittance", ["clinic_id", "remittance_id"], unique=False
        )
    _backfill(op.get_bind())


def _backfill(bind: sa.Connection) -> None:
    items = bind.execute(
        sa.text("SELECT id, reason FROM edi_work_item WHERE kind = '835' AND reference LIKE 'PLB%'")
    )
    for item_id, reason in list(items):
        match = _OLD_REASON.match(reason or "")
        if match is None:
            continue
        try:
            cents = int((Decimal(match.group(1)) * 100).to_integral_value())
        except InvalidOperation:
            continue
        bind.execute(
            sa.text("UPDATE edi_work_item SET kind = 'PLB', paid_cents = :cents WHERE id = :id"),
            {"cents": -cents, "id": item_id},
        )


def downgrade() -> None:
    with op.batch_alter_table("provider_posting", schema=None) as batch_op:
        batch_op.drop_index("ix_provider_posting_remittance")
        batch_op.drop_index(batch_op.f("ix_provider_posting_clinic_id"))
    op.drop_table("provider_posting")
    op.execute("UPDATE edi_work_item SET kind = '835', paid_cents = 0 WHERE kind = 'PLB'")
