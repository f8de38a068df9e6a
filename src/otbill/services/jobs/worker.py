"""The PostgreSQL job queue: procrastinate carries each job's id; ``otbill worker`` runs them.

Why procrastinate: it is a queue inside the PostgreSQL we already run (no broker to operate),
with locking (``FOR UPDATE SKIP LOCKED``), retries and worker heartbeats. Its task carries only
the job's id and clinic; the job's arguments, progress and result stay in otbill's ``job`` table.

Retries: an unexpected error is retried with exponential backoff (:data:`RETRY`). A worker killed
with SIGKILL leaves its job ``doing`` with no heartbeat; every worker sweeps such stalled jobs
every few seconds and puts them back in the queue (procrastinate's stalled-jobs support), so
another worker finishes them; the job kinds are idempotent, so the result is the same. A worker
only late with its heartbeat (a loaded machine) still holds its job's lock
(:mod:`otbill.storage.job_locks`): its job is left to it, and should it be taken anyway, the
second attempt waits for the first and then finds the job done.

Every worker also removes, once an hour, the owner's PDF files past their retention
(:mod:`otbill.services.jobs.report_retention`); two workers sweeping at once remove nothing twice.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Mapping
from typing import Any

from procrastinate import App, JobContext, PsycopgConnector, RetryStrategy

from otbill.domain.jobs import Job
from otbill.services.jobs.queue import run_job
from otbill.services.jobs.report_retention import sweep_reports
from otbill.storage import Database
from otbill.storage.job_locks import job_running
from otbill.storage.queue_connection import libpq_address

__all__ = [
    "MAX_ATTEMPTS",
    "REPORT_SWEEP_EVERY",
    "RETRY",
    "TASK",
    "defer",
    "queue_app",
    "run_worker",
]

log = logging.getLogger(__name__)

TASK = "otbill.run_job"
MAX_ATTEMPTS = 5
RETRY = RetryStrategy(max_attempts=MAX_ATTEMPTS, wait=1, exponential_wait=2)
REPORT_SWEEP_EVERY = 3600.0  # seconds between two sweeps of the owner's PDF files


def queue_app(db: Database, context: Mapping[str, Any] | None = None) -> App:
    """A procrastinate app on ``db``'s PostgreSQL; with ``context`` it can also run jobs."""
    app = App(connector=PsycopgConnector(conninfo=libpq_address(db)))

    @app.task(name=TASK, retry=RETRY, pass_context=True)
    def run(job_context: JobContext, job_id: int, clinic_id: int) -> None:
        attempt = job_context.job.attempts + 1
        run_job(db, clinic_id, job_id, context or {}, final=attempt >= MAX_ATTEMPTS)

    return app


@functools.cache
def _deferring_app(db: Database) -> App:
    return queue_app(db).open()


def defer(db: Database, job: Job) -> None:
    """Put ``job`` in the PostgreSQL queue (one procrastinate job carrying its id)."""
    _deferring_app(db).configure_task(TASK).defer(job_id=job.id, clinic_id=job.clinic_id)


def _still_running(db: Database, task_kwargs: Mapping[str, Any]) -> bool:
    """Whether a live worker still runs this otbill job (it holds the job's lock): a heartbeat
    late on a loaded machine is not a dead worker."""
    job_id = task_kwargs.get("job_id")
    return isinstance(job_id, int) and job_running(db, job_id)


async def _sweep_stalled(app: App, db: Database, stalled_after: float) -> None:
    """Put back in the queue the jobs of workers silent for ``stalled_after`` seconds, unless
    the worker, only slow, still holds the job (:func:`job_running`)."""
    while True:
        await asyncio.sleep(max(1.0, stalled_after / 3))
        try:
            stalled = await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after)
            for job in stalled:
                if await asyncio.to_thread(_still_running, db, job.task_kwargs):
                    log.info("job %s: its worker is slow, not stopped; left to it", job.id)
                    continue
                log.warning("job %s: its worker stopped answering; queued again", job.id)
                await app.job_manager.retry_job(job)
        except Exception:  # another worker retried it first, or the database blinked
            log.exception("sweeping stalled jobs failed; trying again")


async def _sweep_reports(db: Database, context: Mapping[str, Any]) -> None:
    """Remove the owner's PDFs past their retention now, then once an hour."""
    wiring = context.get("wiring")
    if wiring is None:  # a worker given no settings (tests): nothing to sweep by
        return
    settings = wiring.settings
    while True:
        try:
            swept = await asyncio.to_thread(
                sweep_reports, db, settings.data_dir, settings.report_retention_days
            )
            if swept:
                log.info("owner's PDFs removed after their retention: %s", swept)
        except Exception:  # the database blinked, or a folder could not be read
            log.exception("sweeping the owner's PDF files failed; trying again in an hour")
        await asyncio.sleep(REPORT_SWEEP_EVERY)


async def _work(
    app: App, db: Database, context: Mapping[str, Any], concurrency: int, stalled_after: float
) -> None:
    async with app.open_async():
        sweeper = asyncio.create_task(_sweep_stalled(app, db, stalled_after))
        reports = asyncio.create_task(_sweep_reports(db, context))
        try:
            await app.run_worker_async(
                concurrency=concurrency,
                update_heartbeat_interval=max(0.5, stalled_after / 5),
                stalled_worker_timeout=stalled_after,
                install_signal_handlers=True,
            )
        finally:
            sweeper.cancel()
            reports.cancel()


def run_worker(
    db: Database,
    context: Mapping[str, Any],
    *,
    concurrency: int = 1,
    stalled_after: float = 30.0,
) -> None:
    """Run jobs until stopped (SIGINT/SIGTERM: the running jobs finish first)."""
    asyncio.run(_work(queue_app(db, context), db, context, concurrency, stalled_after))
