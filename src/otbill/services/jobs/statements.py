"""Job kind ``statements.run``: record and print the statements due on a day.

Idempotent: each chunk of statements is recorded as it is done and a guarantor is sent one
statement a day, so a second run sends nothing twice and only writes the files a stopped run
left unwritten.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from otbill.services.billing.statements import RunSummary, run_statements
from otbill.services.jobs.kinds import RunningJob, job_kind
from otbill.storage import Database

__all__ = ["KIND", "summary_from_result", "summary_result"]

KIND = "statements.run"
_COUNTS = ("due", "sent", "held", "already_sent", "not_due_yet", "collections")


def summary_result(summary: RunSummary) -> dict[str, Any]:
    return {"on": summary.on.isoformat(), "dry_run": summary.dry_run,
            **{name: getattr(summary, name) for name in _COUNTS},
            "amount": str(summary.amount), "batches": list(summary.batches),
            "files": [str(f) for f in summary.files]}  # fmt: skip


def summary_from_result(result: dict[str, Any]) -> RunSummary:
    summary = RunSummary(dt.date.fromisoformat(result["on"]), result["dry_run"])
    for name in _COUNTS:
        setattr(summary, name, result[name])
    summary.amount = Decimal(result["amount"])
    summary.batches = list(result["batches"])
    summary.files = [Path(f) for f in result["files"]]
    return summary


@job_kind(KIND, "statement run")
def run(db: Database, job: RunningJob) -> dict[str, Any]:
    args = job.arguments
    stages = ("recording", "printing")

    def progress(stage: str, done: int, total: int) -> None:
        # one bar: recording is its first half, printing its second
        step = stages.index(stage) if stage in stages else 0
        job.progress(step * total + done, 2 * total, stage)

    summary = run_statements(db, job.clinic_id, job.actor, dt.date.fromisoformat(args["on"]),
                             out_dir=Path(args["out_dir"]), progress=progress)  # fmt: skip
    return summary_result(summary)
