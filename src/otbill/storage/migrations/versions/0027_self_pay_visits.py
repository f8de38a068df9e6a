"""A visit's coverage is optional: a self-pay patient with no insurance on file is seen too.

Revision ID: 0027
Revises: 0026

``visit.coverage_id`` becomes nullable (None: a self-pay visit, billed to the patient's account,
never to a payer). SQLite rebuilds the table (batch mode) and keeps every row. Downgrade refuses
while a visit has no coverage: it would have to invent an insurance.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("visit") as batch:
        batch.alter_column("coverage_id", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    bind = op.get_bind()
    left = bind.execute(sa.text("SELECT COUNT(*) FROM visit WHERE coverage_id IS NULL")).scalar()
    if left:
        raise RuntimeError(
            f"visit.coverage_id: {left} self-pay visits have no coverage; downgrading below 0027 "
            "would need an insurance for each"
        )
    with op.batch_alter_table("visit") as batch:
        batch.alter_column("coverage_id", existing_type=sa.Integer(), nullable=False)
