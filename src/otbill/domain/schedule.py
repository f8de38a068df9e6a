"""Appointments: a therapist's booked slot with a patient, at a location, for one kind of visit.

Why times are minutes since midnight: two appointments of one therapist overlap exactly when
``a.start < b.end and b.start < a.end``; whole minutes make that test the same everywhere.

>>> a = Appointment(1, 3, None, 9, None, dt.date(2026, 3, 2), 9 * 60, 45, "daily")
>>> a.starts, a.ends
('09:00', '09:45')
>>> a.overlaps(Appointment(2, 3, None, 8, None, dt.date(2026, 3, 2), 9 * 60 + 30, 30, "daily"))
True
>>> parse_time("9:75")
Traceback (most recent call last):
...
otbill.domain.record_errors.RecordError: start time '9:75': use HH:MM, e.g. 09:30
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from otbill.domain.record_errors import RecordError

__all__ = [
    "ACTIVE",
    "MAX_MINUTES",
    "MIN_MINUTES",
    "Appointment",
    "AppointmentStatus",
    "VisitType",
    "clock",
    "parse_time",
]

MIN_MINUTES, MAX_MINUTES = 5, 480  # a 5-minute check to an 8-hour day; more is a typing slip


class VisitType(enum.StrEnum):
    EVALUATION = "evaluation"
    RE_EVALUATION = "re-evaluation"
    DAILY = "daily"
    PROGRESS = "progress"


class AppointmentStatus(enum.StrEnum):
    BOOKED = "booked"
    CHECKED_IN = "checked-in"
    CANCELLED = "cancelled"
    NO_SHOW = "no-show"


# The appointments that hold the therapist's time (a cancelled slot can be booked again).
ACTIVE = frozenset({AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN})


def clock(minute: int) -> str:
    """``570`` -> ``'09:30'``."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


def parse_time(text: str) -> int:
    """``'09:30'`` -> 570 (minutes since midnight), refusing anything else in plain words."""
    hours, _, minutes = text.strip().partition(":")
    digits = f"{hours}{minutes}"  # ASCII only: "²" passes isdigit but not int
    if (
        digits.isascii()
        and hours.isdigit()
        and minutes.isdigit()
        and len(digits) <= 4
        and int(hours) < 24
        and int(minutes) < 60
    ):
        return int(hours) * 60 + int(minutes)
    raise RecordError(f"start time {text!r}: use HH:MM, e.g. 09:30")


@dataclass(frozen=True, slots=True)
class Appointment:
    id: int
    provider_id: int
    location_id: int | None
    patient_id: int
    coverage_id: int | None
    date: dt.date
    start_minute: int
    duration_minutes: int
    visit_type: str
    status: str = AppointmentStatus.BOOKED.value
    series_id: int | None = None
    visit_id: int | None = None
    note: str | None = None

    @property
    def end_minute(self) -> int:
        return self.start_minute + self.duration_minutes

    @property
    def starts(self) -> str:
        return clock(self.start_minute)

    @property
    def ends(self) -> str:
        return clock(self.end_minute)

    def overlaps(self, other: Appointment) -> bool:
        """Same day and the two time spans share at least one minute."""
        return (
            self.date == other.date
            and self.start_minute < other.end_minute
            and other.start_minute < self.end_minute
        )
