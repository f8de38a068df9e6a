"""The web's background jobs: queued through :mod:`otbill.services.jobs`, read from the job table.

Why: long work (posting an 835, one 276/277 exchange per claim, a statement run, an eligibility
run) never runs inside a request; it would hold the browser and a server thread. A page queues a
job and answers at once with a redirect to the job's page, which reads the job's row: any web
process answers it, and a restart loses no job. On SQLite the jobs run on one thread of this web
process (``make run`` stays one command); on PostgreSQL they go to the queue and ``otbill worker``
runs them (``app.state.jobs_in_process = True``, or ``OTBILL_JOBS_IN_PROCESS=1``, runs them here
instead: tests, a single-process install).
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from otbill.domain.jobs import Job
from otbill.domain.record_errors import NotFound
from otbill.services.jobs import (
    JobRunner,
    ThreadRunner,
    job_of,
    job_with_key,
    queue_job,
    runner_for,
)

__all__ = ["AppJobs", "JobView", "KindJobs", "app_jobs", "on_app_state"]

_CREATE = threading.Lock()
RegistryT = TypeVar("RegistryT")

# what job functions may take from app.state (transports the tests or the app were given):
# the job's name for it -> the app.state attribute. The submission job's "submit_transport" is the
# app's clearinghouse transport, the one the Submit button used when it sent inside the request.
_CONTEXT_NAMES = {
    "wiring": "wiring",
    "claim_status_transport": "claim_status_transport",
    "eligibility_transport": "eligibility_transport",
    "submit_transport": "transport",
    "fetch_transport": "transport",  # "Fetch from the clearinghouse": the same clearinghouse
}


class _StateContext(Mapping[str, Any]):
    """``app.state``'s resources for job functions, read when the job runs (not when queued)."""

    def __init__(self, state: Any) -> None:
        self._state = state

    def _found(self, key: str) -> Any:
        if key == "job_runner":  # jobs a job queues (a fetch's 835 postings) go where it went
            return getattr(getattr(self._state, "jobs", None), "runner", None)
        return getattr(self._state, _CONTEXT_NAMES[key], None) if key in _CONTEXT_NAMES else None

    def __getitem__(self, key: str) -> Any:
        found = self._found(key)
        if found is None:
            raise KeyError(key)
        return found

    def __iter__(self) -> Iterator[str]:
        return (k for k in _CONTEXT_NAMES if self._found(k) is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)


@dataclass(frozen=True)
class JobView:
    """A job as its page shows it; kinds add what their page needs (see the ``*_jobs`` modules)."""

    job: Job

    def __getattr__(self, name: str) -> Any:
        return getattr(self.job, name)


class AppJobs:
    """Queue a job for the app's database, find a clinic's job, wait for this process's jobs."""

    def __init__(self, state: Any) -> None:
        in_process = bool(getattr(state, "jobs_in_process", False)) or (
            os.environ.get("OTBILL_JOBS_IN_PROCESS") == "1"
        )
        self.db = state.db
        self.runner: JobRunner = runner_for(self.db, _StateContext(state), in_process=in_process)

    def queue(self, clinic_id: int, user_id: int, kind: str, arguments: dict[str, Any],
              key: str) -> Job:  # fmt: skip
        return queue_job(self.db, self.runner, clinic_id, user_id, kind, arguments, key)

    def get(self, job_id: str | int, clinic_id: int, kind: str | None = None) -> Job | None:
        """The clinic's job (of ``kind`` when given), else None."""
        try:
            job = job_of(self.db, clinic_id, int(job_id))
        except (NotFound, ValueError):
            return None
        return job if kind is None or job.kind == kind else None

    def active(self, job: Job) -> bool:
        """Queued or running, and someone will run it (not lost with a stopped process)."""
        return not job.finished and not self.runner.lost(job)

    def wait(self, timeout: float) -> None:
        """Wait for the jobs this process runs (SQLite, in-process): tests and shutdown."""
        if isinstance(self.runner, ThreadRunner):
            self.runner.wait(timeout)


ViewT = TypeVar("ViewT", bound=JobView)


class KindJobs(Generic[ViewT]):
    """One kind's jobs as its pages show them (``view``): queue, find, wait."""

    kind: str
    view: type[ViewT]

    def __init__(self, jobs: AppJobs) -> None:
        self.jobs = jobs

    def _queue(self, clinic_id: int, user_id: int, arguments: dict[str, Any], key: str) -> ViewT:
        return self.view(self.jobs.queue(clinic_id, user_id, self.kind, arguments, key))

    def _queue_of_day(
        self, clinic_id: int, user_id: int, arguments: dict[str, Any], today: dt.date
    ) -> ViewT:
        """The day's last job of this kind while it is queued or running (pressed again: the
        same job), else the day's next one (key ``2025-04-01:3``): for work whose inputs are
        "whatever is waiting now", which a key made of them cannot name. Two presses at once ask
        for the same next number: the job table's unique key makes them one job."""
        for number in itertools.count(1):
            key = f"{today}:{number}"
            found = job_with_key(self.jobs.db, clinic_id, self.kind, key)
            if found is None or not found.finished:  # a new one, or the one still under way
                return self._queue(clinic_id, user_id, arguments, key)
        raise AssertionError("unreachable: the day's numbers never end")

    def get(self, job_id: str | int, clinic_id: int) -> ViewT | None:
        """The clinic's job of this kind, else None (its page answers 404)."""
        job = self.jobs.get(job_id, clinic_id, self.kind)
        return None if job is None else self.view(job)

    def wait(self, timeout: float) -> None:
        self.jobs.wait(timeout)


def on_app_state(state: Any, name: str, make: Callable[[], RegistryT]) -> RegistryT:
    """``state.<name>`` (the app's ``app.state``), made with ``make()`` on first use."""
    with _CREATE:
        found: RegistryT | None = getattr(state, name, None)
        if found is None:
            found = make()
            setattr(state, name, found)
        return found


def app_jobs(state: Any) -> AppJobs:
    """The app's :class:`AppJobs` (``app.state.jobs``), made on first use."""
    return on_app_state(state, "jobs", lambda: AppJobs(state))
