"""Everyone who changed a claim's content (separation of duties bars all of them from approving).

Revision ID: 0012
Revises: 0011

Existing claims get their editors back from the audit trail (every line edit and applied fix was
audited as ``claim.edit`` / ``claim.fix``) and from the claim's last editor when that is not its
creator, so an upgrade does not forget who changed a claim already waiting for approval.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "claim_editor",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("what", sa.String(length=120), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_claim_editor_claim_id_claim")
        ),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinic.id"], name=op.f("fk_claim_editor_clinic_id_clinic")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_claim_editor_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_editor")),
        sa.UniqueConstraint("claim_id", "user_id", name=op.f("uq_claim_editor_claim_id_user_id")),
    )
    with op.batch_alter_table("claim_editor", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_editor_clinic_id"), ["clinic_id"], unique=False)
    _backfill(op.get_bind())


def _what(action: str, before: Any) -> str:
    if isinstance(before, str):  # JSON read back as text on some drivers
        before = json.loads(before)
    if action == "claim.fix":
        return "applied a safe fix"
    line = before.get("line") if isinstance(before, dict) else None
    return f"edited line {line}" if line else "edited the claim"


def _backfill(conn: sa.Connection) -> None:
    found: dict[tuple[int, int], dict[str, Any]] = {}
    events = conn.execute(
        sa.text(
            "SELECT clinic_id, entity_id, actor_id, action, before, at FROM audit_event "
            "WHERE entity = 'claim' AND action IN ('claim.edit', 'claim.fix') "
            "AND actor_id IS NOT NULL ORDER BY clinic_id, seq"
        )
    )
    for clinic_id, entity_id, actor_id, action, before, at in events:
        if not str(entity_id).isdecimal():
            continue
        found[(int(entity_id), actor_id)] = {  # the latest change by this person wins
            "clinic_id": clinic_id,
            "claim_id": int(entity_id),
            "user_id": actor_id,
            "what": _what(action, before),
            "at": at,
        }
    claims = conn.execute(
        sa.text(
            "SELECT id, clinic_id, last_edited_by, created_at FROM claim "
            "WHERE last_edited_by IS NOT NULL AND last_edited_by <> created_by"
        )
    )
    for claim_id, clinic_id, editor, created_at in claims:
        found.setdefault(
            (claim_id, editor),
            {"clinic_id": clinic_id, "claim_id": claim_id, "user_id": editor,
             "what": "edited the claim", "at": created_at or dt.datetime(2000, 1, 1)},
        )  # fmt: skip
    known = {row[0] for row in conn.execute(sa.text("SELECT id FROM claim"))}
    rows = [r for r in found.values() if r["claim_id"] in known]
    if rows:
        table = sa.table(
            "claim_editor",
            *(sa.column(c) for c in ("clinic_id", "claim_id", "user_id", "what", "at")),
        )
        conn.execute(sa.insert(table), rows)


def downgrade() -> None:
    with op.batch_alter_table("claim_editor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_editor_clinic_id"))
    op.drop_table("claim_editor")
