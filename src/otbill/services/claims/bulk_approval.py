"""Approve many claims at once from the approval queue: each claim on its own, so one refusal
(separation of duties, a claim no longer ready, a rival approver first) never holds up the rest.

Why a unit of work per claim: approval posts the claim's charges to the ledger; a claim refused
half-way must leave nothing behind, and the claims approved before it must stay approved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass

from otbill.domain.record_errors import IllegalTransition, NotFound, RecordError
from otbill.services.claims import lifecycle
from otbill.storage import UnitOfWork

__all__ = ["BatchApproval", "approve_batch"]

OpenUnit = Callable[[], AbstractContextManager[UnitOfWork]]


@dataclass(frozen=True, slots=True)
class BatchApproval:
    """What a bulk approval did: the claims approved, and each refused claim with the reason."""

    approved: tuple[str, ...]  # claim numbers
    refused: tuple[tuple[str, str], ...]  # (claim number, why: a sentence naming the people)

    def summary(self, named: int = 5) -> str:
        """``3 claims approved. 2 refused: claim 12: you (Bea Biller) edited line 2 …``; the first
        ``named`` refusals in full, the rest counted (a session cookie is small)."""
        text = f"{_count(len(self.approved))} approved." if self.approved else "No claim approved."
        if self.refused:
            shown = "; ".join(why for _, why in self.refused[:named])
            more = len(self.refused) - named
            text += f" {len(self.refused)} refused: {shown}" + (
                f"; and {more} more." if more > 0 else "."
            )
        return text


def _count(n: int) -> str:
    return f"{n} claim" if n == 1 else f"{n} claims"


def _why(error: RecordError, number: str) -> str:
    if isinstance(error, IllegalTransition) and "already approved" not in str(error):
        return f"claim {number}: it is {error.current.replace('_', ' ')}, not ready for approval"
    return str(error)


def approve_batch(open_unit: OpenUnit, claim_ids: Sequence[int], on: dt.date) -> BatchApproval:
    """Approve each claim (in the order given, each once) in a unit of work of its own."""
    approved: list[str] = []
    refused: list[tuple[str, str]] = []
    for claim_id in dict.fromkeys(claim_ids):
        number = "(unknown)"
        try:
            with open_unit() as uow:
                number = uow.claims.get(claim_id).number
                lifecycle.approve(uow, claim_id, on)
        except NotFound:
            refused.append((number, "a selected claim is not in this clinic"))
        except RecordError as error:
            refused.append((number, _why(error, number)))
        else:
            approved.append(number)
    return BatchApproval(tuple(approved), tuple(refused))
