"""Booking the schedule: one appointment or a weekly series, cancelling one or the rest of a
series, marking a no-show.

Why double-booking is refused here and not by a constraint: an overlap is a range question the
database cannot index portably; the check reads the therapist's active appointments on the days
asked for, in the same unit of work as the insert. Everything else about the patient (coverage,
eligibility, authorization, plan of care, KX) is a warning (:mod:`.booking_warnings`): the desk
books, the warnings stay visible.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from otbill.domain.record_errors import RecordError
from otbill.domain.schedule import (
    MAX_MINUTES,
    MIN_MINUTES,
    Appointment,
    AppointmentStatus,
    VisitType,
    clock,
)
from otbill.payers import PayerProfile
from otbill.services.frontdesk.booking_warnings import booking_warnings, coverage_in_force
from otbill.services.visits.warnings import VisitWarning
from otbill.storage import UnitOfWork

__all__ = ["MAX_WEEKS", "Booking", "book", "cancel", "mark_no_show", "series_dates"]

MAX_WEEKS = 52  # a plan of care is recertified at least every 90 days; a year is plenty
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True, slots=True)
class Booking:
    """What a booking made: the appointments' ids (by date) and the first one's warnings."""

    appointment_ids: tuple[int, ...]
    warnings: tuple[VisitWarning, ...]


def series_dates(first: dt.date, weekdays: Collection[int], weeks: int) -> list[dt.date]:
    """The days of a weekly series starting on ``first``: each chosen weekday (0 = Monday) of
    ``weeks`` weeks, none before ``first``; just ``first`` when no weekday is chosen.

    >>> series_dates(dt.date(2026, 3, 4), {0, 2}, 2)  # a Wednesday; Mondays and Wednesdays
    [datetime.date(2026, 3, 4), datetime.date(2026, 3, 9), datetime.date(2026, 3, 11)]
    """
    if not 1 <= weeks <= MAX_WEEKS:
        raise RecordError(f"weeks {weeks}: must be between 1 and {MAX_WEEKS}")
    if any(not 0 <= d <= 6 for d in weekdays):
        raise RecordError("weekdays: use 0 (Monday) to 6 (Sunday)")
    if not weekdays:
        return [first]
    monday = first - dt.timedelta(days=first.weekday())
    days = (monday + dt.timedelta(weeks=w, days=d) for w in range(weeks) for d in sorted(weekdays))
    return [d for d in days if d >= first]


def _checked(uow: UnitOfWork, slot: Appointment) -> Appointment:
    if not MIN_MINUTES <= slot.duration_minutes <= MAX_MINUTES:
        raise RecordError(
            f"duration {slot.duration_minutes}: must be between {MIN_MINUTES} and "
            f"{MAX_MINUTES} minutes"
        )
    if slot.end_minute > 24 * 60:
        raise RecordError(f"duration: the appointment at {slot.starts} would end after midnight")
    if slot.visit_type not in {v.value for v in VisitType}:
        raise RecordError(f"visit type {slot.visit_type!r}: choose one of " + ", ".join(VisitType))
    uow.patients.get(slot.patient_id)
    uow.providers.get(slot.provider_id)
    if slot.location_id is not None:
        places = {loc.id: loc for loc in uow.clinics.locations()}
        if slot.location_id not in places:
            raise RecordError(f"location {slot.location_id}: not one of this clinic's locations")
        if not places[slot.location_id].active:
            raise RecordError(f"location {places[slot.location_id].name}: no longer in use; "
                              "choose another or put it back in use on the setup page")  # fmt: skip
    if slot.note and len(slot.note) > 500:
        raise RecordError("note: at most 500 characters")
    return slot


def _coverage_for(uow: UnitOfWork, slot: Appointment, day: dt.date) -> int | None:
    if slot.coverage_id is not None:
        if uow.patients.coverage(slot.coverage_id).patient_id != slot.patient_id:
            raise RecordError(f"coverage {slot.coverage_id}: not this patient's")
        return slot.coverage_id
    found = coverage_in_force(uow, slot.patient_id, day)
    return found.id if found else None


def _refuse_after_leaving(uow: UnitOfWork, provider_id: int, dates: Sequence[dt.date]) -> None:
    """A therapist is booked only while employed (from hire to termination, when recorded)."""
    who = uow.providers.details_of(provider_id)
    name = f"{who.first_name} {who.last_name}"
    if who.terminated_on is not None and dates[-1] > who.terminated_on:
        raise RecordError(f"therapist {name}: left the clinic on {who.terminated_on}; "
                          "choose another therapist")  # fmt: skip
    if who.hired_on is not None and dates[0] < who.hired_on:
        raise RecordError(f"therapist {name}: starts at the clinic on {who.hired_on}")


def _refuse_overlaps(uow: UnitOfWork, slots: Sequence[Appointment]) -> None:
    held = uow.schedule.holding_time(slots[0].provider_id, {s.date for s in slots})
    for slot in slots:
        for other in held:
            if slot.overlaps(other) and other.id != slot.id:
                who = uow.providers.get(slot.provider_id)
                raise RecordError(
                    f"{who.first_name} {who.last_name} is already booked {other.starts}–"
                    f"{other.ends} on {other.date}: choose another time or therapist"
                )


def book(
    uow: UnitOfWork,
    slot: Appointment,
    *,
    profiles: Mapping[str, PayerProfile],
    weekdays: Collection[int] = (),
    weeks: int = 1,
) -> Booking:
    """Book ``slot`` (its id and status ignored), or a weekly series of it; refuses a slot that
    overlaps the therapist's booked time; returns the ids and the first appointment's warnings.
    With no coverage given, each appointment takes the patient's primary coverage on its day."""
    slot = _checked(uow, slot)
    dates = series_dates(slot.date, weekdays, weeks)
    slots = [
        Appointment(0, slot.provider_id, slot.location_id, slot.patient_id,
                    _coverage_for(uow, slot, day), day, slot.start_minute,
                    slot.duration_minutes, slot.visit_type, note=slot.note)
        for day in dates
    ]  # fmt: skip
    _refuse_after_leaving(uow, slot.provider_id, dates)
    _refuse_overlaps(uow, slots)
    ids = [uow.schedule.add(s) for s in slots]
    if len(ids) > 1:
        for appointment_id in ids:
            uow.schedule.change(appointment_id, series_id=ids[0])
    for appointment_id, s in zip(ids, slots, strict=True):
        uow.audit.record(uow.actor_id, "appointment.book", "appointment", appointment_id, None,
                         {"provider_id": s.provider_id, "patient_id": s.patient_id,
                          "date": s.date.isoformat(), "start": clock(s.start_minute),
                          "minutes": s.duration_minutes, "visit_type": s.visit_type,
                          "series_id": ids[0] if len(ids) > 1 else None})  # fmt: skip
    first = uow.schedule.get(ids[0])
    return Booking(tuple(ids), tuple(booking_warnings(uow, first, profiles)))


