"""Patient payments' pages: a patient's payments (take one, refund credit, apply credit, ask for a
write-off), a receipt (page and PDF), the credit-balance queue, write-offs awaiting a second
person, and the day's deposit (page and PDF).

The front desk and billers take payments (a copay from the check-in screen arrives with its visit
and the 271's copay filled in); billers refund; an approver who did not ask decides a write-off;
auditors read. Every successful post redirects (POST-redirect-GET); a refusal shows the page
again with the service's sentence.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from otbill.domain.record_errors import NotFound
from otbill.errors import OtbillError
from otbill.pdf.deposit import render_deposit
from otbill.services.payments.credits import credit_queue
from otbill.services.payments.deposit import deposit_report
from otbill.services.payments.receipts import receipt_of, receipt_pdf
from otbill.services.payments.standing import standing
from otbill.services.payments.take import (
    apply_credit,
    copay_due,
    payments_of,
    refund,
    take_payment,
)
from otbill.services.payments.write_offs import (
    ask_write_off,
    decide_write_off,
    pending_write_offs,
)
from otbill.storage import UnitOfWork
from otbill.web.app import render, today
from otbill.web.params import is_whole
from otbill.web.security import SessionUser, require_roles

__all__ = ["router"]

router = APIRouter()
Reader = Annotated[SessionUser, Depends(require_roles("front-desk", "biller", "auditor"))]
Clerk = Annotated[SessionUser, Depends(require_roles("front-desk", "biller"))]
Biller = Annotated[SessionUser, Depends(require_roles("biller"))]
Approver = Annotated[SessionUser, Depends(require_roles("approver"))]
_NOTICES = {
    "taken": "Payment taken.",
    "refunded": "Refund recorded.",
    "applied": "Credit applied.",
    "nothing": "No credit to apply now (or a copay is waiting for its visit to be billed).",
    "asked": "Write-off asked for: someone else decides it.",
    "approved": "Write-off approved.",
    "refused": "Write-off refused.",
}


def _uow(request: Request, user: SessionUser) -> UnitOfWork:
    return request.app.state.db.unit_of_work(user.clinic_id, user.id)  # type: ignore[no-any-return]


def _day(value: str, fallback: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else fallback
    except ValueError:
        raise HTTPException(400, f"day: expected YYYY-MM-DD, not {value[:20]!r}") from None


def _patient_page(
    request: Request, user: SessionUser, patient_id: int, *, form: dict[str, Any] | None = None,
    status: int = 200, error: str = "",
) -> HTMLResponse:  # fmt: skip
    visit_text = str((form or {}).get("visit") or request.query_params.get("visit", ""))
    visit_id = int(visit_text) if is_whole(visit_text, 11) else None
    try:
        with _uow(request, user) as uow:
            patient = uow.patients.get(patient_id)
            state = standing(uow, patient_id)
            payments = payments_of(uow, patient_id)
            write_offs = uow.payments.write_offs(patient_id=patient_id)
            locations = [loc for loc in uow.clinics.locations() if loc.active]
            copay = None
            if visit_id is not None:
                if uow.visits.get(visit_id).patient_id != patient_id:
                    raise HTTPException(404, "no such visit of this patient")
                copay = copay_due(uow, visit_id)
    except NotFound as exc:
        raise HTTPException(404, "no such patient or visit in this clinic") from exc
    if form is None:
        form = {"amount": f"{copay:.2f}" if copay else "", "method": "card", "visit": visit_text}
    context = {"p": patient, "state": state, "payments": payments, "write_offs": write_offs,
               "locations": locations, "form": form, "error": error, "copay": copay,
               "visit_id": visit_id,
               "notice": _NOTICES.get(request.query_params.get("done", ""))}  # fmt: skip
    return render(request, "payments/patient.html", context, status_code=status)


@router.get("/patients/{patient_id:int}/payments", include_in_schema=False)
def patient_payments_page(request: Request, patient_id: int, user: Reader) -> HTMLResponse:
    return _patient_page(request, user, patient_id)


async def _form(request: Request) -> dict[str, Any]:
    posted = await request.form()
    form: dict[str, Any] = {k: v for k, v in posted.items() if isinstance(v, str)}
    form["apply"] = [v for v in posted.getlist("apply") if isinstance(v, str)]
    return form


def _act(request: Request, user: SessionUser, patient_id: int, form: dict[str, Any],
         action: Any) -> Response:  # fmt: skip
    try:
        with _uow(request, user) as uow:
            target = action(uow)
    except NotFound as exc:
        raise HTTPException(404, "no such record in this clinic") from exc
    except OtbillError as exc:
        return _patient_page(request, user, patient_id, form=form, status=422, error=str(exc))
    return RedirectResponse(target, status_code=303)


def _number(value: Any) -> int | None:
    return int(value) if isinstance(value, str) and is_whole(value, 11) else None


@router.post("/patients/{patient_id:int}/payments", include_in_schema=False)
async def take_page(request: Request, patient_id: int, user: Clerk) -> Response:
    form = await _form(request)

    def take(uow: UnitOfWork) -> str:
        taken = take_payment(
            uow, patient_id=patient_id, amount=form.get("amount", ""),
            method=form.get("method", ""), reference=form.get("reference", ""),
            last4=form.get("last4", ""), received_on=today(request),
            location_id=_number(form.get("location")), visit_id=_number(form.get("visit")),
            apply_to=form["apply"] or None,
        )  # fmt: skip
        return f"/payments/{taken.payment_id}?done=taken"

    return _act(request, user, patient_id, form, take)


@router.post("/patients/{patient_id:int}/refunds", include_in_schema=False)
async def refund_page(request: Request, patient_id: int, user: Biller) -> Response:
    form = await _form(request)

    def give(uow: UnitOfWork) -> str:
        made = refund(uow, patient_id=patient_id, amount=form.get("refund_amount", ""),
                      method=form.get("refund_method", ""), reason=form.get("reason", ""),
                      reference=form.get("refund_reference", ""),
                      last4=form.get("refund_last4", ""), on=today(request))  # fmt: skip
        return f"/payments/{made}?done=refunded"

    return _act(request, user, patient_id, form, give)


@router.post("/patients/{patient_id:int}/apply-credit", include_in_schema=False)
async def apply_credit_page(request: Request, patient_id: int, user: Clerk) -> Response:
    form = await _form(request)

    def apply(uow: UnitOfWork) -> str:
        done = apply_credit(uow, patient_id, on=today(request))
        return f"/patients/{patient_id}/payments?done={'applied' if done else 'nothing'}"

    return _act(request, user, patient_id, form, apply)


@router.post("/patients/{patient_id:int}/write-offs", include_in_schema=False)
async def ask_write_off_page(request: Request, patient_id: int, user: Clerk) -> Response:
    form = await _form(request)

    def ask(uow: UnitOfWork) -> str:
        ask_write_off(uow, patient_id=patient_id, kind=form.get("kind", ""),
                      amount=form.get("write_off_amount", ""),
                      reason=form.get("write_off_reason", ""))  # fmt: skip
        return f"/patients/{patient_id}/payments?done=asked"

    return _act(request, user, patient_id, form, ask)


@router.post("/write-offs/{write_off_id:int}/decide", include_in_schema=False)
async def decide_page(request: Request, write_off_id: int, user: Approver) -> Response:
    form = await _form(request)
    approve = form.get("decision") == "approve"
    try:
        with _uow(request, user) as uow:
            done = decide_write_off(uow, write_off_id, approve=approve,
                                    note=form.get("note", ""), on=today(request))  # fmt: skip
    except NotFound as exc:
        raise HTTPException(404, "no such write-off in this clinic") from exc
    except OtbillError as exc:
        return _write_offs_page(request, user, 422, str(exc))
    return RedirectResponse(f"/payments/write-offs?done={done.status}", status_code=303)


def _write_offs_page(
    request: Request, user: SessionUser, status: int = 200, error: str = ""
) -> HTMLResponse:
    with _uow(request, user) as uow:
        pending = pending_write_offs(uow)
        names = uow.payments.names({w.patient_id for w in pending})
        people = uow.users.full_names({w.asked_by for w in pending if w.asked_by is not None})
    context = {"pending": pending, "names": names, "people": people, "error": error,
               "notice": _NOTICES.get(request.query_params.get("done", ""))}  # fmt: skip
    return render(request, "payments/write_offs.html", context, status_code=status)


@router.get("/payments/write-offs", include_in_schema=False)
def write_offs_page(
    request: Request,
    user: Annotated[SessionUser, Depends(require_roles("approver", "biller", "auditor"))],
) -> HTMLResponse:
    return _write_offs_page(request, user)


@router.get("/payments/{payment_id:int}", include_in_schema=False)
def receipt_page(request: Request, payment_id: int, user: Reader) -> HTMLResponse:
    try:
        with _uow(request, user) as uow:
            receipt = receipt_of(uow, payment_id)
            patient_id = uow.payments.get(payment_id).patient_id
    except NotFound as exc:
        raise HTTPException(404, "no such payment in this clinic") from exc
    context = {"r": receipt, "patient_id": patient_id,
               "notice": _NOTICES.get(request.query_params.get("done", ""))}  # fmt: skip
    return render(request, "payments/receipt.html", context)


def _pdf(content: bytes, name: str) -> Response:
    headers = {"Content-Disposition": f'inline; filename="{name}"', "Cache-Control": "no-store"}
    return Response(content, media_type="application/pdf", headers=headers)


@router.get("/payments/{payment_id:int}/receipt.pdf", include_in_schema=False)
def receipt_pdf_page(request: Request, payment_id: int, user: Reader) -> Response:
    try:
        with _uow(request, user) as uow:
            content = receipt_pdf(uow, payment_id)
    except NotFound as exc:
        raise HTTPException(404, "no such payment in this clinic") from exc
    return _pdf(content, f"receipt-{payment_id}.pdf")


@router.get("/payments/credits", include_in_schema=False)
def credits_page(request: Request, user: Reader) -> HTMLResponse:
    with _uow(request, user) as uow:
        rows = credit_queue(uow)
    return render(request, "payments/credits.html", {"rows": rows})


@router.get("/payments", include_in_schema=False)
def deposit_page(request: Request, user: Reader, day: str = "") -> HTMLResponse:
    shown = _day(day, today(request))
    with _uow(request, user) as uow:
        report = deposit_report(uow, shown)
    context = {"report": report, "d": report.deposit, "shown": shown,
               "previous": shown - dt.timedelta(days=1),
               "next": shown + dt.timedelta(days=1)}  # fmt: skip
    return render(request, "payments/deposit.html", context)


@router.get("/payments/deposit.pdf", include_in_schema=False)
def deposit_pdf(request: Request, user: Reader, day: str = "") -> Response:
    shown = _day(day, today(request))
    with _uow(request, user) as uow:
        report = deposit_report(uow, shown)
    content = render_deposit(report.clinic_name, report.deposit, report.problems)
    return _pdf(content, f"deposit-{shown.isoformat()}.pdf")
