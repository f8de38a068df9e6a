"""Reads of the audit trail (writes go through ``storage.audit.AuditLog``): pages and the check.

Pages are keyset-paginated on ``seq`` (unique per clinic, indexed with ``clinic_id``): each page
starts below the last one's smallest ``seq``, so page 1,000 costs what page 1 costs. Named queries
return plain records; ORM rows stay inside ``otbill.storage``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select

from otbill.domain.audit_postings import REMITTANCE_POSTINGS, posting_images
from otbill.storage.audit import AuditProblem, chain_state, hash_at, verify_chain
from otbill.storage.audit_records import records_against_audit
from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.tables import AuditEventRow, AuditHeadRow, PostingRow

__all__ = ["AuditEvent", "AuditRepository"]


@dataclass(frozen=True, slots=True)
class AuditEvent:
    seq: int
    at: dt.datetime
    actor_id: int | None  # None: the system
    action: str
    entity: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class AuditRepository(ClinicScoped):
    """The clinic's audit events, newest or oldest first, and the check of their hash chain."""

    def events(
        self,
        *,
        entity: str | None = None,
        entity_id: str | None = None,
        actor_id: int | None = None,
        below: int | None = None,
        newest_first: bool = False,
        limit: int | None = None,
    ) -> list[AuditEvent]:
        """Events (optionally of one entity, one actor, below sequence number ``below``)."""
        query = select(AuditEventRow).where(AuditEventRow.clinic_id == self.clinic_id)
        one_posting = entity == "posting" and entity_id is not None
        if entity == "posting":  # an 835's postings are recorded one event a claim
            query = query.where(self._of_postings(entity_id))
        elif entity is not None:
            query = query.where(AuditEventRow.entity == entity)
        if entity_id is not None and entity != "posting":
            query = query.where(AuditEventRow.entity_id == entity_id)
        if actor_id is not None:
            query = query.where(AuditEventRow.actor_id == actor_id)
        if below is not None:
            query = query.where(AuditEventRow.seq < below)
        order = AuditEventRow.seq.desc() if newest_first else AuditEventRow.seq
        # one posting's events are a handful (its own, and its claim's remittance events, which
        # list other postings too): picked here, then cut to the limit
        query = query.order_by(order).limit(None if one_posting else limit)
        events = [
            AuditEvent(r.seq, r.at, r.actor_id, r.action, r.entity, r.entity_id, r.before, r.after)
            for r in self.session.scalars(query)
        ]
        if one_posting:
            events = [e for e in events if _records_posting(e, str(entity_id))][:limit]
        return events

    def _of_postings(self, posting_id: str | None) -> ColumnElement[bool]:
        """Events on postings: every one (``posting_id`` None), or those that may record this
        posting (its own, and its claim's :data:`REMITTANCE_POSTINGS` events)."""
        alone = AuditEventRow.entity == "posting"
        in_claim = and_(
            AuditEventRow.action == REMITTANCE_POSTINGS, AuditEventRow.entity == "claim"
        )
        if posting_id is None:
            return or_(alone, in_claim)
        claim_id = None
        if posting_id.isascii() and posting_id.isdigit() and len(posting_id) < 19:  # "²" is a digit
            claim_id = self.session.scalar(
                select(PostingRow.claim_id).where(
                    PostingRow.clinic_id == self.clinic_id, PostingRow.id == int(posting_id)
                )
            )
        mine = and_(alone, AuditEventRow.entity_id == posting_id)
        if claim_id is None:  # no such posting now: its own events still tell what it was
            return mine
        return or_(mine, and_(in_claim, AuditEventRow.entity_id == str(claim_id)))

    def has_action(self, action: str, entity: str) -> bool:
        """Whether any event records ``action`` on a record of kind ``entity`` (e.g. a marker)."""
        query = (
            select(AuditEventRow.seq)
            .where(AuditEventRow.clinic_id == self.clinic_id)
            .where(AuditEventRow.action == action, AuditEventRow.entity == entity)
            .limit(1)
        )
        return self.session.scalar(query) is not None

    def head_seq(self) -> int:
        """The sequence number of the clinic's latest event: it moves with every audited change."""
        query = select(AuditHeadRow.seq).where(AuditHeadRow.clinic_id == self.clinic_id)
        return int(self.session.scalar(query) or 0)

    def last_seq(self) -> int:
        """The highest sequence number among the clinic's stored events (0: none)."""
        query = select(func.max(AuditEventRow.seq)).where(AuditEventRow.clinic_id == self.clinic_id)
        return int(self.session.scalar(query) or 0)

    def state(self) -> tuple[int, str]:
        """(events in the chain, the last one's hash) as the anchor records them."""
        return chain_state(self.session, self.clinic_id)

    def hash_at(self, seq: int) -> str | None:
        """The stored hash of event ``seq`` (None: there is no such event)."""
        return hash_at(self.session, self.clinic_id, seq)

    def verify(self) -> list[AuditProblem]:
        """Every problem in the clinic's chain (an empty list: intact)."""
        return verify_chain(self.session, self.clinic_id)

    def records_against_audit(self) -> list[AuditProblem]:
        """Claims, postings and notes that differ from the after-state their audit recorded."""
        return records_against_audit(self.session, self.clinic_id)


def _records_posting(event: AuditEvent, posting_id: str) -> bool:
    images = posting_images(event.action, event.entity, event.entity_id, event.after)
    return any(found == posting_id for found, _ in images)
