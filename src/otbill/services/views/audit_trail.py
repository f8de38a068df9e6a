"""The audit trail page: the newest events first, a page at a time, by entity and by user.

Keyset pagination on ``seq`` (unique per clinic, indexed with ``clinic_id``): each page starts
below the last one's smallest ``seq``, so page 1,000 costs what page 1 costs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from otbill.storage import UnitOfWork
from otbill.storage.tables import AuditEventRow, UserRow

__all__ = ["KNOWN_ENTITIES", "AuditPage", "audit_page"]

KNOWN_ENTITIES = (
    "api_token", "claim", "denial", "edi_file", "note", "posting", "remittance", "user",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    at: dt.datetime
    user: str  # the username, or "system"
    action: str
    entity: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class AuditPage:
    entries: list[AuditEntry]
    older: int | None  # the ``before`` of the next page, None on the last page


def audit_page(
    uow: UnitOfWork,
    *,
    entity: str | None = None,
    entity_id: str | None = None,
    user_id: int | None = None,
    before: int | None = None,
    size: int = 50,
) -> AuditPage:
    """One page of events, newest first, below sequence number ``before`` when given."""
    query = uow.records.select(AuditEventRow)
    if entity:
        query = query.where(AuditEventRow.entity == entity)
    if entity_id:
        query = query.where(AuditEventRow.entity_id == entity_id)
    if user_id is not None:
        query = query.where(AuditEventRow.actor_id == user_id)
    if before is not None:
        query = query.where(AuditEventRow.seq < before)
    rows = list(uow.session.scalars(query.order_by(AuditEventRow.seq.desc()).limit(size + 1)))
    names = {u.id: u.username for u in uow.records.find(UserRow)}
    entries = [
        AuditEntry(
            r.seq,
            r.at,
            names.get(r.actor_id, "?") if r.actor_id is not None else "system",
            r.action,
            r.entity,
            r.entity_id,
            r.before,
            r.after,
        )
        for r in rows[:size]
    ]
    return AuditPage(entries, rows[size - 1].seq if len(rows) > size else None)
