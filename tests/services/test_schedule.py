"""The schedule: double-booking refused, weekly series booked and cancelled, check-in idempotent
and making a visit for the therapist's day, and the front desk's warnings at booking (no
coverage, an authorization exhausted once the booked visits are counted)."""

from __future__ import annotations

import datetime as dt

import pytest

from otbill.domain.clinic_setup import Address, Location
from otbill.domain.record_errors import RecordError
from otbill.domain.schedule import Appointment
from otbill.services.clinic.locations import set_location_active
from otbill.services.frontdesk import coverage, schedule
from otbill.services.frontdesk.authorization_queue import authorization_page
from otbill.services.frontdesk.booking_warnings import booking_warnings
from otbill.services.frontdesk.checkin import check_in
from otbill.services.frontdesk.schedule_views import schedule_view, week_of
from otbill.services.views import therapist_day
from otbill.services.visits import record as visits
from otbill.storage import Database
from support.claimflow import PROFILES, record_visit
from support.clinickit import Ids, seed_clinic

MONDAY = dt.date(2025, 3, 3)


def _slot(
    ids: Ids, day: dt.date, start: str = "09:00", minutes: int = 45, **kw: object
) -> Appointment:
    hours, mins = start.split(":")
    values: dict[str, object] = {"provider_id": ids.otr, "location_id": None,
                                 "patient_id": ids.patient, "coverage_id": None, **kw}  # fmt: skip
    return Appointment(0, values["provider_id"], values["location_id"], values["patient_id"],  # type: ignore[arg-type]
                       values["coverage_id"], day, int(hours) * 60 + int(mins), minutes, "daily")  # type: ignore[arg-type]  # fmt: skip


def _book(db: Database, ids: Ids, slot: Appointment, **kw: object) -> schedule.Booking:
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        return schedule.book(uow, slot, profiles=PROFILES, **kw)  # type: ignore[arg-type]


def test_double_booking_is_refused_in_plain_words(db: Database) -> None:
    ids = seed_clinic(db)
    first = _book(db, ids, _slot(ids, MONDAY)).appointment_ids[0]
    with pytest.raises(RecordError, match="Rita Cole is already booked 09:00–09:45 on 2025-03-03"):
        _book(db, ids, _slot(ids, MONDAY, "09:30", 30))
    _book(db, ids, _slot(ids, MONDAY, "09:45", 30))  # starts as the other ends: no overlap
    cota = _book(db, ids, _slot(ids, MONDAY, "09:30", 30, provider_id=ids.cota))
    assert "The patient is also booked 09:00–09:45 on 2025-03-03 with another therapist." in [
        w.message for w in cota.warnings
    ]  # another therapist may see the patient then: a warning, not a refusal
    with pytest.raises(RecordError, match="duration 600: must be between 5 and 480"):
        _book(db, ids, _slot(ids, MONDAY, "13:00", 600))
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        assert schedule.cancel(uow, first) == 1
    _book(db, ids, _slot(ids, MONDAY, "09:00", 30))  # a cancelled slot frees the time
    with db.unit_of_work(ids.clinic, ids.admin) as uow:
        uow.providers.change(ids.cota, {"terminated_on": dt.date(2025, 3, 31)})
    with pytest.raises(RecordError, match="therapist Cal Ota: left the clinic on 2025-03-31"):
        _book(
            db, ids, _slot(ids, dt.date(2025, 3, 24), provider_id=ids.cota), weekdays={0}, weeks=3
        )


def test_weekly_series_booked_and_the_rest_cancelled(db: Database) -> None:
    ids = seed_clinic(db)
    booking = _book(db, ids, _slot(ids, MONDAY), weekdays={0, 2}, weeks=3)
    assert len(booking.appointment_ids) == 6
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        made = [uow.schedule.get(i) for i in booking.appointment_ids]
        assert {a.series_id for a in made} == {booking.appointment_ids[0]}
        assert [a.date.day for a in made] == [3, 5, 10, 12, 17, 19]
        assert schedule.cancel(uow, booking.appointment_ids[2], rest_of_series=True) == 4
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        statuses = [uow.schedule.get(i).status for i in booking.appointment_ids]
    assert statuses == ["booked", "booked"] + ["cancelled"] * 4
    with pytest.raises(RecordError, match="weeks 60: must be between 1 and 52"):
        _book(db, ids, _slot(ids, MONDAY, "15:00"), weekdays={1}, weeks=60)


def test_check_in_makes_one_visit_on_the_therapists_day(db: Database) -> None:
    ids = seed_clinic(db)
    appointment = _book(db, ids, _slot(ids, MONDAY)).appointment_ids[0]
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        first = check_in(uow, appointment, profiles=PROFILES)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        again = check_in(uow, appointment, profiles=PROFILES)
        assert uow.schedule.get(appointment).status == "checked-in"
        with pytest.raises(RecordError, match="already checked in"):
            schedule.cancel(uow, appointment)
    assert (again.visit_id, again.already, first.already) == (first.visit_id, True, False)
    with db.unit_of_work(ids.clinic, ids.therapist) as uow:
        day = therapist_day.visits_on(uow, ids.otr, MONDAY)
    assert [(v.visit_id, v.note_type, v.signed) for v in day] == [(first.visit_id, "daily", False)]


def test_warning_when_no_coverage_on_the_date(db: Database) -> None:
    ids = seed_clinic(db)
    booking = _book(db, ids, _slot(ids, dt.date(2023, 6, 1)))  # coverage starts 2024-01-01
    assert booking.warnings[0].message.startswith("No active coverage on 2023-06-01")
    with (
        db.unit_of_work(ids.clinic, ids.biller) as uow,
        pytest.raises(RecordError, match="no coverage"),
    ):
        check_in(uow, booking.appointment_ids[0], profiles=PROFILES)


