"""The submission outbox (issue 15): an 837P file is recorded "to send" before it is sent.

Revision ID: 0036
Revises: 0035

``edi_file.outgoing`` holds the bytes of a file written but not yet marked sent (NULL once sent,
and for every file received); ``edi_file.sent_at`` is when it was marked sent. The job that
submits claims records the files and moves the claims to ``submitted`` in one transaction, commits,
then sends each file and marks it sent in a transaction of its own, so a worker that dies between
sending and marking resends the same file (same name, same ISA13) and nothing else. Files sent
before this revision were sent in their recording transaction: their ``sent_at`` is their ``at``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0036"
down_revision = "0035"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("edi_file") as batch:
        batch.add_column(sa.Column("outgoing", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("sent_at", sa.DateTime(), nullable=True))
    op.execute("UPDATE edi_file SET sent_at = at WHERE direction = 'out'")


def downgrade() -> None:
    # On SQLite a downgrade refused further down the chain (0027 with self-pay visits) keeps the
    # batch's first DDL (its ``_alembic_tmp_edi_file``, created outside the transaction that is
    # rolled back) and the version unchanged: asking again drops that leftover and only the
    # columns still there.
    op.execute("DROP TABLE IF EXISTS _alembic_tmp_edi_file")
    present = {column["name"] for column in sa.inspect(op.get_bind()).get_columns("edi_file")}
    dropped = [name for name in ("sent_at", "outgoing") if name in present]
    if dropped:
        with op.batch_alter_table("edi_file") as batch:
            for name in dropped:
                batch.drop_column(name)
