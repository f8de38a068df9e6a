"""Queue a job (once per key), run it, read it back.

Why the idempotency key: asking twice for the same work (a double click, the same 835 uploaded
again, a retry of the whole request) returns the job already queued or done, never a second one;
a FAILED job asked for again is queued again, since its kind finishes what the failed attempt
left. Running: :func:`run_job` marks the attempt, calls the kind's function and records its
result, or the error in words. An unexpected error on a non-final attempt is re-raised so the
queue (procrastinate) retries the job with backoff.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, Protocol

from otbill.domain.jobs import Job
from otbill.domain.record_errors import ConstraintViolation
from otbill.errors import OtbillError
from otbill.services.jobs.kinds import JobKind, RunningJob, kind_named
from otbill.storage import Database
from otbill.storage.job_locks import running_alone

__all__ = ["JobRunner", "job_of", "job_with_key", "newest_jobs", "queue_job", "run_job"]

log = logging.getLogger(__name__)


class JobRunner(Protocol):
    """Where queued jobs go: a thread of this process, or the PostgreSQL queue."""

    def submit(self, job: Job) -> None: ...

    def lost(self, job: Job) -> bool:
        """An unfinished job nobody will run (its process stopped): submit it again."""
        ...


def queue_job(
    db: Database,
    runner: JobRunner,
    clinic_id: int,
    actor_id: int | None,
    kind: str,
    arguments: dict[str, Any],
    key: str,
) -> Job:
    """The clinic's job of ``kind`` for ``key``: the one already there, else a new one, queued."""
    kind_named(kind)  # an unknown kind fails here, not in the worker
    with db.unit_of_work(clinic_id, actor_id) as uow:
        found = uow.jobs.by_key(kind, key)
        if found is not None and found.state != "failed" and not runner.lost(found):
            return found
        lost = found is not None and found.state != "failed"  # its process stopped: run it here
        if found is not None and not lost:
            uow.jobs.fail(found.id, found.error, final=False)  # queued again, its error kept
        job = None if found is None else uow.jobs.get(found.id)
    if job is None:
        try:
            with db.unit_of_work(clinic_id, actor_id) as uow:
                job = uow.jobs.add(kind, arguments, key, actor_id)
        except ConstraintViolation:  # another request queued the same key first: that one
            with db.unit_of_work(clinic_id, actor_id) as uow:
                same = uow.jobs.by_key(kind, key)
            assert same is not None
            return same
    return _hand_over(db, runner, job)


def _hand_over(db: Database, runner: JobRunner, job: Job) -> Job:
    """Give the job to its runner; when the queue cannot take it, the job fails in words (asking
    again queues it again) rather than waiting for ever."""
    try:
        runner.submit(job)
    except Exception as error:
        log.exception("job %s (%s) could not be queued", job.id, job.kind)
        words = (f"the job could not be handed to the job queue ({type(error).__name__}); "
                 "nothing was done; ask for it again")  # fmt: skip
        _record_failure(db, job, words, final=True)
        return job_of(db, job.clinic_id, job.id)
    return job


def job_of(db: Database, clinic_id: int, job_id: int) -> Job:
    """The clinic's job (``NotFound``: "job 7: not found in this clinic")."""
    with db.unit_of_work(clinic_id) as uow:
        return uow.jobs.get(job_id)


def job_with_key(db: Database, clinic_id: int, kind: str, key: str) -> Job | None:
    with db.unit_of_work(clinic_id) as uow:
        return uow.jobs.by_key(kind, key)


def newest_jobs(db: Database, clinic_id: int, limit: int = 100) -> list[Job]:
    with db.unit_of_work(clinic_id) as uow:
        return uow.jobs.newest(limit)


def _stopped(kind: JobKind, job: Job, *, final: bool) -> str:
    done = f" after {job.done} of {job.total}" if job.total else ""
    then = "run it again to finish" if final else "it will be tried again shortly"
    return f"the {kind.title} stopped on an unexpected error{done}; what was done is kept; {then}"


def run_job(
    db: Database,
    clinic_id: int,
    job_id: int,
    context: Mapping[str, Any],
    *,
    final: bool = True,
) -> Job:
    """Run one attempt of the job; returns the job as it ended (or as it waits for a retry).

    An attempt of the same job still running elsewhere (the stalled-job sweep took a slow worker
    for a dead one) is waited for first (:func:`running_alone`): once it is done, this one finds
    the job done and does nothing, so a job never runs twice at once nor overwrites its result."""
    with running_alone(db, job_id):
        return _attempt(db, clinic_id, job_id, context, final=final)


def _attempt(
    db: Database, clinic_id: int, job_id: int, context: Mapping[str, Any], *, final: bool
) -> Job:
    with db.unit_of_work(clinic_id) as uow:
        if uow.jobs.get(job_id).state == "done":  # delivered twice: already done
            return uow.jobs.get(job_id)
        job = uow.jobs.start(job_id)
    kind = kind_named(job.kind)
    try:
        result = kind.run(db, RunningJob(job, db, context))
        with db.unit_of_work(clinic_id) as uow:
            uow.jobs.finish(job_id, result)
    except OtbillError as error:  # bad data or configuration, in words: no retry helps
        _record_failure(db, job, str(error), final=True)
    except Exception:
        log.exception("job %s (%s) attempt %s failed", job.id, job.kind, job.attempts)
        latest = job_of(db, clinic_id, job_id)
        _record_failure(db, job, _stopped(kind, latest, final=final), final=final)
        if not final:
            raise
    return job_of(db, clinic_id, job_id)


def _record_failure(db: Database, job: Job, error: str, *, final: bool) -> None:
    with db.unit_of_work(job.clinic_id) as uow:
        uow.jobs.fail(job.id, error, final=final)
