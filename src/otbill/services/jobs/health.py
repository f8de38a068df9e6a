"""Is anyone running the jobs? On PostgreSQL the web processes only queue jobs; ``otbill worker``
processes run them. When jobs wait and no worker has sent a heartbeat for a while (the setting
``OTBILL_WORKER_SILENT_MINUTES``), nothing will happen until someone starts one: the jobs page,
the dashboards and ``otbill check`` say so in plain words. On SQLite the web process runs its
own jobs, so there is nothing to say.
"""

from __future__ import annotations

from dataclasses import dataclass

from otbill.storage import Database
from otbill.storage.repositories.jobs import QueueHealthReader

__all__ = ["NO_WORKER", "NoWorker", "clinic_without_worker", "queue_without_worker"]

NO_WORKER = "Jobs are waiting and no worker is running: start `otbill worker`."


@dataclass(frozen=True, slots=True)
class NoWorker:
    """Jobs wait (``waiting``) and no worker was heard from for ``silent_minutes`` (None: no
    worker has registered at all, or every one stopped cleanly)."""

    waiting: int
    silent_minutes: int | None

    @property
    def detail(self) -> str:
        jobs = f"{self.waiting} job{'' if self.waiting == 1 else 's'} waiting"
        if self.silent_minutes is None:
            return f"{jobs}; no worker is registered."
        return f"{jobs}; the last worker was heard from {self.silent_minutes} minute(s) ago."

    @property
    def words(self) -> str:
        return f"{NO_WORKER} ({self.detail})"


def _judged(waiting: int, silence: float | None, minutes: int) -> NoWorker | None:
    if waiting == 0 or (silence is not None and silence < minutes * 60):
        return None
    return NoWorker(waiting, None if silence is None else int(silence // 60))


def clinic_without_worker(db: Database, clinic_id: int, minutes: int) -> NoWorker | None:
    """The clinic's jobs wait and no worker was heard from for ``minutes`` (PostgreSQL only)."""
    if db.backend != "postgresql":
        return None
    with db.unit_of_work(clinic_id) as uow:
        waiting = uow.jobs.queued_count()
        silence = uow.jobs.worker_silence() if waiting else None
    return _judged(waiting, silence, minutes)


def queue_without_worker(db: Database, minutes: int) -> NoWorker | None:
    """Any job waits in the queue and no worker was heard from for ``minutes`` (PostgreSQL)."""
    if db.backend != "postgresql":
        return None
    return _judged(*QueueHealthReader(db.engine).waiting_and_silence(), minutes)
