"""Indexes behind the work queues, claim search and dashboard at 200 clinics (issue 15).

Revision ID: 0032
Revises: 0030

Measured with bench/scale.py (10,000,000 claim lines, 4,000,000 claims; docs/performance.md):
- ``ix_claim_served`` (clinic, date of service, id): claim search without a status (newest first,
  a date range) and every dashboard figure over a window of dates of service; before it, both
  read every claim of the clinic.
- ``ix_claim_payer`` (clinic, payer, date of service, id, status): search filtered by payer, and
  its claims per status counted from the index alone (the status tabs), the dashboard's payer mix.
- ``ix_claim_status_claim`` becomes (claim, id): a claim's first status change (the dashboard's
  clean-claim rate) is the index's first entry, not a sort of the claim's history.
- ``ix_visit_served`` (clinic, date): visits per day (cost per visit).
- PostgreSQL only, ``ix_claim_number_trgm``: a trigram GIN index on ``lower(number)``, so "part
  of the claim number" (``LIKE '%…%'``) finds its claims without reading the clinic's every claim.
  ``pg_trgm`` is installed in schema ``public`` (once per database; a trusted extension, so the
  database owner may create it) and named there, so any schema's index finds its operator class.
  The models do not declare it (SQLite has no such index): schema comparisons leave ``*_trgm``
  indexes out (``otbill.storage.migrate.is_otbill_name``).

Plain ``CREATE INDEX`` (the upgrade runs in one transaction): on PostgreSQL it blocks writes to the
table while it builds, about half a minute per index on a 4,000,000-claim table; upgrade in a
maintenance window.
"""

from __future__ import annotations

from alembic import op

revision = "0032"
down_revision = "0030"
branch_labels = None
depends_on = None

#: (index, table, columns) added by this revision.
INDEXES = (
    ("ix_claim_served", "claim", ["clinic_id", "date_of_service", "id"]),
    ("ix_claim_payer", "claim", ["clinic_id", "payer_id", "date_of_service", "id", "status"]),
    ("ix_visit_served", "visit", ["clinic_id", "date"]),
)


TRIGRAM = "ix_claim_number_trgm"


def _postgres() -> bool:
    return bool(op.get_bind().dialect.name == "postgresql")


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)
    op.drop_index("ix_claim_status_claim", table_name="claim_status_history")
    op.create_index("ix_claim_status_claim", "claim_status_history", ["claim_id", "id"])
    if _postgres():
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
        op.execute(f"CREATE INDEX {TRIGRAM} ON claim USING gin (lower(number) public.gin_trgm_ops)")


def downgrade() -> None:
    # IF EXISTS: on SQLite a downgrade refused further down the chain (0027 with self-pay visits)
    # leaves this one's DDL done and the version unchanged; asking again must not fail here.
    if _postgres():
        op.execute(f"DROP INDEX IF EXISTS {TRIGRAM}")  # the extension stays: others may use it
    op.drop_index("ix_claim_status_claim", table_name="claim_status_history", if_exists=True)
    op.create_index("ix_claim_status_claim", "claim_status_history", ["claim_id"])
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table, if_exists=True)
