""" "Run statements" on the statements page: the run in a worker thread, with its progress.

Why: a run records and prints thousands of statements (tens of seconds); inside the request it
would hold the browser and a server thread. The page starts a :class:`StatementJob` and answers at
once with a redirect to the job's page, which shows the stage (recording, printing), how many are
done, and the run's summary with its files at the end (as :mod:`otbill.web.claim_status_jobs`).

One worker: runs go one after another. Jobs live in this process's memory: a restart forgets the
page, not the statements (each chunk is recorded as it is done; running again the same day sends
nothing twice and writes the files a stopped run left unwritten).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from otbill.errors import OtbillError
from otbill.services.billing.statements import RunSummary, run_statements
from otbill.storage import Database
from otbill.web.jobs import Jobs, new_job_id, on_app_state

__all__ = ["StatementJob", "StatementJobs", "statement_jobs"]

log = logging.getLogger(__name__)


@dataclass
class StatementJob:
    id: str
    clinic_id: int
    user_id: int
    on: dt.date
    state: str = "queued"  # queued, running, done, failed
    stage: str = "reading"
    done: int = 0
    total: int = 0
    summary: RunSummary | None = None
    error: str | None = None
    finished_at: float | None = field(default=None, repr=False)

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        if not self.total:
            return 0
        # recording is the first half of the bar, printing the second
        half = 50 * self.done // self.total
        return half if self.stage == "recording" else 50 + half


class StatementJobs(Jobs[StatementJob]):
    """The app's statement runs (see the module docstring and :mod:`otbill.web.jobs`)."""

    def __init__(self) -> None:
        super().__init__("otbill-statements")

    def start(
        self, db: Database, clinic_id: int, user_id: int, on: dt.date, out_dir: Path
    ) -> StatementJob:
        job = StatementJob(new_job_id(), clinic_id, user_id, on)
        return self.queue(job, self._run, job, db, out_dir)

    def _run(self, job: StatementJob, db: Database, out_dir: Path) -> None:
        job.state = "running"

        def progress(stage: str, done: int, total: int) -> None:
            job.stage, job.done, job.total = stage, done, total

        try:
            job.summary = run_statements(db, job.clinic_id, job.user_id, job.on, out_dir=out_dir,
                                         progress=progress)  # fmt: skip
            job.state = "done"
        except OtbillError as error:
            job.error, job.state = str(error), "failed"
        except Exception:  # a bug: keep the page honest, the log has the details
            log.exception("statement run for %s failed", job.on)
            job.error = ("the run stopped on an unexpected error; the statements recorded so far "
                         "are kept; run again to finish (nothing is sent twice)")  # fmt: skip
            job.state = "failed"
        finally:
            job.finished_at = time.monotonic()


def statement_jobs(state: Any) -> StatementJobs:
    """The app's :class:`StatementJobs` (``app.state.statement_jobs``), made on first use."""
    return on_app_state(state, "statement_jobs", StatementJobs)
