"""Job kind ``claims.pipeline``: build, scrub and prepare the 837P for a batch of visits
(:func:`otbill.services.claims.batch_pipeline.run_batch`), so a billing company's daily volume
runs through ``otbill worker`` processes.

Idempotent: a visit already on a claim is skipped, so a second run (a retry after a kill) builds
and writes nothing; each batch of about 500 visits commits on its own.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from otbill.services.claims.batch_pipeline import run_batch
from otbill.services.jobs.kinds import RunningJob, job_kind
from otbill.storage import Database

__all__ = ["KIND", "pipeline_arguments"]

KIND = "claims.pipeline"


def pipeline_arguments(
    visit_ids: list[int], today: dt.date, out_dir: Path | None = None
) -> dict[str, Any]:
    return {"visit_ids": visit_ids, "today": today.isoformat(),
            "out_dir": None if out_dir is None else str(out_dir)}  # fmt: skip


@job_kind(KIND, "claim batch")
def build_batch(db: Database, job: RunningJob) -> dict[str, Any]:
    args = job.arguments
    today = dt.date.fromisoformat(args["today"])
    wiring = job.context.get("wiring")  # the host's loaded rules and profiles, when it has them
    run = None if wiring is None else wiring.scrub_context(today)
    rules = None if wiring is None else list(wiring.rules)
    out_dir = None if args.get("out_dir") is None else Path(args["out_dir"])
    counts = run_batch(db, job.clinic_id, job.actor, args["visit_ids"], job.progress, run=run,
                       rules=rules, out_dir=out_dir)  # fmt: skip
    return dict(counts.as_json())
