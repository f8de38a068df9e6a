"""Referrals and plans of care: 30-day certification, delayed certification's reason, the
90-day recertification queue, an evaluation starting the plan, and the scrubber reading it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from otbill.domain.plans import PlanState
from otbill.domain.record_errors import PermissionDenied, RecordError
from otbill.services.claims.lifecycle import rescrub
from otbill.services.frontdesk import plans_of_care as plans
from otbill.services.frontdesk import referrals
from otbill.services.frontdesk.plan_queue import (
    certification_request,
    certification_request_pdf,
    plan_page,
    plan_queue,
)
from otbill.services.visits import record as visits
from otbill.storage import Database
from support.claimflow import RULES, build_all, claim_with_lines, record_visit, scrub_run
from support.clinickit import Ids, make_npi, seed_clinic

START = dt.date(2026, 1, 12)


def _physician(db: Database, ids: Ids, n: int = 500) -> int:
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        return referrals.add_physician(uow, first_name="Sam", last_name="Ng",
                                       npi_number=make_npi(n), fax="512-555-0100")  # fmt: skip


def _plan(db: Database, ids: Ids, physician: int, start: dt.date = START) -> int:
    given = plans.PlanInput(ids.patient, physician, start, ["M62.81"], "Dress independently", 2, 8)
    with db.unit_of_work(ids.clinic, ids.therapist) as uow:
        return plans.write_plan(uow, given)


def _queue(db: Database, ids: Ids, today: dt.date) -> dict[int, PlanState]:
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        return {line.plan_id: line.state for line in plan_queue(uow, today)}


def test_physician_npi_and_referral_diagnoses_are_checked(db: Database) -> None:
    ids = seed_clinic(db)
    with db.unit_of_work(ids.clinic, ids.biller) as uow, pytest.raises(RecordError) as bad:
        referrals.add_physician(uow, first_name="A", last_name="B", npi_number="1234567890")
    assert "physician NPI '1234567890': check digit" in str(bad.value)
    physician = _physician(db, ids)
    with db.unit_of_work(ids.clinic, ids.biller) as uow, pytest.raises(RecordError) as dup:
        referrals.add_physician(uow, first_name="A", last_name="B", npi_number=make_npi(500))
    assert "already on file" in str(dup.value)
    with db.unit_of_work(ids.clinic, ids.biller) as uow, pytest.raises(RecordError) as bad_dx:
        referrals.record_referral(uow, patient_id=ids.patient, physician_id=physician,
                                  referred_on=START, diagnoses=["M62"])  # fmt: skip
    assert "diagnosis" in str(bad_dx.value) and "header code" in str(bad_dx.value)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        referral = referrals.record_referral(uow, patient_id=ids.patient, physician_id=physician,
                                             referred_on=START, diagnoses=["m62.81", "R26.89"])  # fmt: skip
        assert uow.plans.referral(referral).diagnoses == ("M62.81", "R26.89")
        assert uow.audit_reads.has_action("referral.create", "referral")


def test_signature_within_30_days_leaves_the_queue(db: Database) -> None:
    ids = seed_clinic(db)
    plan = _plan(db, ids, _physician(db, ids))
    assert _queue(db, ids, START + dt.timedelta(days=5))[plan] == PlanState.AWAITING_SIGNATURE
    assert _queue(db, ids, START + dt.timedelta(days=31))[plan] == PlanState.SIGNATURE_LATE
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        plans.record_signature(uow, plan, received_on=START + dt.timedelta(days=30))
    assert plan not in _queue(db, ids, START + dt.timedelta(days=31))
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        page = plan_page(uow, plan, START + dt.timedelta(days=31))
        assert page.plan.certified_on == START + dt.timedelta(days=30)
        assert page.line.state == PlanState.CERTIFIED and page.detail.delay_reason == ""


def test_delayed_certification_needs_its_reason(db: Database) -> None:
    ids = seed_clinic(db)
    plan = _plan(db, ids, _physician(db, ids))
    late = START + dt.timedelta(days=31)
    with db.unit_of_work(ids.clinic, ids.biller) as uow, pytest.raises(RecordError) as bad:
        plans.record_signature(uow, plan, received_on=late)
    assert str(bad.value).startswith("delay reason:")
    with db.unit_of_work(ids.clinic, ids.biller) as uow, pytest.raises(RecordError) as early:
        plans.record_signature(uow, plan, received_on=START - dt.timedelta(days=1))
    assert "before the plan's start" in str(early.value)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        plans.record_signature(uow, plan, received_on=late, delay_reason="physician on leave")
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        plan_of_care, detail = uow.plans.get(plan)
    assert (plan_of_care.certified_on, detail.delay_reason) == (late, "physician on leave")


def test_recertification_is_due_14_days_ahead_and_overdue_after_90(db: Database) -> None:
    ids = seed_clinic(db)
    plan = _plan(db, ids, _physician(db, ids))
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        plans.record_signature(uow, plan, received_on=START + dt.timedelta(days=3))
    due = START + dt.timedelta(days=89)
    assert plan not in _queue(db, ids, due - dt.timedelta(days=15))
    assert _queue(db, ids, due - dt.timedelta(days=14))[plan] == PlanState.RECERT_DUE
    assert _queue(db, ids, due + dt.timedelta(days=1))[plan] == PlanState.RECERT_OVERDUE
    with db.unit_of_work(ids.clinic, ids.therapist) as uow:
        next_plan = plans.recertify(uow, plan, goals="Dress and bathe independently")
    queue = _queue(db, ids, due + dt.timedelta(days=1))
    assert plan not in queue and queue[next_plan] == PlanState.AWAITING_SIGNATURE
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        continued, detail = uow.plans.get(next_plan)
        request = certification_request(uow, next_plan)
    assert continued.start == due + dt.timedelta(days=1) and detail.recertifies_id == plan
    assert request.recertification and request.physician and request.physician.fax
    with db.unit_of_work(ids.clinic, ids.therapist) as uow, pytest.raises(RecordError):
        plans.recertify(uow, plan)


def test_bad_plan_input_names_the_field_and_writes_nothing(db: Database) -> None:
    ids = seed_clinic(db)
    physician = _physician(db, ids)
    cases = [
        (["M62.81"], "", 2, 8, "goals"),
        (["M62.81"], "Dress", 9, 8, "frequency per week 9"),
        (["M62.81"], "Dress", 2, 60, "duration in weeks 60"),
        ([], "Dress", 2, 8, "diagnoses"),
    ]
    for diagnoses, goals, per_week, weeks, field in cases:
        given = plans.PlanInput(ids.patient, physician, START, diagnoses, goals, per_week, weeks)
        with db.unit_of_work(ids.clinic, ids.therapist) as uow, pytest.raises(RecordError) as bad:
            plans.write_plan(uow, given)
        assert str(bad.value).startswith(field)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        assert len(uow.plans.of_patient(ids.patient)) == 1  # the seeded plan only


def test_signed_evaluation_starts_the_plan_with_its_goals_and_frequency(db: Database) -> None:
    ids = seed_clinic(db)
    physician = _physician(db, ids)
    visit = record_visit(db, ids, START, [visits.Service("97165", 45)], note_type="evaluation",
                         sign=False)  # fmt: skip
    with db.unit_of_work(ids.clinic, ids.therapist) as uow:
        note = uow.visits.note_of_visit(visit)
        assert note is not None
        visits.update_note(uow, note.id, {"goals": "Dress independently. 3x/week for 6 weeks"})
    with db.unit_of_work(ids.clinic, ids.therapist) as uow, pytest.raises(RecordError) as unsigned:
        plans.plan_from_evaluation(uow, visit, physician_id=physician, diagnoses=["M62.81"])
    assert "sign the evaluation" in str(unsigned.value)
    with db.unit_of_work(ids.clinic, ids.therapist) as uow:
        visits.sign_note(uow, note.id)
    with db.unit_of_work(ids.clinic, ids.therapist) as uow:
        plan = plans.plan_from_evaluation(uow, visit, physician_id=physician,
                                          diagnoses=["M62.81"])  # fmt: skip
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        written, detail = uow.plans.get(plan)
    assert written.goals == "Dress independently. 3x/week for 6 weeks"
    assert (written.frequency_per_week, written.duration_weeks, written.start) == (3, 6, START)
    assert detail.evaluation_visit_id == visit and written.certifying_npi == make_npi(500)


def test_certification_request_pdf_reads_back(db: Database) -> None:
    ids = seed_clinic(db)
    plan = _plan(db, ids, _physician(db, ids))
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        data = certification_request_pdf(uow, plan, START)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    for expected in ("Plan of Care - Certification Request", "Hands On OT HOT", "Ann Lee",
                     "Sam Ng", make_npi(500), "512-555-0100", "M62.81", "Dress independently",
                     "2 visits per week", "8 weeks", "Physician signature", "2026-02-11"):  # fmt: skip
        assert expected in text, expected


def test_the_scrubber_reads_the_signature_received_date(db: Database) -> None:
    ids = seed_clinic(db)  # TODAY 2025-03-20; the seeded plan starts 2025-02-03
    start = dt.date(2025, 2, 10)
    plan = _plan(db, ids, _physician(db, ids), start)
    record_visit(db, ids, dt.date(2025, 3, 12), [visits.Service("97530", 30)])
    (claim_id,) = build_all(db, ids)
    claim, _ = claim_with_lines(db, ids, claim_id)
    held = {f["rule"] for f in claim.findings if f["severity"] == "error"}
    assert "POC001" in held  # not signed by 2025-03-12, 30 days after the start
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        plans.record_signature(uow, plan, received_on=dt.date(2025, 3, 1))
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        rescrub(uow, claim_id, scrub_run(), RULES)
    claim, _ = claim_with_lines(db, ids, claim_id)
    assert "POC001" not in {f["rule"] for f in claim.findings}


def test_an_unsigned_plan_and_a_physician_can_be_corrected(db: Database) -> None:
    ids = seed_clinic(db)
    physician = _physician(db, ids)
    plan = _plan(db, ids, physician)
    other = _physician(db, ids, 501)
    fixed = plans.PlanInput(ids.patient, other, START, ["R26.89"], "Bathe independently", 3, 6)
    with db.unit_of_work(ids.clinic, ids.therapist) as uow:
        plans.change_plan(uow, plan, fixed)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        referrals.change_physician(uow, other, first_name="Samuel", last_name="Ng",
                                   npi_number=make_npi(501), fax="512-555-0199")  # fmt: skip
        with pytest.raises(RecordError, match="already on file"):
            referrals.change_physician(uow, other, first_name="S", last_name="N",
                                       npi_number=make_npi(500))  # fmt: skip
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        written, detail = uow.plans.get(plan)
        assert uow.plans.physician(other).fax == "512-555-0199"
        plans.record_signature(uow, plan, received_on=START)
    assert (written.diagnoses, written.goals, written.frequency_per_week) == (
        ("R26.89",), "Bathe independently", 3)  # fmt: skip
    assert (written.certifying_npi, detail.physician_id) == (make_npi(501), other)
    with db.unit_of_work(ids.clinic, ids.therapist) as uow, pytest.raises(RecordError) as signed:
        plans.change_plan(uow, plan, fixed)
    assert "recertify it" in str(signed.value)


def test_only_therapists_write_plans_whoever_calls_the_service(db: Database) -> None:
    ids = seed_clinic(db)
    physician = _physician(db, ids)
    given = plans.PlanInput(ids.patient, physician, START, ["M62.81"], "Dress independently", 2, 8)
    with (
        db.unit_of_work(ids.clinic, ids.biller) as uow,
        pytest.raises(PermissionDenied, match="needs the therapist role"),
    ):
        plans.write_plan(uow, given)
    plan = _plan(db, ids, physician)
    with db.unit_of_work(ids.clinic, ids.approver) as uow, pytest.raises(PermissionDenied):
        plans.record_signature(uow, plan, received_on=START)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:  # the front office records the date
        plans.record_signature(uow, plan, received_on=START)
