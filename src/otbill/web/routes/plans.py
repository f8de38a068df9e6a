"""Plan-of-care pages: the queue (awaiting signature, recertification due), physicians, a
patient's referrals and plans, one plan with its signature form and printable request, and a
plan started from a signed evaluation.

Therapists write plans of care; the front desk, billers (and therapists) add physicians and
referrals, record the signature received date and print the request; auditors read. Every
successful post redirects (POST-redirect-GET); bad input shows the page again with the message
naming the field and the form as typed.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from otbill.domain.record_errors import NotFound
from otbill.errors import OtbillError
from otbill.services.frontdesk import plans_of_care as plans
from otbill.services.frontdesk import referrals, registration
from otbill.services.frontdesk.plan_queue import (
    certification_request_pdf,
    patient_plans,
    plan_page,
    plan_queue,
)
from otbill.web.app import render, today
from otbill.web.params import is_whole
from otbill.web.routes.frontdesk import FormData, _uow
from otbill.web.routes.frontdesk_forms import form_date
from otbill.web.routes.plan_forms import diagnoses_of, physician_of, plan_input
from otbill.web.security import SessionUser, require_roles

__all__ = ["router"]

router = APIRouter()
Reader = Annotated[
    SessionUser, Depends(require_roles("front-desk", "biller", "therapist", "auditor"))
]
Desk = Annotated[SessionUser, Depends(require_roles("front-desk", "biller", "therapist"))]
Therapist = Annotated[SessionUser, Depends(require_roles("therapist"))]
_NOTICES = {
    "written": "Plan of care written; it now waits for the physician's signature.",
    "signed": "Signature received date recorded.",
    "recertified": "Recertification plan written; it waits for the physician's signature.",
    "referral": "Referral recorded.",
    "physician": "Physician added.",
    "physician-changed": "Physician corrected.",
    "changed": "Plan of care corrected.",
}


def _notice(request: Request) -> str | None:
    return _NOTICES.get(request.query_params.get("done", ""))


@router.get("/plans", include_in_schema=False)
def queue_page(request: Request, user: Reader, q: str = "") -> HTMLResponse:
    """The queue, and a patient search leading to a patient's referrals and plans."""
    with _uow(request, user) as uow:
        lines = plan_queue(uow, today(request))
        found = registration.search_patients(uow, text=q.strip()) if q.strip() else None
    waiting = [line for line in lines if line.awaiting_signature]
    due = [line for line in lines if not line.awaiting_signature]
    context = {"waiting": waiting, "due": due, "q": q, "found": found}
    return render(request, "plans/queue.html", context)


def _physicians_page(
    request: Request, user: SessionUser, form: dict[str, str], error: str | None = None
) -> HTMLResponse:
    q = request.query_params.get("q", "")
    page_text = request.query_params.get("page", "1")
    page = int(page_text) if is_whole(page_text, 5) else 1
    with _uow(request, user) as uow:
        found = referrals.find_physicians(uow, q, page)
    context = {"physicians": found, "q": q, "page": page, "form": form, "error": error,
               "notice": _notice(request), "more": len(found) == referrals.PAGE_SIZE}  # fmt: skip
    return render(request, "plans/physicians.html", context, status_code=422 if error else 200)


@router.get("/plans/physicians", include_in_schema=False)
def physicians(request: Request, user: Reader) -> HTMLResponse:
    return _physicians_page(request, user, {})


@router.post("/plans/physicians", include_in_schema=False)
def add_physician(request: Request, user: Desk, form: FormData) -> Response:
    try:
        with _uow(request, user) as uow:
            referrals.add_physician(uow, first_name=form.get("first_name", ""),
                                    last_name=form.get("last_name", ""),
                                    npi_number=form.get("npi", ""), fax=form.get("fax", ""),
                                    phone=form.get("phone", ""))  # fmt: skip
    except OtbillError as exc:
        return _physicians_page(request, user, form, str(exc))
    return RedirectResponse("/plans/physicians?done=physician", status_code=303)


