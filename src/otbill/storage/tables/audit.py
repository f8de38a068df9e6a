"""The audit trail's tables: append-only events chained by hash, and the chain's head per clinic.

Why a head row: appending reads the previous hash; on PostgreSQL two transactions could read the
same one and fork the chain, so appenders lock the head (SELECT ... FOR UPDATE) first. The head also
lets ``verify`` notice a deleted last row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from otbill.storage.tables.base import Base, ClinicOwned

__all__ = ["AuditEventRow", "AuditHeadRow"]


class AuditEventRow(ClinicOwned, Base):
    __tablename__ = "audit_event"
    __table_args__ = (
        UniqueConstraint("clinic_id", "seq"),
        # a claim's or note's history on its page (migration 0004)
        Index("ix_audit_event_entity", "clinic_id", "entity", "entity_id"),
    )
    seq: Mapped[int] = mapped_column()
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(40))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHeadRow(Base):
    __tablename__ = "audit_head"
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(default=0)
    hash: Mapped[str] = mapped_column(String(64))
