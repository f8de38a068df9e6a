"""``otbill audit verify``: recompute every clinic's audit chain and name the rows that changed."""

from __future__ import annotations

from sqlalchemy import select

from otbill.storage import Database
from otbill.storage.audit import AuditProblem, verify_chain
from otbill.storage.tables import AuditEventRow, ClinicRow

__all__ = ["AuditProblem", "audit_events", "verify_audit"]


def verify_audit(db: Database, clinic_id: int | None = None) -> dict[str, list[AuditProblem]]:
    """Problems per clinic code (an empty list: the chain is intact)."""
    with db.session() as session:
        query = select(ClinicRow.id, ClinicRow.code).order_by(ClinicRow.id)
        if clinic_id is not None:
            query = query.where(ClinicRow.id == clinic_id)
        clinics = list(session.execute(query))
        return {code: verify_chain(session, cid) for cid, code in clinics}


def audit_events(
    db: Database, clinic_id: int, entity: str | None = None, entity_id: object = None
) -> list[dict[str, object]]:
    """The clinic's audit rows (oldest first), optionally for one entity, as plain data."""
    with db.unit_of_work(clinic_id) as uow:
        query = uow.records.select(AuditEventRow).order_by(AuditEventRow.seq)
        if entity is not None:
            query = query.where(AuditEventRow.entity == entity)
        if entity_id is not None:
            query = query.where(AuditEventRow.entity_id == str(entity_id))
        return [
            {
                "seq": r.seq,
                "at": r.at,
                "actor_id": r.actor_id,
                "action": r.action,
                "entity": r.entity,
                "entity_id": r.entity_id,
                "before": r.before,
                "after": r.after,
            }
            for r in uow.session.scalars(query)
        ]
