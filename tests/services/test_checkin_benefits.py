"""At booking and check-in the desk sees the copay to collect and the therapy visits left, from
the payer's latest 271 on record."""

from __future__ import annotations

import datetime as dt

from otbill.clearinghouse.simulator.eligibility import SimulatedEligibilityPayer
from otbill.domain.schedule import Appointment
from otbill.services.exchange.eligibility import check_coverage
from otbill.services.frontdesk import schedule
from otbill.services.frontdesk.checkin import check_in
from otbill.services.frontdesk.coverage import record_eligibility_check
from otbill.storage import Database
from support.claimflow import PROFILES
from support.clinickit import Ids, add_commercial_coverage, seed_clinic

MONDAY = dt.date(2025, 3, 3)
ASKED = dt.date(2025, 3, 1)


def _covered(db: Database, member_id: str) -> tuple[Ids, int]:
    ids = seed_clinic(db)
    coverage = add_commercial_coverage(db, ids, member_id)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        check_coverage(uow, coverage, on=MONDAY, today=ASKED,
                       transport=SimulatedEligibilityPayer(), profiles=PROFILES)  # fmt: skip
    return ids, coverage


def _book(db: Database, ids: Ids, coverage: int) -> int:
    slot = Appointment(0, ids.otr, None, ids.patient, coverage, MONDAY, 9 * 60, 45, "daily")
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        return schedule.book(uow, slot, profiles=PROFILES).appointment_ids[0]


def _benefits(warnings) -> list[str]:  # type: ignore[no-untyped-def]
    return [w.message for w in warnings if w.topic == "benefits"]


def test_check_in_shows_the_copay_due_and_visits_left(db: Database) -> None:
    ids, coverage = _covered(db, "ACM900")
    with db.unit_of_work(ids.clinic) as uow:
        summary = uow.eligibility.latest(coverage).benefits["summary"]  # type: ignore[union-attr]
    appointment = _book(db, ids, coverage)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        shown = _benefits(check_in(uow, appointment, profiles=PROFILES).warnings)
    said = f"eligibility answer of {ASKED}"
    assert shown[0] == f"Copay due $25 in network ($50 out of network), per Acme Health's {said}."
    left, limit = summary["visits_remaining"], summary["visit_limit"]
    assert shown[1] == f"Visits left: {left} of {limit}, per Acme Health's {said}."


def test_a_later_phone_check_or_a_rejection_shows_no_figures(db: Database) -> None:
    ids, coverage = _covered(db, "ACM901")
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        record_eligibility_check(uow, coverage, on=ASKED + dt.timedelta(days=1), active=True,
                                 today=ASKED + dt.timedelta(days=1))  # fmt: skip
    appointment = _book(db, ids, coverage)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        assert not _benefits(check_in(uow, appointment, profiles=PROFILES).warnings)
