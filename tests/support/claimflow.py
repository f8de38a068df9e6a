"""Visits made into claims on the small seeded clinic (``clinickit``), for the service tests."""

from __future__ import annotations

import datetime as dt

from otbill.payers import load_profiles
from otbill.rules.context import ScrubContext
from otbill.rules.registry import load_rules
from otbill.services.claims.build import build_claims
from otbill.services.visits import record as visits
from otbill.storage import Database
from otbill.storage.tables import ClaimLineRow, ClaimRow, NoteRow
from support.clinickit import Ids

__all__ = [
    "NOTE",
    "PROFILES",
    "RULES",
    "TODAY",
    "build_all",
    "claim_with_lines",
    "ready_claim",
    "record_visit",
    "scrub_run",
]

PROFILES = load_profiles()
RULES = load_rules()
TODAY = dt.date(2025, 3, 20)
NOTE = {
    "current_status": "Min assist",
    "goals": "Independent dressing",
    "response_to_treatment": "Tolerated well",
    "medical_necessity": "Skilled cueing",
    "total_treatment_minutes": 60,
}


def scrub_run() -> ScrubContext:
    return ScrubContext(profiles=PROFILES, today=TODAY)


def record_visit(
    db: Database,
    ids: Ids,
    day: dt.date,
    services: list[visits.Service],
    *,
    provider: int | None = None,
    coverage: int | None = None,
    sign: bool = True,
    note_type: str = "daily",
    telehealth: bool = False,
) -> int:
    """A visit of the seeded patient with a complete note, signed unless ``sign`` is false."""
    with db.unit_of_work(ids.clinic, ids.therapist) as uow:
        visit = visits.record_visit(
            uow,
            patient_id=ids.patient,
            coverage_id=coverage or ids.coverage,
            provider_id=provider or ids.otr,
            date=day,
            services=services,
            note_type=note_type,
            note=NOTE,
            profiles=PROFILES,
            telehealth=telehealth,
            place_of_service="10" if telehealth else "11",
        )
        if sign:
            note = uow.records.first(NoteRow, NoteRow.visit_id == visit)
            uow.flush()
            visits.sign_note(uow, note.id)  # type: ignore[union-attr]
        return visit


def build_all(db: Database, ids: Ids) -> list[int]:
    """Claims from every visit not yet billed, as the biller."""
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        return build_claims(uow, scrub_run(), RULES).claims


def claim_with_lines(db: Database, ids: Ids, claim_id: int) -> tuple[ClaimRow, list[ClaimLineRow]]:
    with db.unit_of_work(ids.clinic) as uow:
        claim = uow.records.get(ClaimRow, claim_id)
        lines = uow.records.find(
            ClaimLineRow, ClaimLineRow.claim_id == claim_id, order=ClaimLineRow.position
        )
        return claim, lines


def ready_claim(db: Database, ids: Ids) -> int:
    """One clean evaluation claim, built and ready for approval."""
    record_visit(
        db, ids, dt.date(2025, 2, 3), [visits.Service("97165", 45)], note_type="evaluation"
    )
    (claim_id,) = build_all(db, ids)
    claim, _ = claim_with_lines(db, ids, claim_id)
    assert claim.status == "ready", claim.findings
    return claim_id
