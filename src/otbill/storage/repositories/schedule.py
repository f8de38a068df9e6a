"""Appointments: booked slots per therapist and location, their series, and booked-not-yet-seen
counts per coverage (the authorization's "pending use").

Reads return :class:`~otbill.domain.schedule.Appointment` records; every query is scoped to the
clinic and served by the (clinic, provider, date) or (clinic, patient, date) index.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import func, select

from otbill.domain.schedule import ACTIVE, Appointment, AppointmentStatus
from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.repositories.rows import fetch, flush, scoped, values_of
from otbill.storage.tables.schedule import AppointmentRow

__all__ = ["ScheduleRepository"]

_ACTIVE = [s.value for s in ACTIVE]


def _as_appointment(r: AppointmentRow) -> Appointment:
    return Appointment(r.id, r.provider_id, r.location_id, r.patient_id, r.coverage_id, r.date,
                       r.start_minute, r.duration_minutes, r.visit_type, r.status, r.series_id,
                       r.visit_id, r.note)  # fmt: skip


class ScheduleRepository(ClinicScoped):
    """The clinic's appointments."""

    def add(self, appointment: Appointment) -> int:
        """A new appointment (its ``id`` is ignored); returns its id."""
        row = AppointmentRow(**values_of(appointment), clinic_id=self.clinic_id)
        self.session.add(row)
        flush(self.session)
        return row.id

    def get(self, appointment_id: int, *, for_update: bool = False) -> Appointment:
        """The appointment (:class:`NotFound` when not this clinic's); primary key."""
        row = fetch(
            self.session, AppointmentRow, self.clinic_id, appointment_id, for_update=for_update
        )
        return _as_appointment(row)

    def change(
        self,
        appointment_id: int,
        *,
        status: str | None = None,
        series_id: int | None = None,
        visit_id: int | None = None,
    ) -> None:
        """Set the status, series or visit given (the rest stays)."""
        row = fetch(self.session, AppointmentRow, self.clinic_id, appointment_id)
        if status is not None:
            row.status = status
        if series_id is not None:
            row.series_id = series_id
        if visit_id is not None:
            row.visit_id = visit_id
        flush(self.session)

    def holding_time(self, provider_id: int, dates: Iterable[dt.date]) -> list[Appointment]:
        """The therapist's booked or checked-in appointments on these days (for overlaps)."""
        query = scoped(AppointmentRow, self.clinic_id).where(
            AppointmentRow.provider_id == provider_id,
            AppointmentRow.date.in_(list(dates)),
            AppointmentRow.status.in_(_ACTIVE),
        )
        return [_as_appointment(r) for r in self.session.scalars(query)]

    def between(
        self,
        first: dt.date,
        last: dt.date,
        *,
        provider_id: int | None = None,
        location_id: int | None = None,
        patient_id: int | None = None,
        limit: int = 500,
    ) -> list[Appointment]:
        """Appointments from ``first`` to ``last`` (inclusive), by day and start time."""
        query = scoped(AppointmentRow, self.clinic_id).where(
            AppointmentRow.date.between(first, last)
        )
        for column, value in (
            (AppointmentRow.provider_id, provider_id),
            (AppointmentRow.location_id, location_id),
            (AppointmentRow.patient_id, patient_id),
        ):
            if value is not None:
                query = query.where(column == value)
        query = query.order_by(AppointmentRow.date, AppointmentRow.start_minute, AppointmentRow.id)
        return [_as_appointment(r) for r in self.session.scalars(query.limit(limit))]

    def in_series(self, series_id: int, *, from_date: dt.date | None = None) -> list[Appointment]:
        """The series' appointments (from ``from_date`` on when given), by date."""
        query = scoped(AppointmentRow, self.clinic_id).where(AppointmentRow.series_id == series_id)
        if from_date is not None:
            query = query.where(AppointmentRow.date >= from_date)
        query = query.order_by(AppointmentRow.date, AppointmentRow.start_minute)
        return [_as_appointment(r) for r in self.session.scalars(query)]

    def booked_count(
        self, coverage_id: int, first: dt.date, last: dt.date, *, before: dt.date | None = None
    ) -> int:
        """Appointments on the coverage from ``first`` to ``last`` still booked (not yet a visit):
        an authorization's pending use. ``before``: only those dated before that day."""
        query = select(func.count(AppointmentRow.id)).where(
            AppointmentRow.clinic_id == self.clinic_id,
            AppointmentRow.coverage_id == coverage_id,
            AppointmentRow.status == AppointmentStatus.BOOKED.value,
            AppointmentRow.visit_id.is_(None),
            AppointmentRow.date.between(first, last),
        )
        if before is not None:
            query = query.where(AppointmentRow.date < before)
        return self.session.scalar(query) or 0
