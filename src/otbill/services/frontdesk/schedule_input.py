"""Typed text to an appointment: what the schedule's form and ``otbill schedule book`` share.

Every field is checked where it enters and refused with a message naming it ("start time '9:75':
use HH:MM"); the booking itself (:func:`otbill.services.frontdesk.schedule.book`) checks the
records (patient, therapist, location, overlaps).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from otbill.domain.record_errors import RecordError
from otbill.domain.schedule import Appointment, parse_time

__all__ = ["WEEKDAY_NAMES", "SlotRequest", "slot_from_text", "weekdays_from"]

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, slots=True)
class SlotRequest:
    """The appointment asked for, and the weekdays (0 = Monday) and weeks of its series."""

    slot: Appointment
    weekdays: frozenset[int]
    weeks: int


def _id(values: Mapping[str, str], name: str, label: str, *, required: bool = True) -> int | None:
    text = (values.get(name) or "").strip()
    if not text and not required:
        return None
    if not (text.isascii() and text.isdigit()) or len(text) > 12:  # "²" passes isdigit alone
        raise RecordError(f"{label}: choose one from the list")
    return int(text)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise RecordError(f"date {text!r}: use YYYY-MM-DD, e.g. 2026-03-02") from None


def _whole(text: str, label: str, lowest: int, highest: int) -> int:
    text = text.strip()
    if not (
        text.isascii() and text.isdigit() and len(text) < 10 and lowest <= int(text) <= highest
    ):
        raise RecordError(f"{label} {text!r}: a whole number from {lowest} to {highest}")
    return int(text)


def weekdays_from(text: str) -> frozenset[int]:
    """``'mon,wed'`` -> {0, 2}.

    >>> sorted(weekdays_from("Mon, thu"))
    [0, 3]
    """
    days = set()
    for part in (p.strip().lower()[:3] for p in text.split(",") if p.strip()):
        if part not in WEEKDAY_NAMES:
            raise RecordError(f"weekdays {text!r}: use mon, tue, wed, thu, fri, sat, sun")
        days.add(WEEKDAY_NAMES.index(part))
    return frozenset(days)


def slot_from_text(values: Mapping[str, str]) -> SlotRequest:
    """The appointment asked for by ``values`` (form fields: provider, patient, date, start,
    minutes, visit_type, location, coverage, note, weekdays, weeks)."""
    provider = _id(values, "provider", "therapist")
    patient = _id(values, "patient", "patient")
    day = _date(values.get("date", ""))
    start = parse_time(values.get("start", ""))
    minutes = _whole(values.get("minutes", ""), "duration (minutes)", 5, 480)
    weeks = _whole(values.get("weeks") or "1", "weeks", 1, 52)
    note = (values.get("note") or "").strip() or None
    slot = Appointment(
        0, provider, _id(values, "location", "location", required=False), patient,  # type: ignore[arg-type]
        _id(values, "coverage", "coverage", required=False), day, start, minutes,
        (values.get("visit_type") or "daily").strip(), note=note,
    )  # fmt: skip
    return SlotRequest(slot, weekdays_from(values.get("weekdays", "")), weeks)
