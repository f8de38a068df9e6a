"""Eligibility runs: the list, "Check tomorrow's patients now", and one run's progress and results.

Starting a run chooses who to ask and keeps it (:func:`~otbill.services.exchange.
eligibility_batch.start_run`) in the request, then queues the job that asks the payers (kind
``eligibility.run``, :mod:`otbill.web.jobs`; never on the event loop) and redirects to the run's page. The page reads the run's counts from the
database, so its progress (polled by htmx, or refreshed without it) is right even from another
browser; when the server restarted mid-run the page says the run stopped and offers to finish
it, which asks only what has no answer yet. The payer is reached by the app's eligibility
transport (``app.state.eligibility_transport``), else the payer simulator, as the patient
page's "Check eligibility now".
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from otbill.domain.jobs import Job
from otbill.domain.record_errors import NotFound
from otbill.errors import OtbillError
from otbill.services.exchange.eligibility_batch import result_rows, start_run
from otbill.services.jobs import job_with_key
from otbill.services.jobs.eligibility import KIND
from otbill.web.app import render, today
from otbill.web.jobs import AppJobs, app_jobs
from otbill.web.security import SessionUser, require_roles

__all__ = ["router"]

log = logging.getLogger(__name__)
router = APIRouter()

Desk = Annotated[SessionUser, Depends(require_roles("front-desk", "biller"))]


def workers(state: Any) -> AppJobs:
    """The app's jobs (:mod:`otbill.web.jobs`); a run is asked by the job ``eligibility.run``."""
    return app_jobs(state)


def _run_job(request: Request, user: SessionUser, run_id: int) -> Job | None:
    """The run's job: the same one for the run's life (its key is the run's id)."""
    return job_with_key(request.app.state.db, user.clinic_id, KIND, f"run-{run_id}")


def _launch(request: Request, user: SessionUser, run_id: int) -> None:
    """Queue the run's job (again, when it failed): it asks only what has no answer yet."""
    arguments = {"run_id": run_id, "today": today(request).isoformat()}
    workers(request.app.state).queue(user.clinic_id, user.id, KIND, arguments, f"run-{run_id}")


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


FormData = Annotated[dict[str, str], Depends(_form)]


def _list(request: Request, user: SessionUser, status_code: int = 200, **extra: Any) -> Response:
    with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
        runs = uow.eligibility_runs.recent()
    tomorrow = today(request) + dt.timedelta(days=1)
    context = {"runs": runs, "tomorrow": tomorrow, "for_date": tomorrow.isoformat(), **extra}
    return render(request, "eligibility/runs.html", context, status_code=status_code)


@router.get("/eligibility/runs")
def runs_page(request: Request, user: Desk) -> Response:
    """The clinic's eligibility runs, newest first, and the form to start one."""
    return _list(request, user)


@router.post("/eligibility/runs")
def start(request: Request, user: Desk, form: FormData) -> Response:
    """Start (or resume) the run for the date and ask the payers in the background."""
    text = form.get("for_date", "").strip()
    kind = "plan-year" if form.get("plan_year") else "scheduled"
    try:
        for_date = dt.date.fromisoformat(text)
    except ValueError:
        error = f"Date of the visits {text!r}: a date such as {today(request) + dt.timedelta(1)}"
        return _list(request, user, 422, error=error, for_date=text)
    try:
        with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
            run_id = start_run(uow, for_date, kind, today=today(request))
    except OtbillError as error:
        return _list(request, user, 422, error=str(error), for_date=text)
    _launch(request, user, run_id)
    return RedirectResponse(f"/eligibility/runs/{run_id}", status_code=303)


def _run_context(request: Request, user: SessionUser, run_id: int) -> dict[str, Any]:
    try:
        with request.app.state.db.unit_of_work(user.clinic_id, user.id) as uow:
            run = uow.eligibility_runs.get(run_id)
            rows = result_rows(uow, run_id) if run.state == "finished" else []
    except NotFound as exc:
        raise HTTPException(404, "no such eligibility run in this clinic") from exc
    job = _run_job(request, user, run_id)
    working = job is not None and workers(request.app.state).active(job)
    percent = (
        100 if run.state == "finished" else int(100 * run.done / run.total) if run.total else 0
    )
    return {"run": run, "rows": rows, "working": working, "percent": percent,
            "error": job.error if job is not None and job.state == "failed" else None, "flagged": sum(r.flagged for r in rows)}  # fmt: skip


@router.get("/eligibility/runs/{run_id}")
def run_page(request: Request, user: Desk, run_id: int, part: str = "") -> Response:
    """One run: its progress while it runs (``part=progress``: what htmx polls), then results."""
    context = _run_context(request, user, run_id)
    template = "eligibility/_run.html" if part == "progress" else "eligibility/run.html"
    return render(request, template, context)


@router.post("/eligibility/runs/{run_id}/resume")
def resume(request: Request, user: Desk, run_id: int) -> Response:
    """Finish a run that stopped (a restart of the server): ask only what has no answer yet."""
    context = _run_context(request, user, run_id)
    if context["run"].state != "finished":
        _launch(request, user, run_id)
    return RedirectResponse(f"/eligibility/runs/{run_id}", status_code=303)
