"""Loaded only by ``otbill worker`` subprocesses (``OTBILL_JOB_MODULES=support.slowed_posting``):
the real 835 posting (``remittances.post``, as ``exchange.fetch`` queues it) made slow by a test
hook, so a worker can be killed with SIGKILL in the middle of it.

The hook: one claim payment per transaction and a pause after each, and the worker's process id
in the job's note ("worker pid 1234") so the test knows which worker to kill. What gets posted is
unchanged. Importing this module registers the slowed kind under the real name, after the
catalog's own: never import it into a process whose postings must run at full speed.
"""

from __future__ import annotations

import os
import time
from typing import Any

from otbill.services.jobs import RunningJob, job_kind
from otbill.services.jobs.posting import KIND, post_835
from otbill.services.remittances import post as posting_module
from otbill.storage import Database

__all__ = ["DELAY"]

DELAY = 0.2  # seconds after each claim payment


@job_kind(KIND, "835 posting")
def slowed_post(db: Database, job: RunningJob) -> dict[str, Any]:
    posting_module.CLAIMS_PER_TRANSACTION = 1  # commit each claim payment alone
    report = job.progress

    def slowly(done: int, total: int, note: str = "") -> None:
        report(done, total, f"worker pid {os.getpid()}")
        time.sleep(DELAY)

    job.progress = slowly  # type: ignore[method-assign]
    return post_835(db, job)