def _physician_form(
    request: Request, user: SessionUser, physician_id: int,
    form: dict[str, str] | None = None, error: str | None = None,
) -> HTMLResponse:  # fmt: skip
    try:
        with _uow(request, user) as uow:
            physician = referrals.get_physician(uow, physician_id)
    except NotFound as exc:
        raise HTTPException(404, "no such physician in this clinic") from exc
    typed = form if form is not None else {
        "first_name": physician.first_name, "last_name": physician.last_name,
        "npi": physician.npi, "fax": physician.fax, "phone": physician.phone,
    }  # fmt: skip
    context = {"physician": physician, "form": typed, "error": error}
    return render(request, "plans/physician.html", context, status_code=422 if error else 200)


@router.get("/plans/physicians/{physician_id}", include_in_schema=False)
def physician_page(request: Request, user: Reader, physician_id: int) -> HTMLResponse:
    """One physician, with the form to correct a name, NPI, fax or phone."""
    return _physician_form(request, user, physician_id)


@router.post("/plans/physicians/{physician_id}", include_in_schema=False)
def change_physician(request: Request, user: Desk, physician_id: int, form: FormData) -> Response:
    try:
        with _uow(request, user) as uow:
            referrals.change_physician(uow, physician_id, first_name=form.get("first_name", ""),
                                       last_name=form.get("last_name", ""),
                                       npi_number=form.get("npi", ""), fax=form.get("fax", ""),
                                       phone=form.get("phone", ""))  # fmt: skip
    except NotFound as exc:
        raise HTTPException(404, "no such physician in this clinic") from exc
    except OtbillError as exc:
        return _physician_form(request, user, physician_id, form, str(exc))
    return RedirectResponse("/plans/physicians?done=physician-changed", status_code=303)


def _patient_page(
    request: Request, user: SessionUser, patient_id: int, status: int = 200, **extra: Any
) -> HTMLResponse:
    try:
        with _uow(request, user) as uow:
            lines = patient_plans(uow, patient_id, today(request))
            refs = referrals.patient_referrals(uow, patient_id)
            doctors = referrals.find_physicians(uow, "", 1)
    except NotFound as exc:
        raise HTTPException(404, "no such patient in this clinic") from exc
    context = {"patient_id": patient_id, "plans": lines, "referrals": refs,
               "physicians": {p.id: p for p in doctors},
               "physician_list": doctors, "form": {}, "error": None,
               "notice": _notice(request)}  # fmt: skip
    return render(request, "plans/patient.html", context | extra, status_code=status)


@router.get("/plans/patient/{patient_id}", include_in_schema=False)
def patient(request: Request, user: Reader, patient_id: int) -> HTMLResponse:
    return _patient_page(request, user, patient_id)


@router.post("/plans/patient/{patient_id}/referrals", include_in_schema=False)
def add_referral(request: Request, user: Desk, patient_id: int, form: FormData) -> Response:
    try:
        with _uow(request, user) as uow:
            referrals.record_referral(
                uow, patient_id=patient_id,
                physician_id=physician_of(form),
                referred_on=form_date(form, "referred_on", "referral date", required=True)
                or today(request), diagnoses=diagnoses_of(form), note=form.get("note", ""),
                today=today(request),
            )  # fmt: skip
    except NotFound as exc:
        raise HTTPException(404, "no such patient or physician in this clinic") from exc
    except OtbillError as exc:
        return _patient_page(request, user, patient_id, 422, error=str(exc), form=form)
    return RedirectResponse(f"/plans/patient/{patient_id}?done=referral", status_code=303)


@router.post("/plans/patient/{patient_id}", include_in_schema=False)
def write_plan(request: Request, user: Therapist, patient_id: int, form: FormData) -> Response:
    try:
        with _uow(request, user) as uow:
            plan_id = plans.write_plan(uow, plan_input(form, patient_id))
    except NotFound as exc:
        raise HTTPException(404, "no such patient or physician in this clinic") from exc
    except OtbillError as exc:
        return _patient_page(request, user, patient_id, 422, error=str(exc), form=form)
    return RedirectResponse(f"/plans/{plan_id}?done=written", status_code=303)


def _plan_page(
    request: Request, user: SessionUser, plan_id: int, status: int = 200, **extra: Any
) -> HTMLResponse:
    try:
        with _uow(request, user) as uow:
            page = plan_page(uow, plan_id, today(request))
    except NotFound as exc:
        raise HTTPException(404, "no such plan of care in this clinic") from exc
    with _uow(request, user) as uow:
        doctors = referrals.find_physicians(uow, "", 1)
    context = {"p": page, "form": {}, "error": None, "notice": _notice(request),
               "physician_list": doctors}  # fmt: skip
    return render(request, "plans/plan.html", context | extra, status_code=status)


