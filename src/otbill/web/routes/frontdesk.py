"""Front-desk pages: find and register patients, their coverage (with history) and documents.

Front-desk work is open to the front desk, billers and admins; auditors read (lists, the patient
page, documents) but cannot change anything. Every successful post redirects (POST-redirect-GET);
bad input shows the form again, as typed, with a message naming the field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from otbill import clock
from otbill.clearinghouse.realtime import RealTimeTransport
from otbill.clearinghouse.simulator.eligibility import SimulatedEligibilityPayer
from otbill.domain.record_errors import NotFound, RecordError
from otbill.errors import OtbillError
from otbill.services.exchange.eligibility import check_coverage
from otbill.services.frontdesk import coverage, documents, registration
from otbill.services.frontdesk.patient_documents import offers_good_faith_estimate
from otbill.services.frontdesk.patient_file import PatientFile, patient_file
from otbill.services.frontdesk.registration import PossibleDuplicate
from otbill.storage import UnitOfWork
from otbill.web.app import render, today, wiring
from otbill.web.routes.frontdesk_forms import (
    coverage_details,
    field_of,
    form_date,
    patient_details,
)
from otbill.web.security import SessionUser, require_roles

__all__ = ["router"]

router = APIRouter()
Clerk = Annotated[SessionUser, Depends(require_roles("front-desk", "biller"))]
Reader = Annotated[SessionUser, Depends(require_roles("front-desk", "biller", "auditor"))]
_NOTICES = {
    "registered": "Patient registered.",
    "saved": "Changes saved.",
    "coverage": "Coverage added.",
    "ended": "Coverage ended; claims billed to it keep it.",
    "changed": "New coverage added; the old one ends the day before it starts.",
    "eligibility": "Eligibility check recorded.",
    "asked": "The payer answered; its benefits are shown below.",
    "document": "Document attached.",
}


async def _form(request: Request) -> dict[str, str]:
    """The posted form's text fields (the route itself stays synchronous)."""
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


FormData = Annotated[dict[str, str], Depends(_form)]


def _uow(request: Request, user: SessionUser) -> UnitOfWork:
    return request.app.state.db.unit_of_work(user.clinic_id, user.id)  # type: ignore[no-any-return]


def _patient_page(
    request: Request, user: SessionUser, patient_id: int, status: int = 200, **extra: Any
) -> HTMLResponse:
    try:
        with _uow(request, user) as uow:
            file = patient_file(uow, patient_id, today(request))
            offers_gfe = offers_good_faith_estimate(uow, patient_id)
    except NotFound as exc:
        raise HTTPException(404, "no such patient in this clinic") from exc
    context: dict[str, Any] = {
        "file": file,
        "offers_gfe": offers_gfe,
        "form": {},
        "error": None,
        "priorities": coverage.PRIORITIES,
        "relationships": coverage.RELATIONSHIPS,
        "kinds": documents.DOCUMENT_KINDS,
        "notice": _NOTICES.get(request.query_params.get("done", "")),
    }
    context |= extra
    context["error_field"] = field_of(context["error"] or "")
    return render(request, "frontdesk/patient.html", context, status_code=status)


def _on_patient(
    request: Request,
    user: SessionUser,
    patient_id: int,
    form: dict[str, str],
    action: Callable[[UnitOfWork], str],
) -> Response:
    """Run ``action`` in one unit of work, then back to the patient page (or the message)."""
    try:
        with _uow(request, user) as uow:
            done = action(uow)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    except OtbillError as exc:
        return _patient_page(request, user, patient_id, 422, error=str(exc), form=form)
    return RedirectResponse(f"/patients/{patient_id}?done={done}", status_code=303)


@router.get("/patients", include_in_schema=False)
def patient_list(
    request: Request, user: Reader, q: str = "", dob: str = "", page: int = 1
) -> HTMLResponse:
    error, born = None, None
    try:
        born = form_date({"dob": dob}, "dob", "date of birth")
    except OtbillError as exc:
        error = str(exc)
    with _uow(request, user) as uow:
        found = registration.search_patients(uow, text=q, dob=born, page=page)
    context = {"found": found, "q": q, "dob": dob, "error": error}
    return render(request, "frontdesk/patients.html", context)


