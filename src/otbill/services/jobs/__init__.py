"""Jobs: long work queued by a user and run away from the request (issue 15).

``queue_job`` records a job once per idempotency key and hands it to a runner: a thread of this
process on SQLite, the PostgreSQL queue (procrastinate, run by ``otbill worker``) otherwise.
Each kind is a function ``run(db, job) -> result`` registered by name (:mod:`.kinds`,
:mod:`.catalog`); every kind is idempotent.
"""

from __future__ import annotations

from otbill.services.jobs.kinds import JobKind, RunningJob, job_kind, kind_named, known_kinds
from otbill.services.jobs.queue import (
    JobRunner,
    job_of,
    job_with_key,
    newest_jobs,
    queue_job,
    run_job,
)
from otbill.services.jobs.runners import QueueRunner, ThreadRunner, runner_for

__all__ = [
    "JobKind",
    "JobRunner",
    "QueueRunner",
    "RunningJob",
    "ThreadRunner",
    "job_kind",
    "job_of",
    "job_with_key",
    "kind_named",
    "known_kinds",
    "newest_jobs",
    "queue_job",
    "run_job",
    "runner_for",
]
