"""Patient-level postings: opening balances from the old system leave their made-up claims.

Revision ID: 0016
Revises: 0015

Before, an imported opening balance was a closed one-line claim (line code ``OPBAL``) with a
charge and a transfer to the patient; it showed among the clinic's claims. Each such claim
becomes one ``patient_posting`` (kind ``opening-balance``, same amount, date and source key) and
the made-up claim, its line, status history and postings are removed.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "patient_posting",
        sa.Column("source_key", sa.String(length=200), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=True),
        sa.Column("posted_on", sa.Date(), nullable=False),
        sa.Column("posted_at", sa.DateTime(), nullable=False),
        sa.Column("posted_by", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("kind IN ('opening-balance')", name=op.f("ck_patient_posting_kind")),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinic.id"], name=op.f("fk_patient_posting_clinic_id_clinic")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_patient_posting_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["provider.id"], name=op.f("fk_patient_posting_provider_id_provider")
        ),
        sa.ForeignKeyConstraint(
            ["posted_by"], ["app_user.id"], name=op.f("fk_patient_posting_posted_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patient_posting")),
        sa.UniqueConstraint(
            "clinic_id", "source_key", name=op.f("uq_patient_posting_clinic_id_source_key")
        ),
    )
    with op.batch_alter_table("patient_posting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_patient_posting_clinic_id"), ["clinic_id"])
        batch_op.create_index("ix_patient_posting_patient", ["clinic_id", "patient_id"])
    _move_opening_balance_claims(op.get_bind())


def _move_opening_balance_claims(bind: sa.Connection) -> None:
    carriers = bind.execute(
        sa.text(
            "SELECT c.id, c.clinic_id, c.patient_id, c.number, l.id, l.charge_cents, l.date,"
            " l.rendering_provider_id, c.created_by FROM claim c"
            " JOIN claim_line l ON l.claim_id = c.id WHERE l.code = 'OPBAL'"
        )
    ).all()
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for claim_id, clinic_id, patient, number, line_id, cents, on, provider, by in carriers:
        key = bind.execute(
            sa.text("SELECT source_key FROM posting WHERE claim_line_id = :l AND kind = 'charge'"),
            {"l": line_id},
        ).scalar()
        bind.execute(
            sa.text(
                "INSERT INTO patient_posting (clinic_id, source_key, patient_id, kind,"
                " amount_cents, source, provider_id, posted_on, posted_at, posted_by)"
                " VALUES (:c, :k, :p, 'opening-balance', :a, :s, :pr, :on, :at, :by)"
            ),
            {"c": clinic_id, "k": key or f"opening:{number}", "p": patient, "a": cents,
             "s": f"opening balance from the old system (was claim {number})", "pr": provider,
             "on": on, "at": now, "by": by},
        )  # fmt: skip
        for table, column in (("posting", "claim_id"), ("claim_status_history", "claim_id"),
                              ("claim_editor", "claim_id"), ("claim_line", "claim_id"),
                              ("claim", "id")):  # fmt: skip
            bind.execute(sa.text(f"DELETE FROM {table} WHERE {column} = :id"), {"id": claim_id})


def downgrade() -> None:
    with op.batch_alter_table("patient_posting", schema=None) as batch_op:
        batch_op.drop_index("ix_patient_posting_patient")
        batch_op.drop_index(batch_op.f("ix_patient_posting_clinic_id"))
    op.drop_table("patient_posting")
