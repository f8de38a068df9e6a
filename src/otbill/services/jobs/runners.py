"""The two ways a queued job runs: a thread of this process (SQLite) or the PostgreSQL queue.

Why both: on SQLite, ``make run`` stays one command: the web process runs its jobs on one thread
(one writer at a time is all SQLite takes anyway). On PostgreSQL the job is deferred to
procrastinate and any ``otbill worker`` takes it; the web process only writes the job record.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from otbill.domain.jobs import Job
from otbill.services.jobs.queue import JobRunner, run_job
from otbill.storage import Database

__all__ = ["QueueRunner", "ThreadRunner", "runner_for"]

log = logging.getLogger(__name__)


class ThreadRunner:
    """Runs jobs one after another on a thread of this process."""

    def __init__(self, db: Database, context: Mapping[str, Any]) -> None:
        self.db, self.context = db, context
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="otbill-job")
        self._mine: set[int] = set()  # the jobs given to this process since it started

    def submit(self, job: Job) -> None:
        # a worker thread does not inherit the request's context (the run's "as of" day): copy it
        self._mine.add(job.id)
        run = contextvars.copy_context()
        self._pool.submit(run.run, self._run, job)

    def _run(self, job: Job) -> None:
        try:
            run_job(self.db, job.clinic_id, job.id, self.context)
        except Exception:  # the job's row says it stopped; the log has the details
            log.exception("job %s (%s) could not be run", job.id, job.kind)

    def lost(self, job: Job) -> bool:
        """Unfinished and not given to this process: the process that had it stopped (on
        SQLite there is one web process, so nobody else runs it)."""
        return not job.finished and job.id not in self._mine

    def wait(self, timeout: float) -> None:
        """Wait until every job submitted so far has finished (tests, shutdown)."""
        self._pool.submit(lambda: None).result(timeout)


class QueueRunner:
    """Defers each job to procrastinate; an ``otbill worker`` runs it."""

    def __init__(self, db: Database) -> None:
        from otbill.services.jobs.worker import defer

        self.db = db
        self._defer = defer

    def submit(self, job: Job) -> None:
        self._defer(self.db, job)

    def lost(self, job: Job) -> bool:
        """Never: a dead worker's jobs are found by the other workers (stalled-job sweep)."""
        return False

    def wait(self, timeout: float) -> None:
        """Nothing to wait for here: the workers run the jobs."""


def runner_for(db: Database, context: Mapping[str, Any], *, in_process: bool = False) -> JobRunner:
    """The PostgreSQL queue for a PostgreSQL database, else (or when asked) a thread here."""
    if db.backend == "postgresql" and not in_process:
        return QueueRunner(db)
    return ThreadRunner(db, context)
