""" "Build the PDF" on the owner's reports page: every table as one PDF, in a worker thread.

Why: at a million claim lines the whole set takes tens of seconds (docs/performance.md); inside
the request it would hold the browser and a server thread. The page queues an
:class:`OwnerPdfJob` and answers at once with a redirect to the job's page, which shows which
family is being summed, then the download. The building itself is a service function taking a
progress callback (:func:`otbill.services.views.owner.build_owner_pdf`), so the job can move onto
the shared job queue as it is.

One worker: builds go one after another. Jobs and their PDFs live in this process's memory for
:data:`KEEP_SECONDS` (the newest :data:`KEEP_PDFS` PDFs), then the page says to build again.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import logging
import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from otbill.errors import OtbillError
from otbill.services.views.owner import build_owner_pdf
from otbill.storage import Database
from otbill.web.jobs import on_app_state

__all__ = ["KEEP_PDFS", "KEEP_SECONDS", "OwnerPdfJob", "OwnerPdfJobs", "owner_pdf_jobs"]

log = logging.getLogger(__name__)
KEEP_SECONDS = 6 * 3600
KEEP_PDFS = 20  # a PDF is some hundred kilobytes: the newest stay in memory


@dataclass
class OwnerPdfJob:
    id: str
    clinic_id: int
    user_id: int
    on: dt.date
    state: str = "queued"  # queued, running, done, failed
    step: str = ""
    done: int = 0
    total: int = 0
    content: bytes | None = field(default=None, repr=False)
    error: str | None = None
    finished_at: float | None = field(default=None, repr=False)

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        return 100 * self.done // self.total if self.total else 0


class OwnerPdfJobs:
    """The app's PDF builds (see the module docstring)."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="otbill-owner-pdf")
        self._jobs: dict[str, OwnerPdfJob] = {}
        self._lock = threading.Lock()

    def start(self, db: Database, clinic_id: int, user_id: int, on: dt.date) -> OwnerPdfJob:
        job = OwnerPdfJob(secrets.token_urlsafe(12), clinic_id, user_id, on)
        with self._lock:
            self._forget_old()
            self._jobs[job.id] = job
        run = contextvars.copy_context()  # the request's day, as the page saw it
        self._pool.submit(run.run, self._run, job, db)
        return job

    def get(self, job_id: str, clinic_id: int) -> OwnerPdfJob | None:
        """The job, when it is this clinic's."""
        job = self._jobs.get(job_id)
        return job if job is not None and job.clinic_id == clinic_id else None

    def wait(self, timeout: float) -> None:
        """Wait until every build queued so far has finished (tests, shutdown)."""
        self._pool.submit(lambda: None).result(timeout)

    def _run(self, job: OwnerPdfJob, db: Database) -> None:
        job.state = "running"

        def progress(done: int, total: int, step: str) -> None:
            job.done, job.total, job.step = done, total, step

        try:
            job.content = build_owner_pdf(db, job.clinic_id, job.user_id, job.on, progress)
            job.state = "done"
        except OtbillError as error:
            job.error, job.state = str(error), "failed"
        except Exception:  # a bug: keep the page honest, the log has the details
            log.exception("the owner's PDF of %s failed", job.on)
            job.error = "the PDF stopped on an unexpected error; build it again"
            job.state = "failed"
        finally:
            job.finished_at = time.monotonic()

    def _forget_old(self) -> None:
        now = time.monotonic()
        finished = sorted(
            (j for j in self._jobs.values() if j.finished_at is not None),
            key=lambda j: j.finished_at or 0.0,
        )
        for n, job in enumerate(reversed(finished)):
            if n >= KEEP_PDFS or now - (job.finished_at or now) > KEEP_SECONDS:
                del self._jobs[job.id]


def owner_pdf_jobs(state: Any) -> OwnerPdfJobs:
    """The app's :class:`OwnerPdfJobs` (``app.state.owner_pdf_jobs``), made on first use."""
    return on_app_state(state, "owner_pdf_jobs", OwnerPdfJobs)
