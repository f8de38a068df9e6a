"""A self-pay patient with no insurance on file, seen on the seeded clinic (issue 13): registered,
booked, checked in, the therapist's codes and minutes entered; claims built (none: the account)."""

from __future__ import annotations

import datetime as dt

from otbill.domain.registration import Registration
from otbill.domain.schedule import Appointment
from otbill.services.claims.build import BuildReport, build_claims
from otbill.services.frontdesk import schedule
from otbill.services.frontdesk.checkin import check_in
from otbill.services.frontdesk.registration import PatientDetails, register_patient
from otbill.services.visits import record as visits
from otbill.services.visits.edit import set_services
from otbill.storage import Database
from support.claimflow import PROFILES, RULES, scrub_run
from support.clinickit import Ids

__all__ = ["MONDAY", "book_cash", "build_cash", "cash_patient", "seen_cash_visit"]

MONDAY = dt.date(2025, 3, 3)


def cash_patient(db: Database, ids: Ids) -> int:
    """Registered as self-pay, with no coverage at all."""
    details = PatientDetails("Cass", "Cashman", dt.date(1980, 5, 6), "F",
                             ("4 Pine St", "Austin", "TX", "78702"),
                             registration=Registration(self_pay=True))  # fmt: skip
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        return register_patient(uow, details, today=MONDAY)


def book_cash(db: Database, ids: Ids, patient: int, day: dt.date, start: int = 9 * 60) -> int:
    slot = Appointment(0, ids.otr, None, patient, None, day, start, 45, "daily")
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        booking = schedule.book(uow, slot, profiles=PROFILES)
    assert [w.topic for w in booking.warnings] == ["self-pay"]  # no coverage error, no payer
    return booking.appointment_ids[0]


def seen_cash_visit(db: Database, ids: Ids, patient: int, day: dt.date) -> int:
    """Booked, checked in by the desk, and the therapist's codes and minutes entered."""
    appointment = book_cash(db, ids, patient, day)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        done = check_in(uow, appointment, profiles=PROFILES)
    with db.unit_of_work(ids.clinic, ids.therapist) as uow:
        # 10 + 10 minutes: CPT's per-code rule gives each a unit (CMS pooling would give one)
        set_services(uow, done.visit_id,
                     [visits.Service("97530", 10), visits.Service("97110", 10)],
                     profiles=PROFILES)  # fmt: skip
    return done.visit_id


def build_cash(db: Database, ids: Ids) -> BuildReport:
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        return build_claims(uow, scrub_run(), RULES)
