"""Job kinds for the tests only, loaded by ``OTBILL_JOB_MODULES=support.slow_jobs`` in a real
``otbill worker`` subprocess too.

``test.slow_post`` is the real 835 posting (``remittances.post``) made slow by a test hook: one
claim payment per transaction and a pause after each, so a worker can be killed mid-job.
``test.count`` counts, keeps its count on the job and goes on from it when run again;
``test.fails`` fails in words, or on a bug until its attempt ``works_on``.
"""

from __future__ import annotations

import time
from typing import Any

from otbill.errors import OtbillError
from otbill.services.jobs import RunningJob, job_kind
from otbill.services.jobs.posting import post_835
from otbill.services.remittances import post as posting_module
from otbill.storage import Database

__all__ = ["COUNT", "FAILS", "SLOW_POST"]

SLOW_POST, COUNT, FAILS = "test.slow_post", "test.count", "test.fails"


@job_kind(SLOW_POST, "slow 835 posting")
def slow_post(db: Database, job: RunningJob) -> dict[str, Any]:
    posting_module.CLAIMS_PER_TRANSACTION = 1  # the test hook: commit each claim payment alone
    delay = float(job.arguments.get("delay", 0.3))
    report = job.progress

    def slowly(done: int, total: int, note: str = "") -> None:
        report(done, total, note)
        time.sleep(delay)

    job.progress = slowly  # type: ignore[method-assign]
    return post_835(db, job)


@job_kind(COUNT, "count")
def count(db: Database, job: RunningJob) -> dict[str, Any]:
    n = int(job.arguments["n"])
    start = int((job.record.result or {}).get("counted", 0))
    for i in range(start, n):
        job.keep({"counted": i + 1})
        job.progress(i + 1, n)
    return {"counted": n, "started_at": start}


@job_kind(FAILS, "failing job")
def fails(db: Database, job: RunningJob) -> dict[str, Any]:
    if job.arguments.get("words"):
        raise OtbillError(job.arguments["words"])
    if job.record.attempts < int(job.arguments.get("works_on", 99)):
        job.progress(1, 3)
        raise RuntimeError("a bug")
    return {"attempt": job.record.attempts}
