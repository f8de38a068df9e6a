"""Ask the payer about many claims (276/277), one claim per short transaction.

For the follow-up page's "Ask about all" (a background job, :mod:`otbill.web.claim_status_jobs`):
each claim is asked by :func:`~otbill.services.exchange.claim_status.check_status` in its own unit
of work (:class:`~otbill.services.remittances.turns.Turns`: other writers get in between, a busy
database is waited for), so every answer is kept on its claim's history as it comes and a job
stopped half-way keeps what it asked. A claim that cannot be asked — its records cannot make a 276,
the payer's 277 cannot be read, the claim is gone — is named with the reason in plain words and
the others are still asked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from otbill.clearinghouse.realtime import RealTimeTransport
from otbill.domain.record_errors import ConstraintViolation, RecordError
from otbill.errors import OtbillError
from otbill.services.exchange.claim_status import ClaimStatusError, check_status
from otbill.services.remittances.turns import Turns
from otbill.storage import Database, UnitOfWork

__all__ = ["NOT_ASKED", "Asked", "ask_each"]

NOT_ASKED = "not asked"


@dataclass(frozen=True, slots=True)
class Asked:
    """One claim's answer: the outcome and words written on its history, or why it was not asked."""

    claim_id: int
    number: str
    outcome: str  # received, pending, paid, denied, not found, no response, …, or NOT_ASKED
    words: str  # the status in plain words, or the reason the claim was not asked
    work_item_id: int | None = None

    @property
    def asked(self) -> bool:
        return self.outcome != NOT_ASKED


def _step(
    claim_id: int, today: dt.date, transport: RealTimeTransport, receiver_id: str
) -> Callable[[UnitOfWork], Asked]:
    def step(uow: UnitOfWork) -> Asked:
        number = uow.claims.get(claim_id).number
        try:
            result = check_status(
                uow, claim_id, today=today, transport=transport, receiver_id=receiver_id
            )
        except ConstraintViolation:
            raise  # a concurrent ask queued the same work item: Turns runs the step again
        except (ClaimStatusError, RecordError) as exc:  # raised before anything is written
            return Asked(claim_id, number, NOT_ASKED, str(exc))
        return Asked(claim_id, number, result.outcome, result.words, result.work_item_id)

    return step


def ask_each(
    db: Database,
    clinic_id: int,
    actor_id: int,
    claim_ids: Sequence[int],
    *,
    today: dt.date,
    transport: RealTimeTransport,
    receiver_id: str = "OTBILL",
    answered: Callable[[Asked], None] | None = None,
) -> list[Asked]:
    """Ask about each claim in turn; ``answered`` is told each result as it comes."""
    turns = Turns(db, clinic_id, actor_id)
    results: list[Asked] = []
    for claim_id in claim_ids:
        try:
            result = turns.run(_step(claim_id, today, transport, receiver_id))
        except OtbillError as exc:  # the claim is gone, or the database stayed busy
            result = Asked(claim_id, f"(id {claim_id})", NOT_ASKED, str(exc))
        results.append(result)
        if answered is not None:
            answered(result)
    return results
