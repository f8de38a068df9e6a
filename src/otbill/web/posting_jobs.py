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

import datetime as dt
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from otbill.errors import OtbillError
from otbill.services.remittances.post import CheckedFile, PostingReport, post_checked
from otbill.storage import Database
from otbill.web.jobs import Jobs, new_job_id, on_app_state

__all__ = ["PostingJob", "PostingJobs", "posting_jobs"]

log = logging.getLogger(__name__)


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


class PostingJobs(Jobs[PostingJob]):
    """The app's posting jobs (see the module docstring and :mod:`otbill.web.jobs`)."""

    def __init__(self) -> None:
        super().__init__("otbill-post")

    def start(
        self, db: Database, clinic_id: int, user_id: int, checked: CheckedFile, today: dt.date
    ) -> PostingJob:
        """Queue the posting of a checked file; returns its job at once."""
        job = PostingJob(new_job_id(), clinic_id, user_id, checked.name, checked.claims)
        return self.queue(job, self._run, job, db, checked, today)

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


def posting_jobs(state: Any) -> PostingJobs:
    """The app's :class:`PostingJobs` (``app.state.posting_jobs``), made on first use."""
    return on_app_state(state, "posting_jobs", PostingJobs)
