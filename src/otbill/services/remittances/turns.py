"""Long work in short transactions: each step in its own unit of work, retried when the database
is busy.

Why: on SQLite one transaction holding the write lock for a whole 835 (seconds, minutes for a
large file) makes every other writer wait and then fail with "database is locked". Posting one
small step at a time lets other writers in between steps. Each step must be safe to run again
(the posting keys make it so): a step that lost a race or found the database busy is rolled back
whole and run again from the start.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from otbill.domain.record_errors import ConstraintViolation
from otbill.storage import Database, UnitOfWork
from otbill.storage.busy import DatabaseBusy

__all__ = ["ATTEMPTS", "PAUSE_SECONDS", "Turns"]

T = TypeVar("T")

#: Tries per step when the database is busy; each try already waits the busy timeout on SQLite.
ATTEMPTS = 3
PAUSE_SECONDS = 0.5  # before the second try; doubled before each later one


@dataclass
class Turns:
    """Run steps for one clinic and actor, one unit of work each."""

    db: Database
    clinic_id: int
    actor_id: int | None
    waiting: Callable[[str], None] | None = None  # told, in words, when a step waits its turn

    def run(self, step: Callable[[UnitOfWork], T]) -> T:
        """``step`` in its own transaction; again when busy (:class:`DatabaseBusy` after
        :data:`ATTEMPTS`) or once when a concurrent run made the same row first."""
        raced = False
        for attempt in range(1, ATTEMPTS + 1):
            try:
                with self.db.unit_of_work(self.clinic_id, self.actor_id) as uow:
                    return step(uow)
            except DatabaseBusy:
                if attempt == ATTEMPTS:
                    raise
                if self.waiting is not None:
                    self.waiting("the database is busy with another change; waiting our turn")
                time.sleep(PAUSE_SECONDS * 2 ** (attempt - 1))
            except ConstraintViolation:
                # another run of the same file posted this step's key first: running the step
                # again finds it posted and skips it; a second violation is a real one
                if raced:
                    raise
                raced = True
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises
