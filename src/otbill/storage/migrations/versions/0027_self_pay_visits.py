"""A visit's coverage is optional: a self-pay patient with no insurance on file is seen too.

Revision ID: 0027
Revises: 0026

``visit.coverage_id`` becomes nullable (None: a self-pay visit, billed to the patient's account,
never to a payer). On SQLite the table's CREATE statement is edited in place (no row is copied). Downgrade refuses
while a visit has no coverage: it would have to invent an insurance.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def _rebuild_visit(nullable: bool) -> None:
    """Change the column's NOT NULL. SQLite cannot alter a column, and copying the table (batch
    mode) fails once other tables' rows point at visits (foreign keys cannot be switched off
    inside the migration's transaction). Dropping or restoring a NOT NULL changes no stored row,
    so SQLite's own documented procedure for it is used instead: edit the table's CREATE
    statement in sqlite_master and bump schema_version (sqlite.org/lang_altertable.html, "Making
    Other Kinds Of Table Schema Changes"). The downgrade checks first that no NULL is left."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        op.alter_column("visit", "coverage_id", existing_type=sa.Integer(), nullable=nullable)
        return
    create = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'visit'"
    ).scalar_one()
    strict, loose = "coverage_id INTEGER NOT NULL", "coverage_id INTEGER"
    old, new = (strict, loose) if nullable else (loose + ",", strict + ",")
    if old not in create:
        raise RuntimeError(f"visit table: expected {old!r} in its CREATE statement")
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar_one()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    bind.exec_driver_sql(
        "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'visit'",
        (create.replace(old, new, 1),),
    )
    bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema = OFF")


def upgrade() -> None:
    _rebuild_visit(nullable=True)


def downgrade() -> None:
    bind = op.get_bind()
    left = bind.execute(sa.text("SELECT COUNT(*) FROM visit WHERE coverage_id IS NULL")).scalar()
    if left:
        raise RuntimeError(
            f"visit.coverage_id: {left} self-pay visits have no coverage; downgrading below 0027 "
            "would need an insurance for each"
        )
    _rebuild_visit(nullable=False)
