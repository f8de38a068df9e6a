"""The audit trail page: the newest events first, a page at a time, by entity and by user.

Keyset pagination (``uow.audit_reads.events(below=...)``): each page starts below the last one's
smallest ``seq``, so page 1,000 costs what page 1 costs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from otbill.storage import UnitOfWork

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
    rows = uow.audit_reads.events(
        entity=entity or None,
        entity_id=entity_id or None,
        actor_id=user_id,
        below=before,
        newest_first=True,
        limit=size + 1,
    )
    names = uow.users.usernames()
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
