"""Job kind ``remittances.post``: post an uploaded 835 (arguments: file name, text, day).

Idempotent: every posting carries its source key and the file is remembered by SHA-256, so a
second run (a retry after a kill) posts only what the first left, and a run after the end posts
nothing ("already posted").
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from otbill.services.jobs.kinds import RunningJob, job_kind
from otbill.services.remittances.post import check_remittance, post_checked
from otbill.services.remittances.report import ClaimOutcome, PostingReport
from otbill.storage import Database

__all__ = ["KIND", "posting_arguments", "report_from_result", "report_result"]

KIND = "remittances.post"
_ENCODING = "latin-1"  # X12 text is ASCII; latin-1 carries any byte through JSON unchanged


def posting_arguments(name: str, data: bytes, today: dt.date) -> dict[str, Any]:
    return {"file": name, "text": data.decode(_ENCODING), "today": today.isoformat()}


def report_result(report: PostingReport) -> dict[str, Any]:
    """The report as JSON (amounts as strings: Decimal, never float)."""
    counts = {n: v for n, v in report.counts().items() if n != "payments_total"}
    outcomes = [[o.claim_number, o.outcome, str(o.paid), o.detail] for o in report.outcomes]
    return {"file": report.file, "already_posted": report.already_posted, "counts": counts,
            "payments_total": str(report.payments_total), "outcomes": outcomes}  # fmt: skip


def report_from_result(result: dict[str, Any]) -> PostingReport:
    report = PostingReport(result["file"], already_posted=result["already_posted"])
    for name, value in result["counts"].items():
        setattr(report, name, value)
    report.payments_total = Decimal(result["payments_total"])
    report.outcomes = [ClaimOutcome(n, o, Decimal(p), d) for n, o, p, d in result["outcomes"]]
    return report


@job_kind(KIND, "835 posting")
def post_835(db: Database, job: RunningJob) -> dict[str, Any]:
    args = job.arguments
    actor = job.actor
    checked = check_remittance(
        db, job.clinic_id, actor, args["text"].encode(_ENCODING), args["file"]
    )
    report = post_checked(db, job.clinic_id, actor, checked,
                          today=dt.date.fromisoformat(args["today"]), progress=job.progress)  # fmt: skip
    return report_result(report)
