"""The job table: queue once per key, move along (running, progress, done or failed), list.

Each call here is one short statement; the job service commits progress in its own unit of work
so another process (the jobs page in another web worker) sees it while the job runs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, Engine, func, select, text, update

from otbill.domain.jobs import Job
from otbill.storage.audit import utcnow
from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.repositories.rows import fetch, flush
from otbill.storage.tables.jobs import JobRow

__all__ = ["JobRepository", "QueueHealthReader"]

# procrastinate's own tables (PostgreSQL only): how long since a worker was last heard from
# (NULL: no worker registered; a worker that stops cleanly removes its row) and the jobs waiting
# for one. The database's clock on both sides, so the web host's clock cannot skew it.
_SILENCE = text("SELECT EXTRACT(EPOCH FROM now() - max(last_heartbeat)) FROM procrastinate_workers")
_WAITING = text("SELECT count(*) FROM procrastinate_jobs WHERE status = 'todo'")


def worker_silence(connection: Connection) -> float | None:
    """Seconds since any worker's last heartbeat, None when no worker is registered."""
    found = connection.execute(_SILENCE).scalar()
    return None if found is None else float(found)


class QueueHealthReader:
    """The whole queue, for ``otbill check``: jobs waiting for a worker, and the workers' last
    heartbeat (procrastinate's tables carry no clinic, so no clinic scope is needed)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def waiting_and_silence(self) -> tuple[int, float | None]:
        with self._engine.connect() as connection:
            waiting = int(connection.execute(_WAITING).scalar() or 0)
            return waiting, worker_silence(connection)


def _job(r: JobRow) -> Job:
    return Job(r.id, r.clinic_id, r.kind, dict(r.arguments), r.idempotency_key, r.state, r.done,
               r.total, r.note, r.result, r.error, r.attempts, r.queued_by, r.created_at,
               r.started_at, r.finished_at)  # fmt: skip


class JobRepository(ClinicScoped):
    """The clinic's jobs."""

    def by_key(self, kind: str, key: str) -> Job | None:
        query = select(JobRow).where(
            JobRow.clinic_id == self.clinic_id, JobRow.kind == kind, JobRow.idempotency_key == key
        )
        row = self.session.scalars(query).one_or_none()
        return None if row is None else _job(row)

    def add(self, kind: str, arguments: dict[str, Any], key: str, queued_by: int | None) -> Job:
        row = JobRow(clinic_id=self.clinic_id, kind=kind, arguments=arguments,
                     idempotency_key=key, state="queued", done=0, total=0, note="", error="",
                     attempts=0, queued_by=queued_by, created_at=utcnow())  # fmt: skip
        self.session.add(row)
        flush(self.session)
        return _job(row)

    def get(self, job_id: int) -> Job:
        """The clinic's job, or :class:`NotFound` ("job 7: not found in this clinic")."""
        return _job(fetch(self.session, JobRow, self.clinic_id, job_id))

    def newest(self, limit: int = 100) -> list[Job]:
        query = (
            select(JobRow)
            .where(JobRow.clinic_id == self.clinic_id)
            .order_by(JobRow.created_at.desc(), JobRow.id.desc())
            .limit(limit)
        )
        return [_job(r) for r in self.session.scalars(query)]

    def done_before(self, kind: str, before: dt.datetime) -> list[Job]:
        """The clinic's finished jobs of ``kind`` done before ``before``, oldest first
        (``ix_job_clinic_created``: a job is made before it finishes)."""
        query = select(JobRow).where(
            JobRow.clinic_id == self.clinic_id,
            JobRow.created_at < before,
            JobRow.kind == kind,
            JobRow.state == "done",
            JobRow.finished_at < before,
        )
        return [_job(r) for r in self.session.scalars(query.order_by(JobRow.id))]

    def add_to_result(self, job_id: int, extra: dict[str, Any]) -> None:
        """Add keys to a finished job's result (what happened to it since: a file removed)."""
        row = fetch(self.session, JobRow, self.clinic_id, job_id, for_update=True)
        row.result = {**(row.result or {}), **extra}
        flush(self.session)

    def queued_count(self) -> int:
        """The clinic's jobs waiting for a worker (queued, or waiting for their retry)."""
        query = select(func.count()).where(
            JobRow.clinic_id == self.clinic_id, JobRow.state == "queued"
        )
        return int(self.session.scalar(query) or 0)

    def worker_silence(self) -> float | None:
        """Seconds since any worker's last heartbeat (PostgreSQL); None when none registered."""
        return worker_silence(self.session.connection())

    def _set(self, job_id: int, **values: Any) -> None:
        self.session.execute(
            update(JobRow)
            .where(JobRow.clinic_id == self.clinic_id, JobRow.id == job_id)
            .values(**values)
        )

    def start(self, job_id: int) -> Job:
        """Mark it running, count the attempt, clear an earlier attempt's error."""
        row = fetch(self.session, JobRow, self.clinic_id, job_id, for_update=True)
        row.state, row.attempts, row.error = "running", row.attempts + 1, ""
        row.started_at, row.finished_at = utcnow(), None
        flush(self.session)
        return _job(row)

    def progress(self, job_id: int, done: int, total: int, note: str) -> None:
        self._set(job_id, done=done, total=total, note=note[:300])

    def keep(self, job_id: int, partial: dict[str, Any]) -> None:
        """What a running job has done so far (its retry goes on from there)."""
        self._set(job_id, result=partial)

    def finish(self, job_id: int, result: dict[str, Any]) -> None:
        self._set(job_id, state="done", result=result, error="", finished_at=utcnow())

    def fail(self, job_id: int, error: str, *, final: bool) -> None:
        """Record the error; a final failure ends the job, else it waits for its retry."""
        state = "failed" if final else "queued"
        self._set(job_id, state=state, error=error[:1000], finished_at=utcnow() if final else None)
