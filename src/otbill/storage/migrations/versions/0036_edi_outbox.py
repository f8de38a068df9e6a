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
    with op.batch_alter_table("edi_file") as batch:
        batch.drop_column("sent_at")
        batch.drop_column("outgoing")
