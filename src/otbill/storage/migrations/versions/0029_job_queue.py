"""The job queue's records and progress; procrastinate's schema on PostgreSQL (issue 15).

Revision ID: 0029
Revises: 0028

One new table, ``job`` (both databases): kind, arguments, an idempotency key unique per clinic
and kind, state, progress, result, error in words, attempts, who queued it and when. On
PostgreSQL the schema shipped by the pinned procrastinate package (``procrastinate/sql/
schema.sql``) is applied in the same schema as otbill's tables; the downgrade drops every
``procrastinate_*`` table, function and type again. SQLite runs jobs in-process and needs none.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def _create_job_table() -> None:
    op.create_table(
        "job",
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("arguments", sa.JSON(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("error", sa.String(length=1000), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("queued_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "state IN ('queued','running','done','failed')", name=op.f("ck_job_state")
        ),
        sa.ForeignKeyConstraint(["clinic_id"], ["clinic.id"], name=op.f("fk_job_clinic_id_clinic")),
        sa.ForeignKeyConstraint(
            ["queued_by"], ["app_user.id"], name=op.f("fk_job_queued_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job")),
        sa.UniqueConstraint(
            "clinic_id",
            "kind",
            "idempotency_key",
            name=op.f("uq_job_clinic_id_kind_idempotency_key"),
        ),
    )
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_clinic_id"), ["clinic_id"])
        batch_op.create_index("ix_job_clinic_created", ["clinic_id", "created_at"])


def _apply_procrastinate_schema() -> None:
    """Run the package's own schema file through the raw driver connection: it holds many
    statements and ``$$`` function bodies, which psycopg runs as one script (no parameters)."""
    from procrastinate.schema import SchemaManager

    driver = op.get_bind().connection.dbapi_connection
    assert driver is not None
    cursor = driver.cursor()
    try:
        cursor.execute(SchemaManager.get_schema())
    finally:
        cursor.close()


_PROCRASTINATE_OBJECTS = """
SELECT 'FUNCTION', p.oid::regprocedure::text FROM pg_proc p
  WHERE p.pronamespace = current_schema()::regnamespace AND p.proname LIKE 'procrastinate%'
UNION ALL
SELECT 'TABLE', quote_ident(c.relname) FROM pg_class c
  WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
    AND c.relname LIKE 'procrastinate%'
UNION ALL
SELECT 'TYPE', quote_ident(t.typname) FROM pg_type t
  WHERE t.typnamespace = current_schema()::regnamespace AND t.typname LIKE 'procrastinate%'
    AND t.typtype IN ('e', 'c') AND NOT EXISTS (
      SELECT 1 FROM pg_class c WHERE c.reltype = t.oid AND c.relkind = 'r')
"""


def _drop_procrastinate_schema() -> None:
    """Drop what the schema file made, found by its ``procrastinate`` prefix in this schema:
    functions first (triggers go with their tables), then tables, then the types."""
    bind = op.get_bind()
    found = bind.execute(sa.text(_PROCRASTINATE_OBJECTS)).all()
    for kind in ("FUNCTION", "TABLE", "TYPE"):
        for _, name in (row for row in found if row[0] == kind):
            bind.execute(sa.text(f"DROP {kind} IF EXISTS {name} CASCADE"))


def upgrade() -> None:
    _create_job_table()
    if op.get_bind().dialect.name == "postgresql":
        _apply_procrastinate_schema()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _drop_procrastinate_schema()
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_index("ix_job_clinic_created")
        batch_op.drop_index(batch_op.f("ix_job_clinic_id"))
    op.drop_table("job")
