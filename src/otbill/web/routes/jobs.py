"""The clinic's jobs (``/jobs``): newest first, each with its state, a progress bar that htmx
refreshes while any job runs, the error in words and a link to the job's own page; and
``GET /api/jobs/{id}`` for scripts.

A job's arguments are never shown: an 835's text names patients. Its result is, on the job's own
page (and in the API), where the kind that made it knows how to say it.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from pydantic import BaseModel

from otbill.domain.jobs import Job
from otbill.errors import OtbillError
from otbill.services.jobs import QueueRunner, kind_named, newest_jobs
from otbill.services.jobs.health import NoWorker, clinic_without_worker
from otbill.web.app import render
from otbill.web.jobs import app_jobs
from otbill.web.routes.api import api_user
from otbill.web.security import SessionUser, require_roles

__all__ = ["job_page", "no_worker", "router"]

router = APIRouter()
ROLES = ("front-desk", "biller", "auditor", "admin")
Staff = Annotated[SessionUser, Depends(require_roles(*ROLES))]
ApiStaff = Annotated[SessionUser, Depends(api_user(*ROLES))]

# each kind's own page, where its result is shown in full
_PAGES = {
    "remittances.post": "/remittances/jobs/{id}",
    "statements.run": "/statements/jobs/{id}",
    "claims.ask_status": "/claims/follow-up/jobs/{id}",
    "exchange.submit": "/queues/submit/jobs/{id}",
    "exchange.fetch": "/remittances/fetch/jobs/{id}",
    "claims.build": "/queues/build/jobs/{id}",
    "eligibility.run": "/eligibility/runs/{run_id}",
    "reports.owner_pdf": "/reports/owner/pdf/{id}",
}


def job_page(job: Job) -> str | None:
    """The address of the job's own page, when its kind has one."""
    page = _PAGES.get(job.kind)
    return None if page is None else page.format(id=job.id, **job.arguments)


def title_of(job: Job) -> str:
    try:
        return kind_named(job.kind).title
    except OtbillError:  # a kind this version no longer knows
        return job.kind


def no_worker(request: Request, clinic_id: int) -> NoWorker | None:
    """The clinic's jobs wait and no worker runs (PostgreSQL, jobs run by workers): the banner
    ``jobs/_no_worker.html`` shows it (the jobs page, the dashboards). Not when this process
    runs its jobs itself (SQLite, ``OTBILL_JOBS_IN_PROCESS=1``)."""
    if not isinstance(app_jobs(request.app.state).runner, QueueRunner):
        return None
    minutes = request.app.state.settings.worker_silent_minutes
    return clinic_without_worker(request.app.state.db, clinic_id, minutes)


@router.get("/jobs")
def jobs_page(request: Request, user: Staff, part: str = "") -> Response:
    """The clinic's jobs, newest first (``part=list``: the part htmx polls), and a banner when
    they wait for a worker nobody runs."""
    jobs = newest_jobs(request.app.state.db, user.clinic_id)
    rows = [{"job": j, "title": title_of(j), "page": job_page(j)} for j in jobs]
    running = any(not j.finished for j in jobs)
    template = "jobs/_list.html" if part == "list" else "jobs/index.html"
    context = {"rows": rows, "running": running, "no_worker": no_worker(request, user.clinic_id)}
    return render(request, template, context)


class JobOut(BaseModel):
    id: int
    kind: str
    title: str
    state: str
    done: int
    total: int
    percent: int
    note: str
    error: str
    attempts: int
    result: dict[str, Any] | None
    page: str | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


@router.get("/api/jobs/{job_id}", response_model=JobOut, tags=["jobs"], summary="One job")
def job_api(request: Request, user: ApiStaff, job_id: int) -> JobOut:
    """A job of the user's clinic: its state, progress, error in words and result."""
    job = app_jobs(request.app.state).get(job_id, user.clinic_id)
    if job is None:
        raise HTTPException(404, f"job {job_id}: not found in this clinic")
    return JobOut(id=job.id, kind=job.kind, title=title_of(job), state=job.state, done=job.done,
                  total=job.total, percent=job.percent, note=job.note, error=job.error,
                  attempts=job.attempts, result=job.result, page=job_page(job),
                  created_at=job.created_at, started_at=job.started_at,
                  finished_at=job.finished_at)  # fmt: skip
