"""The JSON API's schedule: list a range, read one (with warnings), book (once or weekly), check
in, cancel, no-show.

Reads are open to the front desk, billers, auditors and therapists (a therapist reads their own
appointments only); changes to the front desk and billers (admins always). Bad input answers 422
with the service's message naming the field; a double booking is a 422 in plain words.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from otbill.services.frontdesk import schedule, schedule_views
from otbill.services.frontdesk.booking_warnings import booking_warnings
from otbill.services.frontdesk.checkin import check_in
from otbill.web.app import today, wiring
from otbill.web.routes.api import api_user, domain_errors, unit_of_work
from otbill.web.routes.api_patients import Clerk
from otbill.web.routes.api_schedule_models import (
    AppointmentIn,
    AppointmentOut,
    BookingOut,
    CancelIn,
    CancelOut,
    CheckInOut,
    WarningOut,
)
from otbill.web.security import SessionUser

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["schedule"])
Reader = Annotated[SessionUser, Depends(api_user("front-desk", "biller", "auditor", "therapist"))]
MAX_DAYS = 31


def _own(user: SessionUser) -> int | None:
    """A therapist without desk, billing or audit roles reads only their own appointments."""
    if user.has("front-desk", "biller", "auditor"):
        return None
    if user.provider_id is None:
        raise HTTPException(403, "your account is not linked to a therapist")
    return user.provider_id


@router.get("/appointments", response_model=list[AppointmentOut], summary="List appointments")
def list_appointments(
    request: Request,
    user: Reader,
    first: Annotated[dt.date | None, Query(description="first day (default: today)")] = None,
    last: Annotated[dt.date | None, Query(description="last day (default: the first)")] = None,
    provider_id: int | None = None,
    location_id: int | None = None,
    patient_id: int | None = None,
) -> Any:
    """Appointments from ``first`` to ``last`` (at most 31 days), by day and start time."""
    first = first or today(request)
    last = last or first
    if not 0 <= (last - first).days < MAX_DAYS:
        raise HTTPException(422, f"last: from the first day to at most {MAX_DAYS} days on")
    provider_id = _own(user) or provider_id
    with unit_of_work(request, user) as uow:
        found = schedule_views.schedule_view(uow, first, last, provider_id=provider_id,
                                             location_id=location_id, patient_id=patient_id)  # fmt: skip
    return [AppointmentOut.of(r) for _, rows in found.days for r in rows]


@router.get(
    "/appointments/{appointment_id}", response_model=AppointmentOut, summary="Read an appointment"
)
def read(request: Request, user: Reader, appointment_id: int) -> Any:
    """One appointment with its warnings (coverage, eligibility, authorization, plan of care,
    progress report, KX)."""
    with domain_errors(), unit_of_work(request, user) as uow:
        view = schedule_views.appointment_view(uow, appointment_id)
        warnings = booking_warnings(uow, uow.schedule.get(appointment_id), wiring(request).profiles)
    own = _own(user)
    if own is not None and view.provider_id != own:
        raise HTTPException(403, "another therapist's appointment")
    return AppointmentOut.of(view, warnings)


@router.post(
    "/appointments", response_model=BookingOut, status_code=201, summary="Book an appointment"
)
def book(request: Request, user: Clerk, body: AppointmentIn) -> Any:
    """Book once, or weekly on ``weekdays`` for ``weeks`` weeks; a therapist's overlapping
    booking is refused (422). Warnings never block."""
    with domain_errors(), unit_of_work(request, user) as uow:
        made = schedule.book(uow, body.slot(), profiles=wiring(request).profiles,
                             weekdays=set(body.weekdays), weeks=body.weeks)  # fmt: skip
    return BookingOut(
        appointment_ids=list(made.appointment_ids), warnings=WarningOut.all(made.warnings)
    )


@router.post(
    "/appointments/{appointment_id}/check-in", response_model=CheckInOut, summary="Check in"
)
def check_in_appointment(request: Request, user: Clerk, appointment_id: int) -> Any:
    """The appointment becomes a visit on the therapist's day; a second call returns the same."""
    with domain_errors(), unit_of_work(request, user) as uow:
        done = check_in(uow, appointment_id, profiles=wiring(request).profiles)
    return CheckInOut(visit_id=done.visit_id, already=done.already,
                      warnings=WarningOut.all(done.warnings))  # fmt: skip


@router.post("/appointments/{appointment_id}/cancel", response_model=CancelOut, summary="Cancel")
def cancel(request: Request, user: Clerk, appointment_id: int, body: CancelIn) -> Any:
    """Cancel the appointment, or it and the booked rest of its series."""
    with domain_errors(), unit_of_work(request, user) as uow:
        count = schedule.cancel(uow, appointment_id, rest_of_series=body.rest_of_series)
    return CancelOut(cancelled=count)


@router.post(
    "/appointments/{appointment_id}/no-show", response_model=AppointmentOut, summary="No-show"
)
def no_show(request: Request, user: Clerk, appointment_id: int) -> Any:
    """The patient did not come."""
    with domain_errors(), unit_of_work(request, user) as uow:
        schedule.mark_no_show(uow, appointment_id)
        return AppointmentOut.of(schedule_views.appointment_view(uow, appointment_id))