def _form_page(
    request: Request, form: dict[str, str], status: int = 200, **extra: Any
) -> HTMLResponse:
    context = {"form": form, "error": None, "duplicates": [], "patient_id": None} | extra
    context["error_field"] = field_of(context["error"] or "")
    return render(request, "frontdesk/patient_form.html", context, status_code=status)


@router.get("/patients/new", include_in_schema=False)
def new_patient(request: Request, user: Clerk) -> HTMLResponse:
    return _form_page(request, {"guarantor": "self", "sex": ""})


@router.post("/patients", include_in_schema=False)
def register(request: Request, user: Clerk, form: FormData) -> Response:
    acknowledged = form.get("duplicate_ok") == "yes"
    try:
        details = patient_details(form)
        with _uow(request, user) as uow:
            patient_id = registration.register_patient(
                uow, details, today=today(request), duplicate_acknowledged=acknowledged
            )
    except PossibleDuplicate as exc:
        return _form_page(request, form, 409, duplicates=exc.matches)
    except OtbillError as exc:
        return _form_page(request, form, 422, error=str(exc))
    return RedirectResponse(f"/patients/{patient_id}?done=registered", status_code=303)


@router.get("/patients/{patient_id}", include_in_schema=False)
def patient_page(request: Request, user: Reader, patient_id: int) -> HTMLResponse:
    return _patient_page(request, user, patient_id)


@router.get("/patients/{patient_id}/edit", include_in_schema=False)
def edit_form(request: Request, user: Clerk, patient_id: int) -> HTMLResponse:
    with _uow(request, user) as uow:
        try:
            file = patient_file(uow, patient_id, today(request))
        except NotFound as exc:
            raise HTTPException(404, "no such patient in this clinic") from exc
    return _form_page(request, _as_form(file), patient_id=patient_id)


@router.post("/patients/{patient_id}", include_in_schema=False)
def save_patient(request: Request, user: Clerk, patient_id: int, form: FormData) -> Response:
    try:
        details = patient_details(form)
        with _uow(request, user) as uow:
            registration.edit_patient(uow, patient_id, details, today=today(request))
    except NotFound as exc:
        raise HTTPException(404, "no such patient in this clinic") from exc
    except OtbillError as exc:
        return _form_page(request, form, 422, error=str(exc), patient_id=patient_id)
    return RedirectResponse(f"/patients/{patient_id}?done=saved", status_code=303)


@router.post("/patients/{patient_id}/coverages", include_in_schema=False)
def add_coverage(request: Request, user: Clerk, patient_id: int, form: FormData) -> Response:
    profiles = wiring(request).profiles

    def action(uow: UnitOfWork) -> str:
        coverage.enrol(uow, patient_id, coverage_details(form), profiles)
        return "coverage"

    return _on_patient(request, user, patient_id, form, action)


def _patient_of_coverage(request: Request, user: SessionUser, coverage_id: int) -> int:
    """The patient whose page a coverage form returns to (404 for another clinic's coverage)."""
    with _uow(request, user) as uow:
        try:
            return uow.patients.coverage(coverage_id).patient_id
        except NotFound as exc:
            raise HTTPException(404, "no such coverage in this clinic") from exc


@router.post("/coverages/{coverage_id}/end", include_in_schema=False)
def end_coverage(request: Request, user: Clerk, coverage_id: int, form: FormData) -> Response:
    patient_id = _patient_of_coverage(request, user, coverage_id)

    def action(uow: UnitOfWork) -> str:
        last_day = form_date(form, "last_day", "last day of coverage", required=True)
        assert last_day is not None
        coverage.end_coverage(uow, coverage_id, last_day)
        return "ended"

    return _on_patient(request, user, patient_id, form, action)