def _set_status(uow: UnitOfWork, appointment: Appointment, status: AppointmentStatus) -> None:
    uow.schedule.change(appointment.id, status=status.value)
    uow.audit.record(uow.actor_id, f"appointment.{status.value}", "appointment", appointment.id,
                     {"status": appointment.status}, {"status": status.value})  # fmt: skip


def cancel(uow: UnitOfWork, appointment_id: int, *, rest_of_series: bool = False) -> int:
    """Cancel the appointment (and, when asked, the booked ones of its series from its date on);
    returns how many were cancelled. A checked-in appointment is a visit: it stays."""
    appointment = uow.schedule.get(appointment_id, for_update=True)
    if appointment.status == AppointmentStatus.CHECKED_IN:
        raise RecordError(
            f"appointment {appointment_id}: already checked in on {appointment.date}; "
            "it is a visit now and cannot be cancelled"
        )
    targets = [appointment]
    if rest_of_series and appointment.series_id is not None:
        later = uow.schedule.in_series(appointment.series_id, from_date=appointment.date)
        targets = [
            a for a in later if a.status == AppointmentStatus.BOOKED or a.id == appointment_id
        ]
    done = 0
    for target in targets:
        if target.status != AppointmentStatus.CANCELLED:
            _set_status(uow, target, AppointmentStatus.CANCELLED)
            done += 1
    return done


def mark_no_show(uow: UnitOfWork, appointment_id: int) -> None:
    """The patient did not come: the slot stays on the record as a no-show."""
    appointment = uow.schedule.get(appointment_id, for_update=True)
    if appointment.status != AppointmentStatus.BOOKED:
        raise RecordError(
            f"appointment {appointment_id}: {appointment.status}, only a booked one can be a no-show"
        )
    _set_status(uow, appointment, AppointmentStatus.NO_SHOW)
