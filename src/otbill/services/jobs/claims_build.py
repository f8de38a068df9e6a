"""Job kind ``claims.build``: build and scrub claims for every visit not billed yet, through the
job's day (:func:`otbill.services.claims.build.build_claims`, the web's "Build claims").

Idempotent by nature: a visit already on a claim (or charged to a self-pay account) is not
unbilled any more, so a second run (a retry after a kill) builds nothing; the build is one
transaction, so a killed run leaves nothing half built. Two runs at once do not both build: the
second waits for the first (``hold_for_billing``) and then finds the visits billed.

Arguments: ``today`` (the run's day: later visits wait). Result, counts only (a clinic's first
build may make thousands of claims): ``built``, ``ready``, ``held``, ``skipped`` (visits with
nothing billable), ``later`` (how many visits are dated after the day) and ``first_later`` (the
first such date, or None), and ``self_pay``: ``charged``, ``by_package`` (how many visits) and
``unpriced`` (why each visit was not charged, in words).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from otbill import clock
from otbill.services.claims.build import BuildReport, build_claims
from otbill.services.jobs.kinds import RunningJob, job_kind
from otbill.storage import Database

__all__ = ["KIND", "build_arguments", "result_of"]

KIND = "claims.build"


def build_arguments(today: dt.date) -> dict[str, Any]:
    return {"today": today.isoformat()}


def result_of(report: BuildReport) -> dict[str, Any]:
    """The report as the job's JSON result (see the module docstring)."""
    paid = report.self_pay
    return {
        "built": len(report.claims),
        "ready": report.by_status.get("ready", 0),
        "held": report.by_status.get("held", 0),
        "skipped": report.skipped,
        "later": len(report.later),
        "first_later": min(report.later).isoformat() if report.later else None,
        "self_pay": {
            "charged": len(paid.charged),
            "by_package": len(paid.by_package),
            "unpriced": list(paid.unpriced.values()),
        },
    }


@job_kind(KIND, "claims built from visits")
def build_from_visits(db: Database, job: RunningJob) -> dict[str, Any]:
    today = dt.date.fromisoformat(job.arguments["today"])
    wiring = job.context["wiring"]
    job.progress(0, 0, "building and scrubbing claims for the visits not billed yet")
    # as of the run's day, as the request was: the audit trail and status history are dated by it
    with clock.as_of(today), db.unit_of_work(job.clinic_id, job.actor) as uow:
        report = build_claims(uow, wiring.scrub_context(today), wiring.rules, through=today)
    result = result_of(report)
    job.progress(result["built"], result["built"])
    return result