@router.post("/coverages/{coverage_id}/eligibility", include_in_schema=False)
def eligibility_check(request: Request, user: Clerk, coverage_id: int, form: FormData) -> Response:
    """An eligibility check made by phone or portal: its date and what it found."""
    patient_id = _patient_of_coverage(request, user, coverage_id)

    def action(uow: UnitOfWork) -> str:
        checked = form_date(form, "checked_on", "eligibility check date", required=True)
        assert checked is not None
        found = form.get("active", "yes")
        if found not in ("yes", "no"):
            raise RecordError(f"what the check showed {found!r}: active or not active")
        coverage.record_eligibility_check(
            uow, coverage_id, on=checked, active=found == "yes", today=today(request)
        )
        return "eligibility"

    return _on_patient(request, user, patient_id, form, action)


@router.post("/coverages/{coverage_id}/eligibility/run", include_in_schema=False)
def eligibility_now(request: Request, user: Clerk, coverage_id: int, form: FormData) -> Response:
    """Ask the payer now (270/271, for today) and keep its answer on the coverage."""
    with _uow(request, user) as uow:
        try:
            patient_id = uow.patients.coverage(coverage_id).patient_id
        except NotFound as exc:
            raise HTTPException(404, "no such coverage in this clinic") from exc

    def action(uow: UnitOfWork) -> str:
        day = today(request)
        check_coverage(uow, coverage_id, on=day, today=day, transport=_payer_line(request),
                       profiles=wiring(request).profiles)  # fmt: skip
        return "asked"

    return _on_patient(request, user, patient_id, form, action)


def _payer_line(request: Request) -> RealTimeTransport:
    """The app's eligibility transport (``app.state.eligibility_transport``), else the simulator."""
    line: RealTimeTransport | None = getattr(request.app.state, "eligibility_transport", None)
    return line if line is not None else SimulatedEligibilityPayer()


@router.post("/patients/{patient_id}/documents", include_in_schema=False)
def upload(
    request: Request,
    user: Clerk,
    patient_id: int,
    file: Annotated[UploadFile, File()],
    kind: Annotated[str, Form()] = "other",
) -> Response:
    content = file.file.read(documents.MAX_BYTES + 1)  # never more than the cap plus one byte

    def action(uow: UnitOfWork) -> str:
        documents.attach_document(
            uow,
            patient_id,
            kind=kind,
            filename=file.filename or "",
            content=content,
            now=clock.utcnow(),
        )
        return "document"

    return _on_patient(request, user, patient_id, {}, action)


@router.get("/documents/{document_id}", include_in_schema=False)
def download(request: Request, user: Reader, document_id: int) -> Response:
    try:
        with _uow(request, user) as uow:
            found = documents.document_download(uow, document_id)
    except NotFound as exc:
        raise HTTPException(404, "no such document in this clinic") from exc
    name = found.document.filename.encode("ascii", "replace").decode()
    headers = {
        "Content-Disposition": f'attachment; filename="{name}"',
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store",
    }
    return Response(found.content, media_type=found.document.content_type, headers=headers)


def _as_form(file: PatientFile) -> dict[str, str]:
    """The patient's stored facts as the registration form's fields."""
    p, reg = file.patient, file.registration
    form = {
        "first_name": p.first_name,
        "last_name": p.last_name,
        "dob": p.dob.isoformat(),
        "sex": p.sex,
        "address_line1": p.address_line1 or "",
        "city": p.city or "",
        "state": p.state or "",
        "zip": p.zip or "",
        "preferred_name": reg.preferred_name or "",
        "phone": reg.phone or "",
        "email": reg.email or "",
        "preferred_language": reg.preferred_language or "",
        "consent_on": reg.consent_on.isoformat() if reg.consent_on else "",
        "benefits_assigned_on": (
            reg.benefits_assigned_on.isoformat() if reg.benefits_assigned_on else ""
        ),
        "self_pay": "on" if reg.self_pay else "",
        "guarantor": "self",
    }
    if reg.emergency_contact:
        ec = reg.emergency_contact
        form |= {"ec_name": ec.name, "ec_relationship": ec.relationship, "ec_phone": ec.phone}
    if reg.guarantor:
        g = reg.guarantor
        form |= {
            "guarantor": "other",
            "g_first_name": g.first_name,
            "g_last_name": g.last_name,
            "g_relationship": g.relationship,
            "g_address_line1": g.address_line1,
            "g_city": g.city,
            "g_state": g.state,
            "g_zip": g.zip,
            "g_phone": g.phone,
        }
    return form
