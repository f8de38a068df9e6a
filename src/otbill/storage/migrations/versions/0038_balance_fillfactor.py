"""The owner's kept balances leave half of each page free for their updates (issue 15).

Revision ID: 0038
Revises: 0037

``claim_line_balance`` (a row a claim line) and ``claim_outcome`` (a row a claim) are updated in
place every time a line or claim they keep changes: an 835's step adds its postings to some four
thousand lines' balances in one UPDATE. With full pages each new row version went to another
page and into every index (five on the balances), about 1 s of an 835 of 10,000 claims on the
bench's PostgreSQL. With ``fillfactor`` 50 an insert leaves half of each page free, so an update
can stay on its page without touching an index (a heap-only tuple: the changed columns are not
indexed), and the page is tidied of old versions as it is used: the same UPDATEs took 0.15 s.
The price is space: these tables are about twice as large (a claim line's balance is some 80
bytes, so 10 million lines take about 1.6 GB instead of 0.8).

PostgreSQL only (SQLite has no fillfactor). The setting applies to pages written from now on; to
give rows already there the room too, rewrite the tables in a quiet hour (``VACUUM FULL
claim_line_balance, claim_outcome``, which locks them while it runs; docs/deploy.md).
"""

from __future__ import annotations

from alembic import op

revision = "0038"
down_revision = "0037"
branch_labels = None
depends_on = None

#: tables and the share of each page their inserts fill (percent)
FILLFACTOR = {"claim_line_balance": 50, "claim_outcome": 50}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, percent in FILLFACTOR.items():
        op.execute(f'ALTER TABLE "{table}" SET (fillfactor = {percent})')


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in FILLFACTOR:
        op.execute(f'ALTER TABLE "{table}" RESET (fillfactor)')
