"""Job kinds: each is a function ``run(db, job) -> result`` registered under a stable name.

Why a registry: the job record carries only its kind and JSON arguments, so any process (a web
thread on SQLite, an ``otbill worker`` on PostgreSQL) finds the same function by name. Every kind
must be idempotent: run twice (a retry after a kill), it changes nothing the second time and
returns the same result.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from otbill.domain.jobs import Job
from otbill.errors import OtbillError
from otbill.storage import Database

__all__ = ["JobKind", "RunningJob", "job_kind", "kind_named", "known_kinds"]

PROGRESS_EVERY = 0.5  # seconds between progress writes (the last one is always written)


@dataclass
class RunningJob:
    """What a job function gets: its record, where to report progress, and the host's resources
    (``context``: the web app's transports and folders, or the worker's)."""

    record: Job
    db: Database
    context: Mapping[str, Any] = field(default_factory=dict)
    _written: float = field(default=0.0, repr=False)

    @property
    def arguments(self) -> dict[str, Any]:
        return self.record.arguments

    @property
    def clinic_id(self) -> int:
        return self.record.clinic_id

    @property
    def user_id(self) -> int | None:
        return self.record.queued_by

    @property
    def actor(self) -> int:
        """Who queued the job: the one its changes are recorded for in the audit trail."""
        if self.record.queued_by is None:
            raise OtbillError(f"job {self.record.id}: nobody queued it; it needs a user to act for")
        return self.record.queued_by

    def keep(self, partial: dict[str, Any]) -> None:
        """Keep what is done so far as the job's result: a retried run reads it back
        (``record.result``) and goes on from there."""
        with self.db.unit_of_work(self.clinic_id) as uow:
            uow.jobs.keep(self.record.id, partial)

    def progress(self, done: int, total: int, note: str = "") -> None:
        """Record how far along (at most twice a second; always when ``done == total``)."""
        now = time.monotonic()
        if done < total and now - self._written < PROGRESS_EVERY:
            return
        self._written = now
        with self.db.unit_of_work(self.clinic_id) as uow:
            uow.jobs.progress(self.record.id, done, total, note)


JobFunction = Callable[[Database, RunningJob], dict[str, Any]]


@dataclass(frozen=True)
class JobKind:
    name: str
    title: str  # what the job is, in words: "835 posting"
    run: JobFunction


_KINDS: dict[str, JobKind] = {}


def job_kind(name: str, title: str) -> Callable[[JobFunction], JobFunction]:
    """Register ``run`` as the job kind ``name`` (a decorator)."""

    def register(run: JobFunction) -> JobFunction:
        _KINDS[name] = JobKind(name, title, run)
        return run

    return register


def kind_named(name: str) -> JobKind:
    from otbill.services.jobs.catalog import load_kinds

    load_kinds()
    found = _KINDS.get(name)
    if found is None:
        raise OtbillError(f"job kind {name!r}: not known to this otbill (is it up to date?)")
    return found


def known_kinds() -> list[str]:
    from otbill.services.jobs.catalog import load_kinds

    load_kinds()
    return sorted(_KINDS)
