"""Notes: templates and completeness (pure), signing locks, amendments append, minutes entered once."""

from __future__ import annotations

import datetime as dt

import pytest

from otbill.domain.notes import REQUIRED, Intervention, NoteText, NoteType, VisitNote
from otbill.domain.record_errors import IncompleteNote, NoteLocked, PermissionDenied
from otbill.payers import load_profiles
from otbill.services.clinic import audit
from otbill.services.frontdesk import patients
from otbill.services.visits import record as visits
from otbill.storage import Database
from otbill.storage.tables import NoteRow, ServiceLineRow
from support.clinickit import seed_clinic

PROFILES = load_profiles()
FULL = {
    "current_status": "Needs min assist for UB dressing",
    "goals": "Independent dressing",
    "response_to_treatment": "Tolerated well",
    "medical_necessity": "Skilled cueing needed",
    "total_treatment_minutes": 45,
}


@pytest.mark.parametrize("kind", list(NoteType))
def test_each_template_names_its_missing_elements(kind: NoteType) -> None:
    empty = VisitNote(kind, NoteText())
    assert empty.missing() == [e for e in empty.required()]
    assert "signature" in empty.missing()


def test_daily_note_requires_minutes_per_timed_code_and_totals() -> None:
    note = VisitNote(
        NoteType.DAILY,
        NoteText(total_treatment_minutes=20),
        (Intervention("97530", 30, True), Intervention("97110", 0, True)),
    )
    assert note.missing() == [
        "minutes_per_timed_code",
        "total_treatment_minutes",
        "response_to_treatment",
        "signature",
    ]
    assert note.total_timed_minutes == 30
    assert set(REQUIRED[NoteType.DISCHARGE]) >= {"current_status", "goals"}


def test_evaluation_that_also_bills_treatment_needs_treatment_elements() -> None:
    note = VisitNote(
        NoteType.EVALUATION,
        NoteText(**FULL),
        (Intervention("97165", 45, False, True), Intervention("97530", 15, True)),
    )
    assert note.missing() == ["signature"]
    assert "total_timed_minutes" in note.required()
    assert note.documentation().total_timed_minutes == 15


def _visit(db: Database, ids, note: dict, note_type: str = "daily") -> int:  # type: ignore[no-untyped-def]
    with db.unit_of_work(ids.clinic, ids.therapist) as uow:
        visit = visits.record_visit(
            uow,
            patient_id=ids.patient,
            coverage_id=ids.coverage,
            provider_id=ids.otr,
            date=dt.date(2025, 2, 10),
            services=[
                visits.Service("97530", 24),
                visits.Service("97110", 14),
                visits.Service("97530", 6),
            ],
            note_type=note_type,
            note=note,
            profiles=PROFILES,
        )
        return uow.records.first(NoteRow, NoteRow.visit_id == visit).id  # type: ignore[union-attr]


def test_units_computed_once_from_minutes(db: Database) -> None:
    ids = seed_clinic(db)
    note_id = _visit(db, ids, FULL)
    with db.unit_of_work(ids.clinic) as uow:
        lines = uow.records.find(ServiceLineRow, order=ServiceLineRow.position)
        assert [(s.code, s.minutes, s.units) for s in lines] == [("97530", 30, 2), ("97110", 14, 1)]
        assert visits.load_note(uow, note_id).total_timed_minutes == 44


def test_sign_locks_and_amendments_append(db: Database) -> None:
    ids = seed_clinic(db)
    note_id = _visit(db, ids, {**FULL, "response_to_treatment": None})
    with pytest.raises(IncompleteNote) as info, db.unit_of_work(ids.clinic, ids.therapist) as uow:
        visits.sign_note(uow, note_id)
    assert info.value.missing == ("response_to_treatment",)
    with pytest.raises(PermissionDenied) as refused, db.unit_of_work(ids.clinic, ids.biller) as uow:
        visits.update_note(uow, note_id, {"response_to_treatment": "ok"})
        visits.sign_note(uow, note_id)
    assert "Biller is not linked to a provider" in str(refused.value)  # a name, never "user 4"
    with db.unit_of_work(ids.clinic, ids.therapist) as uow:
        visits.update_note(uow, note_id, {"response_to_treatment": "Improved reach"})
        visits.sign_note(uow, note_id)
    with pytest.raises(NoteLocked), db.unit_of_work(ids.clinic, ids.therapist) as uow:
        visits.update_note(uow, note_id, {"goals": "changed"})
    with db.unit_of_work(ids.clinic, ids.therapist) as uow:
        visits.amend_note(
            uow,
            note_id,
            {"goals": "Independent dressing and bathing"},
            "goal added after team meeting",
        )
    with db.unit_of_work(ids.clinic) as uow:
        note = visits.load_note(uow, note_id)
        assert note.signed and note.signature is not None
        assert note.signature.credential == "OTR/L"
        assert note.text.goals == "Independent dressing"  # original kept
        assert note.effective_text.goals == "Independent dressing and bathing"
        assert len(note.amendments) == 1
    actions = [e["action"] for e in audit.audit_events(db, ids.clinic, "note")]
    assert actions == ["note.create", "note.update", "note.sign", "note.amend"]


def test_visits_count_against_the_authorization(db: Database) -> None:
    ids = seed_clinic(db)
    with db.unit_of_work(ids.clinic, ids.therapist) as uow:
        for day in (3, 5, 7):
            visits.record_visit(
                uow,
                patient_id=ids.patient,
                coverage_id=ids.commercial_coverage,
                provider_id=ids.otr,
                date=dt.date(2025, 3, day),
                services=[visits.Service("97530", 30)],
                note_type="daily",
                profiles=PROFILES,
            )
        (status,) = patients.authorization_status(uow, ids.patient)
        assert (status.visits_used, status.visits_remaining) == (3, 0)
        assert status.expires_within(dt.date(2025, 4, 15), 30)
