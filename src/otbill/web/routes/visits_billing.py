"""Billing visits: build claims from every visit not billed yet, as a job with its own page.

The button lives in ``remittances/_build_claims.html`` (included on the remittances page and meant
for the queues page). It queues a ``claims.build`` job (:mod:`otbill.web.build_jobs`) and answers
at once with a redirect to the job's page: "building" while it runs, then how many claims are
ready and held, in words. Claims are built and scrubbed with the run day's scrub context; each
lands in the ready or held queue.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from otbill.web.app import render, today
from otbill.web.build_jobs import build_jobs
from otbill.web.security import SessionUser, require_roles

router = APIRouter()

Biller = Annotated[SessionUser, Depends(require_roles("biller"))]


@router.post("/queues/build-claims")
def build(request: Request, user: Biller) -> Response:
    """Queue building claims for the unbilled visits; the job's page shows how it went."""
    job = build_jobs(request.app.state).start(user.clinic_id, user.id, today(request))
    return RedirectResponse(f"/queues/build/jobs/{job.id}", status_code=303)


@router.get("/queues/build/jobs/{job_id}")
def build_job(request: Request, user: Biller, job_id: str, part: str = "") -> Response:
    """The build's progress page (``part=progress``: the part htmx polls), then its summary."""
    job = build_jobs(request.app.state).get(job_id, user.clinic_id)
    if job is None:
        raise HTTPException(404, f"no claim build {job_id} in this clinic")
    template = "billing/_build_job.html" if part == "progress" else "billing/build_job.html"
    return render(request, template, {"job": job})
