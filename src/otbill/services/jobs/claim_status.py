"""Job kind ``claims.ask_status``: "Ask about all", one 276/277 exchange per claim.

Idempotent: the answers so far are kept on the job as they come (:meth:`RunningJob.keep`); a
retried run asks only the claims with no answer yet, so no claim is asked twice and the result
is the same list of answers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from otbill.clearinghouse.realtime import RealTimeTransport
from otbill.clearinghouse.simulator.claim_status import SimulatedClaimStatusPayer
from otbill.services.exchange.claim_status_all import Asked, ask_each
from otbill.services.jobs.kinds import RunningJob, job_kind
from otbill.storage import Database

__all__ = ["KIND", "answers_of"]

KIND = "claims.ask_status"


def answers_of(result: dict[str, Any] | None) -> list[Asked]:
    """The answers kept on the job (so far, or all of them once done)."""
    return [Asked(*answer) for answer in (result or {}).get("answers", [])]


def _row(asked: Asked) -> list[Any]:
    return [asked.claim_id, asked.number, asked.outcome, asked.words, asked.work_item_id]


@job_kind(KIND, "claim status run")
def ask_all(db: Database, job: RunningJob) -> dict[str, Any]:
    claim_ids: list[int] = job.arguments["claim_ids"]
    answers = [_row(a) for a in answers_of(job.record.result)]
    asked = {row[0] for row in answers}
    left = [claim for claim in claim_ids if claim not in asked]
    line: RealTimeTransport = (
        job.context.get("claim_status_transport") or SimulatedClaimStatusPayer()
    )

    def answered(result: Asked) -> None:
        answers.append(_row(result))
        job.keep({"answers": answers})
        job.progress(len(answers), len(claim_ids))

    ask_each(db, job.clinic_id, job.actor, left, today=dt.date.fromisoformat(job.arguments["today"]),
             transport=line, answered=answered)  # fmt: skip
    return {"answers": answers}
