"""835 postings running in a worker thread, with their progress, for the upload's progress page.

Why: posting a large 835 takes seconds to minutes of blocking database work; run inside the async
upload handler it froze the whole server for every user. The upload checks the file (in the
thread pool), hands the posting to :class:`PostingJobs` and answers at once with a redirect to
the job's page, which shows how many claim payments are posted and then the result.

One worker: postings run one after another (on SQLite they would only take turns at the write
lock anyway); a second upload waits its turn and says so. Jobs live in this process's memory: a
restart forgets the page, not the postings (posting the same file again finishes a stopped one).
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
from otbill.services.remittances.post import CheckedFile, PostingReport, post_checked
from otbill.storage import Database

__all__ = ["PostingJob", "PostingJobs", "posting_jobs"]

log = logging.getLogger(__name__)

KEEP_SECONDS = 6 * 3600  # a finished job's page stays this long
_CREATE = threading.Lock()


@dataclass
class PostingJob:
    """One upload's posting: queued, running, done (``report``) or failed (``error``)."""

    id: str
    clinic_id: int
    user_id: int
    file: str
    total: int
    done: int = 0
    note: str = ""
    state: str = "queued"
    report: PostingReport | None = None
    error: str | None = None
    finished_at: float | None = field(default=None, repr=False)

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    @property
    def percent(self) -> int:
        return 100 if self.finished else int(100 * self.done / self.total) if self.total else 0

    def _progress(self, done: int, total: int, note: str) -> None:
        self.done, self.total, self.note = done, total, note


class PostingJobs:
    """The app's posting jobs (see the module docstring)."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="otbill-post")
        self._jobs: dict[str, PostingJob] = {}
        self._lock = threading.Lock()

    def start(
        self, db: Database, clinic_id: int, user_id: int, checked: CheckedFile, today: dt.date
    ) -> PostingJob:
        """Queue the posting of a checked file; returns its job at once."""
        job = PostingJob(
            secrets.token_urlsafe(12), clinic_id, user_id, checked.name, checked.claims
        )
        with self._lock:
            self._forget_old()
            self._jobs[job.id] = job
        # a worker thread does not inherit the request's context: it gets the run's day here
        run = contextvars.copy_context()
        self._pool.submit(run.run, self._run, job, db, checked, today)
        return job

    def get(self, job_id: str, clinic_id: int) -> PostingJob | None:
        """The job, when it is this clinic's."""
        job = self._jobs.get(job_id)
        return job if job is not None and job.clinic_id == clinic_id else None

    def wait(self, timeout: float) -> None:
        """Wait until every job queued so far has finished (tests, shutdown)."""
        self._pool.submit(lambda: None).result(timeout)

    def _run(self, job: PostingJob, db: Database, checked: CheckedFile, today: dt.date) -> None:
        job.state = "running"
        try:
            job.report = post_checked(
                db, job.clinic_id, job.user_id, checked, today=today, progress=job._progress
            )
            job.state = "done"
        except OtbillError as error:
            job.error, job.state = str(error), "failed"
        except Exception:  # a bug: keep the page honest, the log has the details
            log.exception("posting %s failed", job.file)
            job.error = (
                f"{job.file}: posting stopped on an unexpected error after {job.done} claim "
                "payment(s); what was posted is kept; post the same file again to finish"
            )
            job.state = "failed"
        finally:
            job.finished_at = time.monotonic()

    def _forget_old(self) -> None:
        now = time.monotonic()
        for key in [
            k
            for k, j in self._jobs.items()
            if j.finished_at is not None and now - j.finished_at > KEEP_SECONDS
        ]:
            del self._jobs[key]


def posting_jobs(state: Any) -> PostingJobs:
    """The app's :class:`PostingJobs` (``app.state.posting_jobs``), made on first use."""
    with _CREATE:
        jobs = getattr(state, "posting_jobs", None)
        if jobs is None:
            jobs = state.posting_jobs = PostingJobs()
        return jobs
