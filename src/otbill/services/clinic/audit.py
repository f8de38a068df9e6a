"""``otbill audit verify``: recompute every clinic's audit chain and name the rows that changed."""

from __future__ import annotations

import dataclasses

from otbill.storage import Database
from otbill.storage.audit import AuditProblem
from otbill.storage.repositories.clinics import ClinicDirectory

__all__ = ["AuditProblem", "audit_events", "verify_audit"]


def verify_audit(db: Database, clinic_id: int | None = None) -> dict[str, list[AuditProblem]]:
    """Problems per clinic code (an empty list: the chain is intact)."""
    problems: dict[str, list[AuditProblem]] = {}
    for clinic in ClinicDirectory(db).all():
        if clinic_id is None or clinic.id == clinic_id:
            with db.unit_of_work(clinic.id) as uow:
                problems[clinic.code] = uow.audit_reads.verify()
    return problems


def audit_events(
    db: Database, clinic_id: int, entity: str | None = None, entity_id: object = None
) -> list[dict[str, object]]:
    """The clinic's audit rows (oldest first), optionally for one entity, as plain data."""
    wanted = None if entity_id is None else str(entity_id)
    with db.unit_of_work(clinic_id) as uow:
        events = uow.audit_reads.events(entity=entity, entity_id=wanted)
    return [dataclasses.asdict(event) for event in events]
