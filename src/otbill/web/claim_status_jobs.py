""" "Ask about all" on the claim follow-up page as a job (kind ``claims.ask_status``).

Why: asking the payer about every claim waiting for an answer is one real-time exchange per
claim (seconds each with a real clearinghouse); inside the request it would hold the browser and
a server thread for minutes. The page queues the claims and answers at once with a redirect to
the job's page, which reads the job's row: each answer in plain words as it comes, and the counts
at the end. The key is the day and the claims: asking again the same day for the same claims
shows the same job (no claim is asked twice).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Sequence
from typing import Any

from otbill.services.exchange.claim_status_all import Asked
from otbill.services.jobs.claim_status import KIND, answers_of
from otbill.web.jobs import JobView, KindJobs, app_jobs

__all__ = ["StatusJob", "StatusJobs", "status_jobs"]


class StatusJob(JobView):
    """One "Ask about all": queued, running, done (``results``) or failed (``error``)."""

    @property
    def results(self) -> list[Asked]:
        return answers_of(self.job.result)

    @property
    def total(self) -> int:
        return len(self.job.arguments["claim_ids"])

    @property
    def done(self) -> int:
        return len(self.results)

    def outcomes(self) -> list[tuple[str, int]]:
        """How many claims got each outcome, most frequent first."""
        return Counter(r.outcome for r in self.results).most_common()


class StatusJobs(KindJobs[StatusJob]):
    kind = KIND
    view = StatusJob

    def start(
        self, clinic_id: int, user_id: int, claim_ids: Sequence[int], *, today: dt.date
    ) -> StatusJob:
        """Queue asking about ``claim_ids``; returns the job at once."""
        ids = list(claim_ids)
        digest = hashlib.sha256(",".join(map(str, sorted(ids))).encode()).hexdigest()[:32]
        arguments = {"claim_ids": ids, "today": today.isoformat()}
        return self._queue(clinic_id, user_id, arguments, f"{today}:{digest}")


def status_jobs(state: Any) -> StatusJobs:
    """The app's :class:`StatusJobs` over its job queue."""
    return StatusJobs(app_jobs(state))
