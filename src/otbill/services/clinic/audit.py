"""``otbill audit verify`` and ``otbill audit checkpoint``: recompute every clinic's audit chain,
compare it with its anchor and the signed daily checkpoints, and name what changed."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from otbill.services.clinic import audit_checkpoints
from otbill.storage import Database
from otbill.storage.audit import AuditProblem
from otbill.storage.repositories.clinics import ClinicDirectory

__all__ = ["AuditProblem", "audit_events", "verify_audit", "write_checkpoint"]


def verify_audit(
    db: Database,
    clinic_id: int | None = None,
    *,
    checkpoints: Path | None = None,
    key: str | None = None,
) -> dict[str, list[AuditProblem]]:
    """Problems per clinic code (an empty list: the chain is intact).

    With a ``checkpoints`` folder and its ``key``, every signed checkpoint is checked too: each
    event it saw must still be there with the hash it had.
    """
    problems: dict[str, list[AuditProblem]] = {}
    ids: dict[str, int] = {}
    for clinic in ClinicDirectory(db).all():
        if clinic_id is None or clinic.id == clinic_id:
            ids[clinic.code] = clinic.id
            with db.unit_of_work(clinic.id) as uow:
                problems[clinic.code] = [
                    *uow.audit_reads.verify(),
                    *uow.audit_reads.records_against_audit(),
                ]
    if checkpoints is not None and key:
        for point in audit_checkpoints.checkpoints_in(checkpoints, key):
            _check(db, point, ids, problems, everyone=clinic_id is None)
    return problems


def _check(
    db: Database,
    point: audit_checkpoints.Checkpoint,
    ids: dict[str, int],
    problems: dict[str, list[AuditProblem]],
    everyone: bool,
) -> None:
    where = f"checkpoint {point.day}"
    if not point.signed:
        why = "the signature does not match (the file was changed, or signed with another key)"
        for code in ids if everyone or not point.clinics else ids.keys() & point.clinics:
            problems[code].append(AuditProblem(0, None, why, where))
        return
    for code, (count, last_hash) in point.clinics.items():
        if code not in ids:
            if everyone:
                problems[code] = [AuditProblem(0, None, f"clinic {code} is gone", where)]
            continue
        if count == 0:
            continue
        with db.unit_of_work(ids[code]) as uow:
            stored, last = uow.audit_reads.hash_at(count), uow.audit_reads.last_seq()
        if stored is None and last < count:
            gone = f"events {last + 1}–{count}" if last + 1 < count else f"event {count}"
            said = f"the chain held {count} events then; it holds {last} now ({gone} deleted)"
            problems[code].append(AuditProblem(last + 1, None, said, where))
        elif stored != last_hash:
            said = f"event {count} differs from the one signed then"
            problems[code].append(AuditProblem(count, None, said, where))


def write_checkpoint(db: Database, folder: Path, key: str, day: dt.date) -> Path:
    """Record every clinic's event count and last hash in the day's signed checkpoint file."""
    clinics: dict[str, tuple[int, str]] = {}
    for clinic in ClinicDirectory(db).all():
        with db.unit_of_work(clinic.id) as uow:
            clinics[clinic.code] = uow.audit_reads.state()
    return audit_checkpoints.write(folder, key, day, clinics)


def audit_events(
    db: Database, clinic_id: int, entity: str | None = None, entity_id: object = None
) -> list[dict[str, object]]:
    """The clinic's audit rows (oldest first), optionally for one entity, as plain data."""
    wanted = None if entity_id is None else str(entity_id)
    with db.unit_of_work(clinic_id) as uow:
        events = uow.audit_reads.events(entity=entity, entity_id=wanted)
    return [dataclasses.asdict(event) for event in events]
