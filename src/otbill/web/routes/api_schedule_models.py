"""The JSON API's schedule models (OpenAPI schemas): booking, appointments, check-in.

Dates are ISO 8601, times HH:MM; numbers are bounded here as the service bounds them (5-480
minutes, 1-52 weeks), so a bad value is refused before any work, naming the field.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, Field

from otbill.domain.schedule import MAX_MINUTES, MIN_MINUTES, Appointment, parse_time
from otbill.services.frontdesk.schedule import MAX_WEEKS
from otbill.services.frontdesk.schedule_views import AppointmentView
from otbill.services.visits.warnings import VisitWarning

__all__ = [
    "AppointmentIn",
    "AppointmentOut",
    "BookingOut",
    "CancelIn",
    "CancelOut",
    "CheckInOut",
    "WarningOut",
]

VisitTypeName = Literal["evaluation", "re-evaluation", "daily", "progress"]


class WarningOut(BaseModel):
    severity: Literal["error", "warning", "info"]
    topic: str = Field(description="coverage, eligibility, authorization, plan-of-care, ...")
    message: str

    @classmethod
    def all(cls, found: Sequence[VisitWarning]) -> list[WarningOut]:
        return [cls(severity=w.severity, topic=w.topic, message=w.message) for w in found]


class AppointmentIn(BaseModel):
    patient_id: int = Field(ge=1)
    provider_id: int = Field(ge=1, description="the therapist")
    date: dt.date = Field(description="the day (the first of a series)")
    start: str = Field(
        pattern=r"^\d{1,2}:\d{2}$", description="start time, HH:MM", examples=["09:30"]
    )
    minutes: int = Field(ge=MIN_MINUTES, le=MAX_MINUTES, description="length in minutes")
    visit_type: VisitTypeName = "daily"
    location_id: int | None = Field(default=None, ge=1)
    coverage_id: int | None = Field(default=None, ge=1, description="default: primary that day")
    note: str | None = Field(default=None, max_length=500)
    weekdays: list[int] = Field(default=[], max_length=7, description="repeat weekly: 0 = Monday")
    weeks: int = Field(default=1, ge=1, le=MAX_WEEKS)

    def slot(self) -> Appointment:
        return Appointment(0, self.provider_id, self.location_id, self.patient_id,
                           self.coverage_id, self.date, parse_time(self.start), self.minutes,
                           self.visit_type, note=self.note)  # fmt: skip


class AppointmentOut(BaseModel):
    id: int
    date: dt.date
    starts: str
    ends: str
    minutes: int
    patient_id: int
    patient: str
    provider_id: int
    therapist: str
    location: str
    visit_type: str
    status: Literal["booked", "checked-in", "cancelled", "no-show"]
    series_id: int | None
    visit_id: int | None = Field(description="the visit its check-in made")
    coverage_id: int | None
    warnings: list[WarningOut] | None = Field(
        default=None, description="read one appointment to get its warnings"
    )

    @classmethod
    def of(
        cls, view: AppointmentView, warnings: Sequence[VisitWarning] | None = None
    ) -> AppointmentOut:
        shown = None if warnings is None else WarningOut.all(warnings)
        return cls(**dataclasses.asdict(view), warnings=shown)


class BookingOut(BaseModel):
    appointment_ids: list[int]
    warnings: list[WarningOut] = Field(description="the first appointment's warnings")


class CheckInOut(BaseModel):
    visit_id: int
    already: bool = Field(description="checked in before: the same visit, nothing new")
    warnings: list[WarningOut]


class CancelIn(BaseModel):
    rest_of_series: bool = False


class CancelOut(BaseModel):
    cancelled: int