@router.get("/plans/{plan_id}", include_in_schema=False)
def show(request: Request, user: Reader, plan_id: int) -> HTMLResponse:
    return _plan_page(request, user, plan_id)


@router.get("/plans/{plan_id}/request.pdf", include_in_schema=False)
def request_pdf(request: Request, user: Reader, plan_id: int) -> Response:
    try:
        with _uow(request, user) as uow:
            data = certification_request_pdf(uow, plan_id, today(request))
    except NotFound as exc:
        raise HTTPException(404, "no such plan of care in this clinic") from exc
    disposition = f'inline; filename="plan-of-care-{plan_id}-certification-request.pdf"'
    return Response(data, media_type="application/pdf",
                    headers={"Content-Disposition": disposition})  # fmt: skip


@router.post("/plans/{plan_id}/signature", include_in_schema=False)
def signature(request: Request, user: Desk, plan_id: int, form: FormData) -> Response:
    try:
        with _uow(request, user) as uow:
            received = form_date(form, "received_on", "signature received date", required=True)
            plans.record_signature(uow, plan_id, received_on=received or today(request),
                                   delay_reason=form.get("delay_reason", ""),
                                   today=today(request))  # fmt: skip
    except NotFound as exc:
        raise HTTPException(404, "no such plan of care in this clinic") from exc
    except OtbillError as exc:
        return _plan_page(request, user, plan_id, 422, error=str(exc), form=form)
    return RedirectResponse(f"/plans/{plan_id}?done=signed", status_code=303)


@router.post("/plans/{plan_id}/change", include_in_schema=False)
def change(request: Request, user: Therapist, plan_id: int, form: FormData) -> Response:
    """Correct the plan before the physician signs it; its patient and start stay."""
    try:
        with _uow(request, user) as uow:
            plan = plan_page(uow, plan_id, today(request)).plan
            written = form | {"start": plan.start.isoformat()}
            plans.change_plan(uow, plan_id, plan_input(written, plan.patient_id))
    except NotFound as exc:
        raise HTTPException(404, "no such plan of care in this clinic") from exc
    except OtbillError as exc:
        return _plan_page(request, user, plan_id, 422, error=str(exc), form=form)
    return RedirectResponse(f"/plans/{plan_id}?done=changed", status_code=303)


@router.post("/plans/{plan_id}/recertify", include_in_schema=False)
def recertify(request: Request, user: Therapist, plan_id: int, form: FormData) -> Response:
    try:
        with _uow(request, user) as uow:
            new_id = plans.recertify(uow, plan_id, goals=form.get("goals") or None)
    except NotFound as exc:
        raise HTTPException(404, "no such plan of care in this clinic") from exc
    except OtbillError as exc:
        return _plan_page(request, user, plan_id, 422, error=str(exc), form=form)
    return RedirectResponse(f"/plans/{new_id}?done=recertified", status_code=303)


def _from_visit_page(
    request: Request, user: SessionUser, visit_id: int, form: dict[str, str], error: str | None
) -> HTMLResponse:
    with _uow(request, user) as uow:
        doctors = referrals.find_physicians(uow, "", 1)
    context = {"visit_id": visit_id, "physician_list": doctors, "form": form, "error": error}
    return render(request, "plans/from_visit.html", context, status_code=422 if error else 200)


@router.get("/plans/from-visit/{visit_id}", include_in_schema=False)
def from_visit_form(request: Request, user: Therapist, visit_id: int) -> HTMLResponse:
    return _from_visit_page(request, user, visit_id, {}, None)


@router.post("/plans/from-visit/{visit_id}", include_in_schema=False)
def from_visit(request: Request, user: Therapist, visit_id: int, form: FormData) -> Response:
    try:
        with _uow(request, user) as uow:
            plan_id = plans.plan_from_evaluation(
                uow, visit_id, physician_id=physician_of(form),
                diagnoses=diagnoses_of(form),
            )  # fmt: skip
    except NotFound as exc:
        raise HTTPException(404, "no such visit or physician in this clinic") from exc
    except OtbillError as exc:
        return _from_visit_page(request, user, visit_id, form, str(exc))
    return RedirectResponse(f"/plans/{plan_id}?done=written", status_code=303)
