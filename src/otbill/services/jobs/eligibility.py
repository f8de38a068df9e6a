"""Job kind ``eligibility.run``: ask the payers about every item of an eligibility run.

Idempotent: the run's items are rows with their state; a second run asks only the items with
no answer yet and, once the run is finished, asks nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from otbill.clearinghouse.realtime import RealTimeTransport
from otbill.clearinghouse.simulator.eligibility import SimulatedEligibilityPayer
from otbill.domain.eligibility_runs import EligibilityRun
from otbill.services.exchange.eligibility_batch import run_batch
from otbill.services.jobs.kinds import RunningJob, job_kind
from otbill.storage import Database

__all__ = ["KIND"]

KIND = "eligibility.run"


@job_kind(KIND, "eligibility run")
def ask_run(db: Database, job: RunningJob) -> dict[str, Any]:
    with db.unit_of_work(job.clinic_id) as uow:
        found = uow.eligibility_runs.get(job.arguments["run_id"])
    if found.state == "finished":  # asked already: finishing it again would audit it again
        return _counts(found)
    line: RealTimeTransport = (
        job.context.get("eligibility_transport") or SimulatedEligibilityPayer()
    )
    wiring = job.context["wiring"]
    run = run_batch(db, job.clinic_id, job.actor, job.arguments["run_id"], transport=line,
                    profiles=dict(wiring.profiles), today=dt.date.fromisoformat(job.arguments["today"]),
                    progress=lambda done, total: job.progress(done, total))  # fmt: skip
    return _counts(run)


def _counts(run: EligibilityRun) -> dict[str, Any]:
    return {"run_id": run.id, "state": run.state, "total": run.total, "answered": run.answered,
            "failed": run.failed}  # fmt: skip
