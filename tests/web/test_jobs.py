"""The web's job plumbing: jobs run on a thread of the web process on SQLite, with the request's
context and the app's resources, and are found only by their own clinic and kind."""

from __future__ import annotations

import contextvars
from typing import Any

from otbill.services.jobs import RunningJob, job_kind
from otbill.storage import Database
from otbill.web.jobs import app_jobs
from support.demoflow import clinic_and_users

_DAY: contextvars.ContextVar[str] = contextvars.ContextVar("_DAY", default="unset")
SEES = "test.web_sees"


@job_kind(SEES, "test job")
def _sees(db: Database, job: RunningJob) -> dict[str, Any]:
    return {"day": _DAY.get(), "transport": job.context.get("claim_status_transport")}


def test_a_job_runs_here_with_the_requests_context_and_the_apps_resources(app) -> None:
    clinic, users = clinic_and_users(app)
    jobs = app_jobs(app.state)
    assert app_jobs(app.state) is jobs  # made once, kept on app.state
    app.state.claim_status_transport = "the app's line"
    _DAY.set("2026-03-02")
    job = jobs.queue(clinic, users["biller"], SEES, {}, "k")
    jobs.wait(30)
    done = jobs.get(str(job.id), clinic)
    assert done is not None and done.state == "done"
    assert done.result == {"day": "2026-03-02", "transport": "the app's line"}
    assert jobs.get(job.id, clinic, "remittances.post") is None  # another kind's page
    assert jobs.get(job.id, clinic + 1) is None  # another clinic
    assert jobs.get("nope", clinic) is None
