""" "Ask about all" on the claim follow-up page: 276/277 exchanges in a worker thread, with progress.

Why: asking the payer about every claim waiting for an answer is one real-time exchange per
claim (seconds each with a real clearinghouse); inside the request it would hold the browser and
a server thread for minutes. The page hands the claims to :class:`StatusJobs` and answers at once
with a redirect to the job's page, which shows how many claims are asked, each answer in plain
words as it comes, and the counts at the end (as :mod:`otbill.web.posting_jobs` does for 835s).

One worker: jobs run one after another. Jobs live in this process's memory: a restart forgets
the page, not the answers (each is kept on its claim's history as soon as it comes).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from otbill.clearinghouse.realtime import RealTimeTransport
from otbill.services.exchange.claim_status_all import Asked, ask_each
from otbill.storage import Database
from otbill.web.jobs import Jobs, new_job_id, on_app_state

__all__ = ["StatusJob", "StatusJobs", "status_jobs"]

log = logging.getLogger(__name__)


@dataclass
class StatusJob:
    """One "Ask about all": queued, running, done (``results``) or failed (``error``)."""

    id: str
    clinic_id: int
    user_id: int
    total: int
    results: list[Asked] = field(default_factory=list)
    state: str = "queued"
    error: str | None = None
    finished_at: float | None = field(default=None, repr=False)

    @property
    def done(self) -> int:
        return len(self.results)

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    @property
    def percent(self) -> int:
        return 100 if self.finished else int(100 * self.done / self.total) if self.total else 0

    def outcomes(self) -> list[tuple[str, int]]:
        """How many claims got each outcome, most frequent first."""
        return Counter(r.outcome for r in self.results).most_common()


class StatusJobs(Jobs[StatusJob]):
    """The app's status jobs (see the module docstring and :mod:`otbill.web.jobs`)."""

    def __init__(self) -> None:
        super().__init__("otbill-276")

    def start(
        self,
        db: Database,
        clinic_id: int,
        user_id: int,
        claim_ids: Sequence[int],
        *,
        today: dt.date,
        transport: RealTimeTransport,
    ) -> StatusJob:
        """Queue asking about ``claim_ids``; returns the job at once."""
        job = StatusJob(new_job_id(), clinic_id, user_id, len(claim_ids))
        return self.queue(job, self._run, job, db, list(claim_ids), today, transport)

    def _run(
        self,
        job: StatusJob,
        db: Database,
        claim_ids: list[int],
        today: dt.date,
        transport: RealTimeTransport,
    ) -> None:
        job.state = "running"
        try:
            ask_each(db, job.clinic_id, job.user_id, claim_ids, today=today,
                     transport=transport, answered=job.results.append)  # fmt: skip
            job.state = "done"
        except Exception:  # a bug: keep the page honest, the log has the details
            log.exception("asking about %d claims failed", job.total)
            job.error = (
                f"asking stopped on an unexpected error after {job.done} of {job.total} "
                "claims; the answers shown are kept on their claims; ask again for the rest"
            )
            job.state = "failed"
        finally:
            job.finished_at = time.monotonic()


def status_jobs(state: Any) -> StatusJobs:
    """The app's :class:`StatusJobs` (``app.state.claim_status_jobs``), made on first use."""
    return on_app_state(state, "claim_status_jobs", StatusJobs)
