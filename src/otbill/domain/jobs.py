"""A job: one piece of long work queued by a user, with its progress, result or error in words.

Why a plain record: the jobs page, each run's own progress page and ``GET /api/jobs/{id}`` read
the same fields whatever process ran the job (a web thread on SQLite, an ``otbill worker`` on
PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

__all__ = ["FINISHED", "Job"]

FINISHED = ("done", "failed")


@dataclass(frozen=True)
class Job:
    id: int
    clinic_id: int
    kind: str
    arguments: dict[str, Any]
    idempotency_key: str
    state: str  # queued, running, done, failed
    done: int
    total: int
    note: str
    result: dict[str, Any] | None
    error: str
    attempts: int
    queued_by: int | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    @property
    def percent(self) -> int:
        """How far along, 0-100 (100 once finished, failed or not).

        >>> import datetime as dt
        >>> Job(1, 1, "k", {}, "k", "running", 1, 4, "", None, "", 1, None,
        ...     dt.datetime(2026, 1, 1), None, None).percent
        25
        """
        if self.finished:
            return 100
        return min(100, 100 * self.done // self.total) if self.total else 0
