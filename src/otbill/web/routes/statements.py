"""Patient statements: the due list with aging totals, "Run statements" as a background job with
its progress, each statement's PDF, a batch's combined PDF and mailing CSV, and a patient's hold.

Billers and the front desk. The run writes its files under the data folder
(``OTBILL_DATA_DIR/statements/<clinic id>``); each statement's PDF is printed again from the
statement as recorded, so it reads as it was sent.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from otbill.domain.record_errors import NotFound
from otbill.errors import OtbillError
from otbill.services.billing import statements
from otbill.web.app import render, today
from otbill.web.security import SessionUser, require_roles
from otbill.web.statement_jobs import statement_jobs

__all__ = ["router"]

router = APIRouter()
Desk = Annotated[SessionUser, Depends(require_roles("front-desk", "biller"))]
_BATCH = re.compile(r"\d{4}-\d{2}-\d{2}-\d{1,4}")


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


FormData = Annotated[dict[str, str], Depends(_form)]


def _out_dir(request: Request, user: SessionUser) -> Path:
    return Path(request.app.state.settings.data_dir) / "statements" / str(user.clinic_id)


def _day(text: str, fallback: dt.date) -> dt.date | None:
    if not text:
        return fallback
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def _page(
    request: Request, user: SessionUser, on: dt.date, status: int = 200, **extra: Any
) -> Response:
    with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
        listed = statements.due_list(uow, on)
        sent = statements.recent(uow, 100)
    context = {"listed": listed, "on": on, "sent": sent, "error": None, **extra}
    return render(request, "statements/statements.html", context, status_code=status)


@router.get("/statements")
def statements_page(request: Request, user: Desk, date: str = "") -> Response:
    """Who is due a statement on the date (today unless asked), aged, and the statements sent."""
    on = _day(date, today(request))
    if on is None:
        return _page(request, user, today(request), 422,
                     error=f"Statement date {date!r}: a date such as {today(request)}")  # fmt: skip
    return _page(request, user, on)


@router.post("/statements/run")
def run(request: Request, user: Desk, form: FormData) -> Response:
    """Start the statement run for the date in the background; its page shows the progress."""
    on = _day(form.get("date", ""), today(request))
    if on is None:
        return _page(request, user, today(request), 422,
                     error=f"Statement date {form.get('date')!r}: a date such as {today(request)}")  # fmt: skip
    job = statement_jobs(request.app.state).start(user.clinic_id, user.id, on,
                                                  _out_dir(request, user))  # fmt: skip
    return RedirectResponse(f"/statements/jobs/{job.id}", status_code=303)


@router.get("/statements/jobs/{job_id}")
def job_page(request: Request, user: Desk, job_id: str, part: str = "") -> Response:
    """A run's progress (``part=progress``: what htmx polls), then its summary and files."""
    job = statement_jobs(request.app.state).get(job_id, user.clinic_id)
    if job is None:
        raise HTTPException(404, f"no statement run {job_id} in this clinic")
    template = "statements/_job.html" if part == "progress" else "statements/job.html"
    return render(request, template, {"job": job})


@router.get("/statements/{statement_id}.pdf")
def statement_pdf(request: Request, user: Desk, statement_id: int) -> Response:
    """One statement as sent."""
    try:
        with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
            name, body = statements.statement_pdf(uow, statement_id)
    except NotFound as exc:
        raise HTTPException(404, "no such statement in this clinic") from exc
    return Response(body, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}"'})  # fmt: skip


@router.get("/statements/batches/{batch}.{kind}")
def batch_file(request: Request, user: Desk, batch: str, kind: str) -> Response:
    """A run's combined PDF or mailing CSV."""
    if not _BATCH.fullmatch(batch) or kind not in ("pdf", "csv"):
        raise HTTPException(404, "no such statement batch")
    name = f"statements-{batch}.pdf" if kind == "pdf" else f"mailing-{batch}.csv"
    path = _out_dir(request, user) / name
    if not path.is_file():
        raise HTTPException(404, f"statement batch {batch}: its {kind.upper()} file is not here")
    media = "application/pdf" if kind == "pdf" else "text/csv"
    return FileResponse(path, media_type=media, filename=name)


def _patient(request: Request, user: SessionUser, patient_id: int, status: int = 200,
             **extra: Any) -> Response:  # fmt: skip
    try:
        with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
            patient = uow.patients.get(patient_id)
            hold = statements.hold_of(uow, patient_id)
            sent = statements.sent_to_patient(uow, patient_id)
    except NotFound as exc:
        raise HTTPException(404, "no such patient in this clinic") from exc
    context = {"patient": patient, "hold": hold, "sent": sent, "error": None, **extra}
    template = "statements/_flag.html" if extra.pop("flag", False) else "statements/patient.html"
    return render(request, template, context, status_code=status)


@router.get("/patients/{patient_id}/statements")
def patient_statements(request: Request, user: Desk, patient_id: int, part: str = "") -> Response:
    """The patient's statements sent and their do-not-send flag (``part=flag``: the line the
    patient page loads)."""
    return _patient(request, user, patient_id, flag=part == "flag")


@router.post("/patients/{patient_id}/statements/hold")
def set_hold(request: Request, user: Desk, patient_id: int, form: FormData) -> Response:
    """Hold (with a reason) or lift the patient's statements."""
    try:
        with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
            if form.get("action") == "lift":
                statements.lift_hold(uow, patient_id)
            else:
                statements.hold(uow, patient_id, reason=form.get("reason", ""),
                                whole_guarantor=form.get("scope") == "guarantor")  # fmt: skip
    except NotFound as exc:
        raise HTTPException(404, "no such patient in this clinic") from exc
    except OtbillError as exc:
        return _patient(request, user, patient_id, 422, error=str(exc))
    return RedirectResponse(f"/patients/{patient_id}/statements", status_code=303)
