"""The web's background jobs: one registry shared by postings, "Ask about all" and statement runs.

Why: long work (posting an 835, one 276/277 exchange per claim, a statement run) never runs
inside a request; it would hold the browser and a server thread, and blocking database work in
an async handler froze the whole server. A page queues a job record here and answers at once
with a redirect to the job's page, which reads the record's progress.

Each registry has one worker thread: its jobs run one after another (on SQLite they would only
take turns at the write lock anyway). Jobs and their progress live in the memory of the web
process that started them (docs/deploy.md, "What each process keeps": another process answers
"no such run"); a restart forgets the pages, never the work already recorded. A finished job's page stays :data:`KEEP_SECONDS`, then the record is dropped.
"""

from __future__ import annotations

import contextvars
import secrets
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Generic, Protocol, TypeVar

__all__ = ["KEEP_SECONDS", "Job", "Jobs", "new_job_id", "on_app_state"]

KEEP_SECONDS = 6 * 3600  # a finished job's page stays this long
_CREATE = threading.Lock()


class Job(Protocol):
    """What the registry needs of a job record: its id, its clinic, when it finished."""

    id: str
    clinic_id: int
    finished_at: float | None


JobT = TypeVar("JobT", bound=Job)
RegistryT = TypeVar("RegistryT")


def new_job_id() -> str:
    """A job id that cannot be guessed (it is in the job page's address)."""
    return secrets.token_urlsafe(12)


class Jobs(Generic[JobT]):
    """Job records by id and the one worker thread that runs them (see the module docstring)."""

    def __init__(self, thread_name_prefix: str) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=thread_name_prefix)
        self._jobs: dict[str, JobT] = {}
        self._lock = threading.Lock()

    def queue(self, job: JobT, work: Callable[..., None], *args: Any) -> JobT:
        """Keep ``job`` and queue ``work(*args)`` on the worker thread; returns ``job`` at once.

        ``work`` must set ``job.finished_at`` when it ends, failed or not: until then the
        record is never dropped.
        """
        with self._lock:
            self._forget_old()
            self._jobs[job.id] = job
        # a worker thread does not inherit the request's context: it gets the run's day here
        run = contextvars.copy_context()
        self._pool.submit(run.run, work, *args)
        return job

    def get(self, job_id: str, clinic_id: int) -> JobT | None:
        """The job, when it is this clinic's."""
        job = self._jobs.get(job_id)
        return job if job is not None and job.clinic_id == clinic_id else None

    def wait(self, timeout: float) -> None:
        """Wait until every job queued so far has finished (tests, shutdown)."""
        self._pool.submit(lambda: None).result(timeout)

    def _forget_old(self) -> None:
        now = time.monotonic()
        for key in [
            k
            for k, j in self._jobs.items()
            if j.finished_at is not None and now - j.finished_at > KEEP_SECONDS
        ]:
            del self._jobs[key]


def on_app_state(state: Any, name: str, make: Callable[[], RegistryT]) -> RegistryT:
    """``state.<name>`` (the app's ``app.state``), made with ``make()`` on first use."""
    with _CREATE:
        found: RegistryT | None = getattr(state, name, None)
        if found is None:
            found = make()
            setattr(state, name, found)
        return found
