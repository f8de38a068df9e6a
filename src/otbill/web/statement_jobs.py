""" "Run statements" on the statements page as a job (kind ``statements.run``), with progress.

Why: a run records and prints thousands of statements (tens of seconds); inside the request it
would hold the browser and a server thread. The page queues the run and answers at once with a
redirect to the job's page, which reads the job's row: the stage (recording, printing), how many
are done, and the run's summary with its files at the end. The key is the day and the minute: a
double click is one run; a run later the same day sends nothing twice anyway.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from otbill import clock
from otbill.services.billing.statements import RunSummary
from otbill.services.jobs.statements import KIND, summary_from_result
from otbill.web.jobs import JobView, KindJobs, app_jobs

__all__ = ["StatementJob", "StatementJobs", "statement_jobs"]


class StatementJob(JobView):
    """The job's bar runs over both stages; the page names the stage and its own count."""

    @property
    def stage(self) -> str:
        return self.job.note or "reading"

    @property
    def total(self) -> int:
        return self.job.total // 2

    @property
    def done(self) -> int:
        return self.job.done - (self.total if self.stage == "printing" else 0)

    @property
    def summary(self) -> RunSummary | None:
        return summary_from_result(self.job.result) if self.job.result else None


class StatementJobs(KindJobs[StatementJob]):
    kind = KIND
    view = StatementJob

    def start(self, clinic_id: int, user_id: int, on: dt.date, out_dir: Path) -> StatementJob:
        arguments = {"on": on.isoformat(), "out_dir": str(out_dir)}
        key = f"{on.isoformat()}@{clock.utcnow():%Y-%m-%dT%H:%M}"
        return self._queue(clinic_id, user_id, arguments, key)


def statement_jobs(state: Any) -> StatementJobs:
    """The app's :class:`StatementJobs` over its job queue."""
    return StatementJobs(app_jobs(state))
