"""The therapist's day: the schedule, notes waiting for a signature, and recording a visit.

Roles: therapists (and admins) only. A therapist sees their own provider's visits; an admin, who
is not a provider, picks a therapist (``?provider=``). Recording a visit is open to every patient
of the clinic (a new patient has no visit with anyone yet); the visit belongs to the recording
therapist, or, for an admin, to the therapist chosen on the form. The visit pages themselves live
in ``therapist_visit.py``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from otbill.domain.credentials import is_assistant
from otbill.domain.record_errors import NotFound, RecordError
from otbill.errors import CodeError, UnitsError
from otbill.services.views import therapist_day as schedule
from otbill.services.visits.plausibility import merged_rows
from otbill.services.visits.record import SELF_PAY, record_visit, self_pay_profile
from otbill.storage import UnitOfWork
from otbill.web.app import render, today
from otbill.web.params import is_whole
from otbill.web.routes import therapist_forms as forms
from otbill.web.security import SessionUser, require_roles

router = APIRouter()
Therapist = Annotated[SessionUser, Depends(require_roles("therapist"))]
Form = Annotated[FormData, Depends(forms.form_data)]


def _provider_for(uow: UnitOfWork, user: SessionUser, chosen: str | None) -> int | None:
    """The user's own provider; an admin without one may choose any of the clinic's."""
    if user.provider_id is not None:
        return user.provider_id
    if chosen and is_whole(chosen):
        try:
            return schedule.provider(uow, int(chosen)).id
        except NotFound:
            return None
    return None


def _day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        raise HTTPException(400, f"day: expected YYYY-MM-DD, not {value!r}") from None


@router.get("/therapist")
def my_day(
    request: Request, user: Therapist, day: str | None = None, provider: str | None = None
) -> Response:
    asked, now = _day(day), today(request)
    context: dict[str, Any] = {"asked": asked, "shown": asked or now, "fallback": False}
    with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
        provider_id = _provider_for(uow, user, provider)
        context["providers"] = schedule.provider_choices(uow) if user.provider_id is None else []
        context["provider_id"] = provider_id
        visits, unsigned = [], []
        if provider_id is not None:
            visits = schedule.visits_on(uow, provider_id, context["shown"])
            if not visits and asked is None:
                latest = schedule.latest_visit_day(uow, provider_id, now)
                if latest is not None:
                    context.update(shown=latest, fallback=True)
                    visits = schedule.visits_on(uow, provider_id, latest)
            unsigned = schedule.unsigned_notes(uow, provider_id)
    return render(
        request, "therapist/schedule.html", {**context, "visits": visits, "unsigned": unsigned}
    )


def _new_context(
    request: Request, uow: UnitOfWork, user: SessionUser, values: dict[str, Any]
) -> dict[str, Any]:
    return {
        "patients": schedule.patient_choices(uow),
        "unlinked": user.provider_id is None,
        "assistant": _is_assistant(uow, user.provider_id),
        "note_types": forms.NOTE_TYPES,
        "places": forms.PLACES,
        "labels": forms.ELEMENT_LABELS,
        "values": {"date": today(request).isoformat(), "place_of_service": "11", **values},
        "rows": forms.pad(values.get("rows", [])),
        "errors": values.get("errors", {}),
        "panel": values.get("panel"),
    }


def _is_assistant(uow: UnitOfWork, provider_id: int | None) -> bool:
    return provider_id is not None and is_assistant(schedule.provider(uow, provider_id).credential)


@router.get("/visits/new")
def new_visit(request: Request, user: Therapist, patient: str | None = None) -> Response:
    with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
        context = _new_context(request, uow, user, {"patient": patient or ""})
    return render(request, "therapist/new_visit.html", context)


def _read_new(request: Request, uow: UnitOfWork, form: FormData) -> dict[str, Any]:
    """Every field of the new-visit form, checked; ``errors`` names each bad field."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {k: v for k, v in form.items() if isinstance(v, str)}
    day = forms.parse_date(values.get("date", ""), today(request), errors)
    values.update(forms.visit_fields(form, errors))
    rows = forms.parse_rows(form, day)
    errors.update(rows.errors)
    values.update(rows=rows.typed, services=rows.services, day=day)
    values["note"] = forms.note_changes(form, errors)
    values["coverage"] = None
    values["self_pay"] = False
    patient = values.get("patient", "")
    if not is_whole(patient):
        errors["patient"] = "Patient: choose the patient seen."
    elif day is not None:
        try:
            values["coverage"] = schedule.coverage_on(uow, int(patient), day)
            values["self_pay"] = schedule.is_self_pay(uow, int(patient))
        except NotFound:
            errors["patient"] = "Patient: no such patient in this clinic."
        if values["coverage"] is None and not values["self_pay"] and "patient" not in errors:
            errors["patient"] = f"Patient: no insurance coverage in force on {day}."
    values["errors"] = errors
    return values


