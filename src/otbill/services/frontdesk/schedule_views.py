"""What the schedule pages, the CLI and the API read: a day or a week of appointments, per
therapist or per location, with names instead of ids.

Why one read for every interface: the day view, the week view, ``otbill schedule list`` and
``GET /api/appointments`` show the same rows in the same order (day, start time).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from otbill.domain.schedule import Appointment
from otbill.services.views.choices import therapist_choices
from otbill.storage import UnitOfWork

__all__ = [
    "MAX_ROWS",
    "AppointmentView",
    "ScheduleView",
    "appointment_view",
    "location_choices",
    "schedule_view",
    "therapist_choices",
    "week_of",
]

MAX_ROWS = 1000  # a week of a busy clinic is a few hundred appointments


@dataclass(frozen=True, slots=True)
class AppointmentView:
    id: int
    date: dt.date
    starts: str  # "09:30"
    ends: str
    minutes: int
    patient_id: int
    patient: str  # "Lee, Ann"
    provider_id: int
    therapist: str
    location: str
    visit_type: str
    status: str
    series_id: int | None
    visit_id: int | None
    coverage_id: int | None


@dataclass(frozen=True, slots=True)
class ScheduleView:
    first: dt.date
    last: dt.date
    days: tuple[tuple[dt.date, tuple[AppointmentView, ...]], ...]

    @property
    def count(self) -> int:
        return sum(len(rows) for _, rows in self.days)


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday to Sunday of ``day``'s week."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def location_choices(uow: UnitOfWork) -> list[tuple[int, str]]:
    """The clinic's active locations: (id, name), by name."""
    return [(loc.id, loc.name) for loc in uow.clinics.locations() if loc.active]


def _views(uow: UnitOfWork, found: list[Appointment]) -> list[AppointmentView]:
    patients = {p.id: p for p in uow.patients.by_ids({a.patient_id for a in found})}
    therapists = dict(therapist_choices(uow))
    places = {loc.id: loc.name for loc in uow.clinics.locations()}
    return [
        AppointmentView(
            a.id,
            a.date,
            a.starts,
            a.ends,
            a.duration_minutes,
            a.patient_id,
            f"{patients[a.patient_id].last_name}, {patients[a.patient_id].first_name}",
            a.provider_id,
            therapists.get(a.provider_id, f"provider {a.provider_id}"),
            places.get(a.location_id, "") if a.location_id else "",
            a.visit_type,
            a.status,
            a.series_id,
            a.visit_id,
            a.coverage_id,
        )
        for a in found
    ]


def appointment_view(uow: UnitOfWork, appointment_id: int) -> AppointmentView:
    """One appointment with names (:class:`NotFound` when not this clinic's)."""
    return _views(uow, [uow.schedule.get(appointment_id)])[0]


def schedule_view(
    uow: UnitOfWork,
    first: dt.date,
    last: dt.date,
    *,
    provider_id: int | None = None,
    location_id: int | None = None,
    patient_id: int | None = None,
) -> ScheduleView:
    """The appointments from ``first`` to ``last``, grouped by day (every day listed)."""
    found = uow.schedule.between(first, last, provider_id=provider_id, location_id=location_id,
                                 patient_id=patient_id, limit=MAX_ROWS)  # fmt: skip
    rows = _views(uow, found)
    days = []
    for offset in range((last - first).days + 1):
        day = first + dt.timedelta(days=offset)
        days.append((day, tuple(r for r in rows if r.date == day)))
    return ScheduleView(first, last, tuple(days))
