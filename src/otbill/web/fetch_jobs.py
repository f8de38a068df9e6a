""" "Fetch from the clearinghouse" as a job (kind ``exchange.fetch``), for its progress page.

Why: fetching every waiting file and applying it, 835 postings included, inside the request held
the browser and a server thread for minutes on a big remittance day. The button queues the job
and answers at once with a redirect to the job's page. The job applies the 999s and 277CAs itself
and queues each 835 as its own posting job (:mod:`otbill.services.jobs.exchange`); the page says
per file what happened, links each 835 to its posting's page, and keeps refreshing until those
postings are done too. A clearinghouse that cannot be reached fails the job, in words.

The key is the day and which fetch of the day it is (see
:meth:`otbill.web.jobs.KindJobs._queue_of_day`): pressed again while a fetch is under way, the
button shows it; once it is done, the next press asks the clearinghouse again. Not a key made of
the waiting files: only the job reads the clearinghouse, never the request.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from otbill.services.jobs.exchange import FETCH, exchange_arguments
from otbill.web.jobs import JobView, KindJobs, app_jobs
from otbill.web.posting_jobs import PostingJob, PostingJobs

__all__ = ["FetchJob", "FetchJobs", "FetchedFile", "fetch_jobs"]


@dataclass(frozen=True)
class FetchedFile:
    """One file the fetch took: what happened to it, and its posting job when it is an 835."""

    name: str
    kind: str  # 999, 277CA, 835, or "" when refused
    outcome: str  # applied, posting, refused
    words: str
    posting: PostingJob | None = None


class FetchJob(JobView):
    """One fetch: queued, running, done (``files``) or failed (``error``)."""

    def _part(self, name: str) -> list[list[Any]]:
        return list((self.job.result or {}).get(name, []))

    @property
    def posting_ids(self) -> list[int]:
        """The 835 posting jobs this fetch queued."""
        return [int(job_id) for _name, job_id in self._part("postings")]

    def files(self, postings: dict[int, PostingJob]) -> list[FetchedFile]:
        """Every file, in the order applied (``postings``: the 835s' jobs by id)."""
        acks = [FetchedFile(name, kind, "applied", words)
                for name, kind, words in self._part("acknowledgements")]  # fmt: skip
        eras = [FetchedFile(name, "835", "posting", "queued for posting", postings.get(int(i)))
                for name, i in self._part("postings")]  # fmt: skip
        refused = [FetchedFile(name, "", "refused", why) for name, why in self._part("refused")]
        return acks + eras + refused

    @property
    def tone(self) -> str:
        return "warn" if self._part("refused") else "ok"

    def summary(self) -> str:
        """How many files, and what became of them, in plain words."""
        acks, eras = len(self._part("acknowledgements")), len(self._part("postings"))
        refused = len(self._part("refused"))
        if not acks + eras + refused:
            return "Nothing was waiting."
        total = acks + eras + refused
        return (f"{total} file{'' if total == 1 else 's'} fetched: {acks} acknowledgement(s) "
                f"applied, {eras} remittance(s) (835) queued for posting, {refused} refused "
                "(left at the clearinghouse for a person).")  # fmt: skip


class FetchJobs(KindJobs[FetchJob]):
    """The app's fetches (see the module docstring)."""

    kind = FETCH
    view = FetchJob

    def start(self, clinic_id: int, user_id: int, folder: Path, today: dt.date) -> FetchJob:
        """Queue a fetch (unless one is under way: that one). Returns the job at once."""
        return self._queue_of_day(clinic_id, user_id, exchange_arguments(folder, today), today)

    def postings(self, job: FetchJob, clinic_id: int) -> dict[int, PostingJob]:
        """The 835 posting jobs the fetch queued, by id, as they are now."""
        jobs = PostingJobs(self.jobs)
        found = {job_id: jobs.get(job_id, clinic_id) for job_id in job.posting_ids}
        return {job_id: posting for job_id, posting in found.items() if posting is not None}


def fetch_jobs(state: Any) -> FetchJobs:
    """The app's :class:`FetchJobs` over its job queue."""
    return FetchJobs(app_jobs(state))
