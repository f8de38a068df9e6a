"""The underpayment queue and the variance by payer: lines an 835 paid below the expected amount
(Medicare PFS or the contracted rate) by more than a tolerance, by payer and code, with the
evidence for each line; the same as CSV (``/underpayments.csv``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from otbill.errors import OtbillError
from otbill.services.money.expected import DEFAULT_TOLERANCE
from otbill.services.money.reports import ExpectedReport, expected_report, queue_csv, recent_window
from otbill.web.app import render, today
from otbill.web.security import SessionUser, require_roles

router = APIRouter()

Reader = Annotated[SessionUser, Depends(require_roles("biller", "auditor"))]


def _date(text: str | None, name: str, errors: list[str]) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        errors.append(f"{name} {text!r} is not a date (YYYY-MM-DD)")
        return None


def _report(request: Request, user: SessionUser) -> tuple[ExpectedReport | None, list[str]]:
    q = request.query_params
    errors: list[str] = []
    first, end = recent_window(today(request))
    first = _date(q.get("from"), "From", errors) or first
    last = _date(q.get("to"), "To", errors)
    end = last + dt.timedelta(days=1) if last else end
    tolerance = DEFAULT_TOLERANCE
    if q.get("tolerance"):
        try:
            tolerance = Decimal(q["tolerance"].strip().lstrip("$"))
        except InvalidOperation:
            errors.append(f"Tolerance {q['tolerance']!r} is not an amount in dollars")
    if end <= first:
        errors.append("The last date of service is before the first")
    if errors:
        return None, errors
    dirs = [request.app.state.settings.refdata_dir]
    try:
        with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
            return expected_report(uow, dirs, first, end, tolerance), []
    except OtbillError as error:
        return None, [str(error)]


@router.get("/underpayments")
def underpayments(request: Request, user: Reader) -> Response:
    report, errors = _report(request, user)
    q = request.query_params
    context = {
        "report": report,
        "errors": errors,
        "query": "&".join(f"{k}={q[k]}" for k in ("from", "to", "tolerance") if q.get(k)),
        "form": {k: q.get(k, "") for k in ("from", "to", "tolerance")},
    }
    return render(request, "money/underpayments.html", context, status_code=422 if errors else 200)


@router.get("/underpayments.csv")
def underpayments_csv(request: Request, user: Reader) -> Response:
    report, errors = _report(request, user)
    if report is None:
        return Response("; ".join(errors) + "\n", status_code=422, media_type="text/plain")
    return Response(
        queue_csv(report.queue),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="underpayments.csv"'},
    )