def test_authorization_exhausted_counting_booked_visits(db: Database) -> None:
    ids = seed_clinic(db)  # AUTH-1 on the commercial coverage: 3 visits, Feb to April 2025
    record_visit(db, ids, MONDAY, [visits.Service("97110", 30)], coverage=ids.commercial_coverage)
    on_auth = {"coverage_id": ids.commercial_coverage}
    second = _book(db, ids, _slot(ids, dt.date(2025, 3, 5), **on_auth))
    third = _book(db, ids, _slot(ids, dt.date(2025, 3, 7), **on_auth))
    fourth = _book(db, ids, _slot(ids, dt.date(2025, 3, 10), **on_auth))
    texts = [[w.message for w in b.warnings if w.topic == "authorization"]
             for b in (second, third, fourth)]  # fmt: skip
    assert texts[0] == ["Authorization AUTH-1: visit 2 of 3; 1 left."]
    assert texts[1] == ["Authorization AUTH-1: visit 3 of 3; 0 left."]
    assert texts[2] == ["Authorization AUTH-1: visit 4 of 3: beyond the limit."]
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        pending = uow.schedule.booked_count(
            ids.commercial_coverage, dt.date(2025, 2, 1), dt.date(2025, 4, 30)
        )
    assert pending == 3
    with db.unit_of_work(ids.clinic, ids.biller) as uow:  # checked in: the visit itself counts
        done = check_in(uow, second.appointment_ids[0], profiles=PROFILES)
        after = [w.message for w in done.warnings if w.topic == "authorization"]
        shown = booking_warnings(uow, uow.schedule.get(second.appointment_ids[0]), PROFILES)
    assert after == texts[0]
    assert [w.message for w in shown if w.topic == "authorization"] == texts[0]


def test_eligibility_outside_the_payers_window_is_a_warning(db: Database) -> None:
    ids = seed_clinic(db)  # eligibility verified on 2025-02-01; Medicare accepts 30 days or less
    booking = _book(db, ids, _slot(ids, dt.date(2025, 4, 14)))
    topics = {w.topic: w.message for w in booking.warnings}
    assert "verified on 2025-02-01, 72 days before this visit" in topics["eligibility"]


def test_booked_visits_are_the_authorizations_pending_use(db: Database) -> None:
    ids = seed_clinic(db)
    on_auth = {"coverage_id": ids.commercial_coverage}
    booked = _book(db, ids, _slot(ids, MONDAY, **on_auth), weekdays={0}, weeks=2)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        check_in(uow, booked.appointment_ids[0], profiles=PROFILES)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        page = authorization_page(uow, ids.auth, MONDAY)
    assert page.pending_use == 1  # the checked-in one is a visit now, no longer pending


def test_locations_views_and_the_audit_trail(db: Database) -> None:
    ids = seed_clinic(db)
    with db.unit_of_work(ids.clinic, ids.admin) as uow:
        north = uow.clinics.add_location(
            Location(0, "North", Address("1 North Rd", "Austin", "TX", "78701"), "11")
        )
    at_north = _book(db, ids, _slot(ids, MONDAY, location_id=north)).appointment_ids[0]
    elsewhere = _book(db, ids, _slot(ids, MONDAY + dt.timedelta(days=2), provider_id=ids.cota))
    with pytest.raises(RecordError, match="location 999: not one of this clinic's locations"):
        _book(db, ids, _slot(ids, MONDAY, "14:00", location_id=999))
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        week = schedule_view(uow, *week_of(MONDAY + dt.timedelta(days=3)))
        north_only = schedule_view(uow, MONDAY, MONDAY, location_id=north)
        cota_only = schedule_view(uow, *week_of(MONDAY), provider_id=ids.cota)
        visit = check_in(uow, at_north, profiles=PROFILES).visit_id
        assert uow.visits.get(visit).place_of_service == "11"
        schedule.mark_no_show(uow, elsewhere.appointment_ids[0])
    assert (week.count, len(week.days), north_only.count) == (2, 7, 1)
    assert [r.location for _, rows in north_only.days for r in rows] == ["North"]
    assert [r.id for _, rows in cota_only.days for r in rows] == list(elsewhere.appointment_ids)
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        actions = [e.action for e in uow.audit_reads.events(entity="appointment")]
    assert actions == ["appointment.book", "appointment.book", "appointment.check-in",
                       "appointment.no-show"]  # fmt: skip
    with db.unit_of_work(ids.clinic, ids.admin) as uow:
        assert set_location_active(uow, north, False) == "North"
        assert uow.visits.get(visit).place_of_service == "11"  # what was done there stays
        assert [e.after for e in uow.audit_reads.events(entity="location")] == [{"active": False}]
    with pytest.raises(RecordError, match="location North: no longer in use"):
        _book(db, ids, _slot(ids, MONDAY, "15:00", location_id=north))


def test_check_in_after_the_booked_coverage_ended_bills_the_primary_in_force(db: Database) -> None:
    ids = seed_clinic(db)
    booked = _book(db, ids, _slot(ids, MONDAY, coverage_id=ids.commercial_coverage))
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        coverage.end_coverage(uow, ids.commercial_coverage, dt.date(2025, 3, 1))
    with db.unit_of_work(ids.clinic, ids.biller) as uow:
        done = check_in(uow, booked.appointment_ids[0], profiles=PROFILES)
        assert uow.visits.get(done.visit_id).coverage_id == ids.coverage
    assert "The coverage chosen at booking is not in force on 2025-03-03" in " ".join(
        w.message for w in done.warnings
    )
