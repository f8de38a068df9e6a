"""One row of an appointments file -> one booking through the schedule's own service.

Why through :func:`~otbill.services.frontdesk.schedule.book`: an appointment brought over from the
old system holds the therapist's time like one booked at the desk, so it passes the same checks
(no double-booking, a therapist employed on the day, a known visit type and location). The row
names the patient, therapist and coverage by the old system's IDs already imported (or the
therapist by NPI) and the location by name; with no coverage given, the booking takes the
patient's primary coverage in force on the day.
"""

from __future__ import annotations

from otbill.domain.record_errors import RecordError
from otbill.domain.schedule import Appointment, VisitType, parse_time
from otbill.services.frontdesk.csv_rows import (
    ImportContext,
    Row,
    _int,
    _needed,
    _needed_date,
    _old,
    _old_if_given,
    _Refused,
    _text,
)
from otbill.services.frontdesk.schedule import book

__all__ = ["import_appointment"]

#: Which column a booking's message is about, by the message's first words.
_BLAME = (
    ("duration", "minutes"), ("visit type", "visit_type"), ("location", "location"),
    ("note", "note"), ("coverage", "old_coverage_id"), ("start time", "start"),
    ("patient", "old_patient_id"),
)  # fmt: skip


def _provider_column(row: Row) -> str:
    return "old_provider_id" if _text(row, "old_provider_id") else "provider_npi"


def _therapist(ctx: ImportContext, row: Row) -> int:
    """The therapist by old ID (imported by the providers file) or else by NPI."""
    found = _old_if_given(ctx, "providers", row, "old_provider_id")
    if found is not None:
        return found
    npi = _text(row, "provider_npi")
    if not npi:
        raise _Refused("old_provider_id", "is empty; give the therapist's old ID or provider_npi")
    by_npi = [p.id for p in ctx.uow.providers.details() if p.npi == npi]
    if not by_npi:
        raise _Refused("provider_npi", f"no provider with NPI {npi!r} here; import or add "
                       "the provider first")  # fmt: skip
    return by_npi[0]


def _location(ctx: ImportContext, row: Row) -> int | None:
    name = _text(row, "location")
    if not name:
        return None
    for location in ctx.uow.clinics.locations():
        if location.name.strip().casefold() == name.casefold():
            return location.id
    raise _Refused("location", f"no location named {name!r} here; add it in the clinic setup")


def _slot(ctx: ImportContext, row: Row) -> Appointment:
    """The row read into the booking service's input (no database write yet)."""
    try:
        start = parse_time(_needed(row, "start"))
    except RecordError as exc:
        raise _Refused("start", str(exc)) from None
    visit_type = _text(row, "visit_type").lower() or VisitType.DAILY.value
    return Appointment(
        0, _therapist(ctx, row), _location(ctx, row), _old(ctx, "patients", row, "old_patient_id"),
        _old_if_given(ctx, "coverages", row, "old_coverage_id"), _needed_date(row, "date"),
        start, _int(row, "minutes") or 0, visit_type, note=_text(row, "note") or None,
    )  # fmt: skip


def import_appointment(ctx: ImportContext, row: Row, number: int) -> int:
    """Book the row's appointment as the desk would; the new appointment's id."""
    slot = _slot(ctx, row)
    try:
        return book(ctx.uow, slot, profiles=ctx.profiles).appointment_ids[0]
    except RecordError as exc:
        message = str(exc)
        lowered = message.lower()
        column = next((c for start, c in _BLAME if lowered.startswith(start)), None)
        if column is None:  # "therapist …: left the clinic", "… is already booked 09:00–09:45"
            column = _provider_column(row) if lowered.startswith("therapist") else "start"
        raise _Refused(column, message) from None
