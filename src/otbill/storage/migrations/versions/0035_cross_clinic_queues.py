"""Indexes behind the billing company's cross-clinic queues (issue 15).

Revision ID: 0035
Revises: 0034

Measured with bench/company.py --database otbill_scale (200 clinics, 4,000,000 claims,
10,000,000 lines; docs/performance.md):
- ``ix_claim_status_served`` (status, date of service, id, clinic, patient, payer): a company tab
  over all its clinics (denied, held, awaiting the payer) is one status in service order across
  clinics; ``ix_claim_queue`` leads with the clinic, so the tab's page sorted every claim of the
  status in the granted clinics (234,000 denied: 0.8 s). This index is walked in order, the
  granted clinics checked from the index itself, and left after the page (0.4 ms at page 20). The
  patient and payer make the company search by name index-only: the status's range joined to
  the patients (or payers) whose names hold the text, never the claims' rows (1.5 s -> 50 ms).
- PostgreSQL only, ``ix_patient_last_name_trgm``: a trigram GIN index on ``lower(last_name)``, so
  the company search finds the patients holding the text without reading every patient of every
  granted clinic (as ``ix_claim_number_trgm`` does for claim numbers; the model does not declare
  it, and schema comparisons leave ``*_trgm`` indexes out).

Lock cost: plain ``CREATE INDEX`` (the upgrade runs in one transaction) blocks writes to ``claim``
while it builds: on otbill_scale's 4,000,000 claims the build took under 10 seconds on this
2-core machine (``patient``'s 160,000 rows: about a second). Upgrade in a maintenance window, or
build both beforehand without blocking writes (``CREATE INDEX CONCURRENTLY IF NOT EXISTS``, same
names and columns, as was done on otbill_scale): the upgrade keeps them (``IF NOT EXISTS``).
"""

from __future__ import annotations

from alembic import op

revision = "0035"
down_revision = "0034"
branch_labels = None
depends_on = None

SERVED = "ix_claim_status_served"
COLUMNS = ["status", "date_of_service", "id", "clinic_id", "patient_id", "payer_id"]
TRIGRAM = "ix_patient_last_name_trgm"


def _postgres() -> bool:
    return bool(op.get_bind().dialect.name == "postgresql")


def upgrade() -> None:
    op.create_index(SERVED, "claim", COLUMNS, if_not_exists=True)
    if _postgres():  # pg_trgm: installed in schema public by 0032
        op.execute(
            f"CREATE INDEX IF NOT EXISTS {TRIGRAM} ON patient "
            "USING gin (lower(last_name) public.gin_trgm_ops)"
        )


def downgrade() -> None:
    if _postgres():
        op.execute(f"DROP INDEX IF EXISTS {TRIGRAM}")
    op.drop_index(SERVED, table_name="claim", if_exists=True)
