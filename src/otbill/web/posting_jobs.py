"""835 postings as jobs (kind ``remittances.post``), for the upload's progress page.

Why: posting a large 835 takes seconds to minutes of blocking database work; run inside the async
upload handler it froze the whole server for every user. The upload checks the file (in the
thread pool), queues the posting and answers at once with a redirect to the job's page, which
reads the job's row (:mod:`otbill.web.jobs`): how many claim payments are posted, then the result.
The job's key is the file's SHA-256: uploading the same file while it posts shows the same job.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from otbill.services.jobs.posting import KIND, posting_arguments, report_from_result
from otbill.services.remittances.post import CheckedFile
from otbill.services.remittances.report import PostingReport
from otbill.web.jobs import JobView, KindJobs, app_jobs

__all__ = ["PostingJob", "PostingJobs", "posting_jobs"]


class PostingJob(JobView):
    """One upload's posting: queued, running, done (``report``) or failed (``error``)."""

    @property
    def file(self) -> str:
        return str(self.job.arguments["file"])

    @property
    def report(self) -> PostingReport | None:
        return report_from_result(self.job.result) if self.job.result else None


class PostingJobs(KindJobs[PostingJob]):
    """The app's postings (see the module docstring)."""

    kind = KIND
    view = PostingJob

    def start(
        self, clinic_id: int, user_id: int, checked: CheckedFile, data: bytes, today: dt.date
    ) -> PostingJob:
        """Queue the posting of a checked file; returns its job at once."""
        arguments = posting_arguments(checked.name, data, today)
        return self._queue(clinic_id, user_id, arguments, checked.sha)


def posting_jobs(state: Any) -> PostingJobs:
    """The app's :class:`PostingJobs` over its job queue."""
    return PostingJobs(app_jobs(state))
