"""The approved queue's "Submit batch" as a job (kind ``exchange.submit``), for its progress page.

Why: submitting re-scrubs every approved claim, writes one 837P per payer and sends each file to
the clearinghouse; inside the request that held the browser and a server thread for as long as
the slowest upload. The button queues the job and answers at once with a redirect to the job's
page, which reads the job's row: the files being sent, then what was sent and refused, in words.
The job sends the files an earlier submission left in the outbox even when no claim is approved,
so the same button sends waiting files.

The key is the day and which submission of the day it is (``2025-04-01:3``, see
:meth:`otbill.web.jobs.KindJobs._queue_of_day`): Submit pressed again while the day's last
submission is queued or running shows that job, so nothing is written or sent twice; once it has
finished (done or failed) the next press is a new job. Not a key made of the approved claims and
the waiting files: the claims leave "approved" while the job runs (a second press then would make
a second job), and refused claims stay approved with the same ids (a press after fixing their
records would find the finished job instead of sending). A submission still running at midnight
is not found by the next day's first press; that job finds its claims submitted already.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from otbill.services.jobs.exchange import SUBMIT, exchange_arguments
from otbill.web.jobs import JobView, KindJobs, app_jobs

__all__ = ["SubmitJob", "SubmitJobs", "submit_jobs"]


class SubmitJob(JobView):
    """One submission: queued, running, done (what was sent and refused) or failed (``error``)."""

    def _part(self, name: str, empty: Any) -> Any:
        return (self.job.result or {}).get(name, empty)

    @property
    def files(self) -> list[str]:
        """The 837P files this submission wrote (one per payer)."""
        return list(self._part("files", []))

    @property
    def submitted(self) -> list[str]:
        """The numbers of the claims written in those files."""
        return list(self._part("submitted", []))

    @property
    def refused(self) -> dict[str, str]:
        """Claim number -> why it was refused (it stays approved)."""
        return dict(self._part("refused", {}))

    @property
    def sent(self) -> list[str]:
        """Every file the clearinghouse took in this run, earlier submissions' included."""
        return list(self._part("sent", []))

    @property
    def earlier(self) -> list[str]:
        """The files an earlier submission left in the outbox, sent by this one."""
        return [name for name in self.sent if name not in self.files]

    @property
    def not_sent(self) -> str:
        """Why sending stopped, in words ("1 file(s) not sent (...)"); empty when all went."""
        return str(self._part("not_sent", ""))

    @property
    def tone(self) -> str:
        """The summary's alert class: ``warn`` when anything was refused or is still waiting."""
        return "warn" if self.refused or self.not_sent else "ok"

    def summary(self) -> str:
        """What the submission did, in plain words (the refused claims are listed apart)."""
        claims, files = len(self.submitted), len(self.files)
        if self.not_sent:
            text = (f"{claims} claim(s) submitted in {files} file(s), but {self.not_sent}. They "
                    "wait in the outbox, unchanged: the next submission sends them first.")  # fmt: skip
        else:
            text = f"{claims} claim(s) sent in {files} file(s)."
        if self.earlier:
            text += f" {len(self.earlier)} file(s) an earlier submission left in the outbox sent."
        if self.refused:
            text += f" {len(self.refused)} refused and left approved."
        return text


class SubmitJobs(KindJobs[SubmitJob]):
    """The app's submissions (see the module docstring)."""

    kind = SUBMIT
    view = SubmitJob

    def start(self, clinic_id: int, user_id: int, folder: Path, today: dt.date) -> SubmitJob:
        """Queue a submission (the approved claims, then the outbox) unless the day's last one
        is still queued or running: that one is returned. Returns the job at once."""
        return self._queue_of_day(clinic_id, user_id, exchange_arguments(folder, today), today)


def submit_jobs(state: Any) -> SubmitJobs:
    """The app's :class:`SubmitJobs` over its job queue."""
    return SubmitJobs(app_jobs(state))
