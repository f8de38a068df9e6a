"""The schedule's pages: day and week views per therapist or location, booking (one appointment
or a weekly series), one appointment with its warnings, check-in, cancel, no-show.

Booking and check-in are open to the front desk, billers and admins; therapists see their own
schedule; auditors read. Every successful post redirects (POST-redirect-GET) to the
appointment's page, which shows its warnings: nothing blocks the desk, everything is visible.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from otbill.domain.record_errors import NotFound
from otbill.domain.schedule import VisitType
from otbill.errors import OtbillError
from otbill.services.frontdesk import schedule, schedule_views
from otbill.services.frontdesk.booking_warnings import booking_warnings
from otbill.services.frontdesk.checkin import check_in
from otbill.services.frontdesk.schedule_input import WEEKDAY_NAMES, slot_from_text
from otbill.services.views.therapist_day import patient_choices
from otbill.storage import UnitOfWork
from otbill.web.app import render, today, wiring
from otbill.web.params import is_whole
from otbill.web.security import SessionUser, require_roles

__all__ = ["router"]

router = APIRouter()
Clerk = Annotated[SessionUser, Depends(require_roles("front-desk", "biller"))]
Reader = Annotated[
    SessionUser, Depends(require_roles("front-desk", "biller", "auditor", "therapist"))
]
_NOTICES = {
    "booked": "Appointment booked.",
    "series": "Series booked.",
    "checked-in": "Checked in: the visit is on the therapist's day, ready to document.",
    "cancelled": "Appointment cancelled.",
    "series-cancelled": "The rest of the series is cancelled.",
    "no-show": "Marked as a no-show.",
}


def _uow(request: Request, user: SessionUser) -> UnitOfWork:
    return request.app.state.db.unit_of_work(user.clinic_id, user.id)  # type: ignore[no-any-return]


def _own_only(user: SessionUser) -> bool:
    """A therapist without desk or billing roles sees only their own schedule."""
    return not user.has("front-desk", "biller", "auditor")


def _day(value: str, fallback: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else fallback
    except ValueError:
        raise HTTPException(400, f"day: expected YYYY-MM-DD, not {value!r}") from None


def _number(value: str) -> int | None:
    return int(value) if is_whole(value, 11) else None


@router.get("/schedule", include_in_schema=False)
def schedule_page(
    request: Request, user: Reader, day: str = "", view: str = "day", provider: str = "",
    location: str = "",
) -> HTMLResponse:  # fmt: skip
    shown = _day(day, today(request))
    week = view == "week"
    first, last = schedule_views.week_of(shown) if week else (shown, shown)
    provider_id = user.provider_id if _own_only(user) else _number(provider)
    location_id = _number(location)
    with _uow(request, user) as uow:
        found = schedule_views.schedule_view(
            uow, first, last, provider_id=provider_id, location_id=location_id
        )
        therapists = schedule_views.therapist_choices(uow)
        locations = schedule_views.location_choices(uow)
    step = dt.timedelta(days=7 if week else 1)
    context = {"found": found, "shown": shown, "view": "week" if week else "day",
               "provider_id": provider_id, "location_id": location_id,
               "therapists": therapists, "locations": locations, "own_only": _own_only(user),
               "previous": shown - step, "next": shown + step}  # fmt: skip
    return render(request, "schedule/index.html", context)


_FIELDS = {"patient": "patient", "therapist": "provider", "location": "location",
           "visit type": "visit_type", "date": "date", "start time": "start",
           "duration": "minutes", "weeks": "weeks", "weekdays": "weeks"}  # fmt: skip


def _field_of(error: str) -> str:
    """The form field an error message names first (the messages start with the field)."""
    return next((field for label, field in _FIELDS.items() if error.startswith(label)), "")


def _book_page(
    request: Request, user: SessionUser, form: dict[str, Any], status: int = 200, error: str = ""
) -> HTMLResponse:
    with _uow(request, user) as uow:
        context = {
            "form": form,
            "error": error,
            "patients": patient_choices(uow),
            "therapists": schedule_views.therapist_choices(uow),
            "locations": schedule_views.location_choices(uow),
            "visit_types": [v.value for v in VisitType],
            "weekday_names": WEEKDAY_NAMES,
        }
    context["error_field"] = _field_of(error)
    return render(request, "schedule/book.html", context, status_code=status)


@router.get("/schedule/book", include_in_schema=False)
def book_form(request: Request, user: Clerk, patient: str = "", day: str = "") -> HTMLResponse:
    form = {"patient": patient, "date": day or today(request).isoformat(), "start": "09:00",
            "minutes": "45", "visit_type": "daily", "weeks": "1", "weekdays": ""}  # fmt: skip
    return _book_page(request, user, form)


@router.post("/schedule/book", include_in_schema=False)
async def book(request: Request, user: Clerk) -> Response:
    posted = await request.form()
    form = {k: v for k, v in posted.items() if isinstance(v, str) and k != "weekday"}
    form["weekdays"] = ",".join(str(d) for d in posted.getlist("weekday") if isinstance(d, str))
    try:
        asked = slot_from_text(form)
        with _uow(request, user) as uow:
            made = schedule.book(uow, asked.slot, profiles=wiring(request).profiles,
                                 weekdays=asked.weekdays, weeks=asked.weeks)  # fmt: skip
    except OtbillError as exc:
        return _book_page(request, user, form, 422, str(exc))
    done = "series" if len(made.appointment_ids) > 1 else "booked"
    return RedirectResponse(
        f"/schedule/appointments/{made.appointment_ids[0]}?done={done}", status_code=303
    )


def _appointment_page(
    request: Request, user: SessionUser, appointment_id: int, status: int = 200, error: str = ""
) -> HTMLResponse:
    try:
        with _uow(request, user) as uow:
            shown = schedule_views.appointment_view(uow, appointment_id)
            record = uow.schedule.get(appointment_id)
            warnings = booking_warnings(uow, record, wiring(request).profiles)
    except NotFound as exc:
        raise HTTPException(404, "no such appointment in this clinic") from exc
    if _own_only(user) and shown.provider_id != user.provider_id:
        raise HTTPException(403, "your role does not allow another therapist's appointment")
    context = {"a": shown, "warnings": warnings, "error": error,
               "notice": _NOTICES.get(request.query_params.get("done", ""))}  # fmt: skip
    return render(request, "schedule/appointment.html", context, status_code=status)


@router.get("/schedule/appointments/{appointment_id:int}", include_in_schema=False)
def appointment_page(request: Request, appointment_id: int, user: Reader) -> HTMLResponse:
    return _appointment_page(request, user, appointment_id)


def _act(request: Request, user: SessionUser, appointment_id: int, action: Any) -> Response:
    try:
        with _uow(request, user) as uow:
            done = action(uow)
    except NotFound as exc:
        raise HTTPException(404, "no such appointment in this clinic") from exc
    except OtbillError as exc:
        return _appointment_page(request, user, appointment_id, 422, str(exc))
    return RedirectResponse(f"/schedule/appointments/{appointment_id}?done={done}", status_code=303)


@router.post("/schedule/appointments/{appointment_id:int}/check-in", include_in_schema=False)
def check_in_page(request: Request, appointment_id: int, user: Clerk) -> Response:
    profiles = wiring(request).profiles
    return _act(request, user, appointment_id,
                lambda uow: check_in(uow, appointment_id, profiles=profiles) and "checked-in")  # fmt: skip


@router.post("/schedule/appointments/{appointment_id:int}/cancel", include_in_schema=False)
async def cancel_page(request: Request, appointment_id: int, user: Clerk) -> Response:
    rest = (await request.form()).get("rest") == "yes"

    def cancel(uow: UnitOfWork) -> str:
        schedule.cancel(uow, appointment_id, rest_of_series=rest)
        return "series-cancelled" if rest else "cancelled"

    return _act(request, user, appointment_id, cancel)


@router.post("/schedule/appointments/{appointment_id:int}/no-show", include_in_schema=False)
def no_show_page(request: Request, appointment_id: int, user: Clerk) -> Response:
    def no_show(uow: UnitOfWork) -> str:
        schedule.mark_no_show(uow, appointment_id)
        return "no-show"

    return _act(request, user, appointment_id, no_show)