def _preview(uow: UnitOfWork, request: Request, values: dict[str, Any]) -> dict[str, Any] | None:
    """The units panel under the payer's method, with what to check in the rows typed."""
    coverage = values.get("coverage")
    if coverage is None and not values.get("self_pay"):
        return None
    if coverage is None:  # a self-pay patient with no insurance: CPT's per-code units
        profile, label = self_pay_profile(), SELF_PAY
    else:
        payer = schedule.payer(uow, coverage.payer_id)
        profile = forms.profiles(request)[payer.profile]
        label = f"{payer.name} ({profile.name})"
    return forms.units_panel(values["services"], profile.units_method, values["day"], label,
                             forms.mue_for(request, profile))  # fmt: skip


@router.post("/visits/new/units-preview")
def new_visit_preview(request: Request, user: Therapist, form: Form) -> Response:
    with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
        values = _read_new(request, uow, form)
        values["panel"] = _preview(uow, request, values)
        if request.headers.get("hx-request"):
            rows = {k: v for k, v in values["errors"].items() if k.startswith(("code_", "min"))}
            context = {"panel": values["panel"], "row_errors": rows if values["panel"] else {}}
            return render(request, "therapist/_units.html", context)
        context = _new_context(request, uow, user, values)
    return render(request, "therapist/new_visit.html", context)


@router.post("/visits/new")
def create_visit(request: Request, user: Therapist, form: Form) -> Response:
    db = request.app.state.db
    with db.unit_of_work(user.clinic_id, user.id) as uow:
        values = _read_new(request, uow, form)
    # a visit is recorded by the therapist who treated the patient, never on someone's behalf
    # (an admin choosing any provider could bill under another's NPI): issue 11, item 14
    provider_id = user.provider_id
    errors = values["errors"]
    if provider_id is None:
        errors["provider"] = (
            "Only a therapist records a visit: your account is not linked to a provider "
            "(an admin links it under Admin → Users)."
        )
    if not errors:
        try:
            with db.unit_of_work(user.clinic_id, user.id) as uow:  # all or nothing
                visit_id = _record(request, uow, values, provider_id)
        except (RecordError, CodeError, UnitsError, ValueError) as exc:
            errors["form"] = f"The visit was not saved: {exc}"
        else:  # what was merged is said once, on the visit page the browser goes to
            request.session[forms.MERGED] = merged_rows(values["services"])
            return RedirectResponse(f"/visits/{visit_id}?saved=recorded", status_code=303)
    with db.unit_of_work(user.clinic_id, user.id) as uow:
        values["panel"] = _preview(uow, request, values)
        context = _new_context(request, uow, user, values)
    return render(request, "therapist/new_visit.html", context, status_code=422)


def _record(request: Request, uow: UnitOfWork, values: dict[str, Any], provider_id: Any) -> int:
    note = {k: v for k, v in values["note"].items() if v is not None}
    return record_visit(
        uow,
        patient_id=int(values["patient"]),
        coverage_id=values["coverage"].id if values["coverage"] else None,  # None: self-pay
        provider_id=provider_id,
        date=values["day"],
        services=values["services"],
        note_type=values["note_type"],
        note=note,
        place_of_service=values["place_of_service"],
        telehealth=values["telehealth"],
        profiles=forms.profiles(request),
    )
