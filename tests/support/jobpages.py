"""Web tests of a button that queues a job: post it, let this process's jobs finish, read the
job's page (SQLite: the jobs run on a thread of the test's app)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from otbill.web.jobs import app_jobs

__all__ = ["finish_jobs", "job_page_after"]


def finish_jobs(app: Any, timeout: float = 120) -> None:
    """Wait for the jobs queued so far, then for the ones they queued (a fetch's postings)."""
    jobs = app_jobs(app.state)
    jobs.wait(timeout)
    jobs.wait(timeout)


def job_page_after(app: Any, client: TestClient, path: str, csrf: str) -> Any:
    """Post ``path`` (it answers 303 with its job's page), finish the jobs, read that page."""
    posted = client.post(path, data={"csrf_token": csrf}, follow_redirects=False)
    assert posted.status_code == 303, posted.text[:2000]
    finish_jobs(app)
    return client.get(posted.headers["location"])
