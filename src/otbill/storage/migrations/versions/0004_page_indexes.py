"""Indexes for web pages: a record's audit history, a therapist's schedule.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_audit_event_entity", "audit_event", ["clinic_id", "entity", "entity_id"])
    op.create_index("ix_visit_clinic_provider_date", "visit", ["clinic_id", "provider_id", "date"])


def downgrade() -> None:
    op.drop_index("ix_visit_clinic_provider_date", table_name="visit")
    op.drop_index("ix_audit_event_entity", table_name="audit_event")
