"""A self-pay patient with no insurance on file (issue 13): booked, checked in, seen, charged at
the price list (per-code units), the prompt-pay discount when paid at the visit, a package's
visit; an insured patient without coverage is still refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from otbill.domain.record_errors import RecordError
from otbill.domain.schedule import Appointment
from otbill.services.billing.statements import due_list
from otbill.services.frontdesk import schedule
from otbill.services.frontdesk.checkin import check_in
from otbill.services.frontdesk.registration import PatientDetails, register_patient
from otbill.services.payments.standing import standing
from otbill.services.payments.take import copay_due, take_payment
from otbill.services.self_pay import charges, settings
from otbill.services.views import therapist_day
from otbill.services.visits import record as visits
from otbill.services.visits.warnings import visit_warnings
from otbill.storage import Database
from support.claimflow import PROFILES
from support.clinickit import seed_clinic
from support.selfpaykit import MONDAY, build_cash, cash_patient, seen_cash_visit


def test_booked_checked_in_seen_charged_discounted_and_paid(db: Database) -> None:
    ids = seed_clinic(db)
    patient = cash_patient(db, ids)
    with db.unit_of_work(ids.clinic, ids.admin) as uow:
        settings.set_prompt_pay(uow, 10, dt.date(2025, 1, 1))
    visit_id = seen_cash_visit(db, ids, patient, MONDAY)
    with db.unit_of_work(ids.clinic, ids.therapist) as uow:
        visit = uow.visits.get(visit_id)
        assert (visit.coverage_id, visit.authorization_id) == (None, None)
        assert [(x.code, x.units) for x in uow.visits.lines(visit_id)] == [
            ("97530", 1),
            ("97110", 1),
        ]
        (row,) = therapist_day.visits_on(uow, ids.otr, MONDAY)
        assert (row.visit_id, row.payer) == (visit_id, "Self-pay")
        view = therapist_day.load_visit(uow, visit_id)
        assert view.payer is None
        said = visit_warnings(uow, visit, note_type="daily", profile=visits.self_pay_profile())
        assert [(w.severity, w.topic) for w in said] == [("info", "self-pay")]
        assert copay_due(uow, visit_id) is None  # no insurance, no copay
    report = build_cash(db, ids)
    assert report.claims == [] and report.self_pay.charged == [visit_id]
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        assert charges.prompt_pay(uow, visit_id, MONDAY) is not None
        owed = standing(uow, patient)
        assert owed.total == Decimal("103.50")  # $60 + $55 at the price list, less 10%
        taken = take_payment(uow, patient_id=patient, amount="103.50", method="card",
                             reference="AUTH-7781", last4="4242", received_on=MONDAY,
                             visit_id=visit_id)  # fmt: skip
        assert taken.after.total == 0 and taken.credit == 0  # owes $0
        entries = [(e.kind, e.amount) for e in uow.patient_account.of_patients([patient])]
    assert entries == [
        ("self-pay-charge", Decimal("60.00")),
        ("self-pay-charge", Decimal("55.00")),
        ("discount", Decimal("-11.50")),
        ("payment", Decimal("-103.50")),  # the card payment: the account comes to $0
    ]


def test_a_package_pays_the_next_visit(db: Database) -> None:
    ids = seed_clinic(db)
    patient = cash_patient(db, ids)
    with db.unit_of_work(ids.clinic, ids.admin) as uow:
        offer = settings.add_package(uow, "Ten visits", 10, 90000, 180)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        charges.sell_package(uow, patient, offer, MONDAY)
    visit_id = seen_cash_visit(db, ids, patient, MONDAY + dt.timedelta(days=1))
    report = build_cash(db, ids)
    assert report.self_pay.by_package == [visit_id] and report.claims == []
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        entries = [(e.kind, e.amount) for e in uow.patient_account.of_patients([patient])]
        (package,) = uow.self_pay.sold([patient])
    assert entries == [("package-sale", Decimal("900.00")), ("package-use", Decimal("0.00"))]
    assert package.left == 9


def test_what_is_left_unpaid_goes_on_the_patients_statement(db: Database) -> None:
    ids = seed_clinic(db)
    patient = cash_patient(db, ids)
    seen_cash_visit(db, ids, patient, MONDAY)
    build_cash(db, ids)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        due = due_list(uow, MONDAY + dt.timedelta(days=30))
    (mine,) = [d for d in due.items if d.statement.guarantee.key == f"patient:{patient}"]
    assert mine.statement.amount_due == Decimal("115.00") and mine.will_send


def test_no_coverage_is_still_refused_for_a_patient_not_self_pay(db: Database) -> None:
    ids = seed_clinic(db)
    details = PatientDetails("Ina", "Sured", dt.date(1970, 1, 2), "M")
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        patient = register_patient(uow, details, today=MONDAY)
    slot = Appointment(0, ids.otr, None, patient, None, MONDAY, 600, 45, "daily")
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        booking = schedule.book(uow, slot, profiles=PROFILES)
    assert booking.warnings[0].message.startswith("No active coverage on 2025-03-03")
    with (
        db.unit_of_work(ids.clinic, ids.biller) as uow,
        pytest.raises(RecordError, match="add the patient's insurance before checking in"),
    ):
        check_in(uow, booking.appointment_ids[0], profiles=PROFILES)
    with (
        db.unit_of_work(ids.clinic, ids.therapist) as uow,
        pytest.raises(RecordError, match="has no coverage; add the patient's insurance, or"),
    ):
        visits.record_visit(uow, patient_id=patient, coverage_id=None, provider_id=ids.otr,
                            date=MONDAY, services=[visits.Service("97530", 30)],
                            note_type="daily", profiles=PROFILES)  # fmt: skip
