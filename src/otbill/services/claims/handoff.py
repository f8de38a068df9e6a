"""The ledger's handoff from a prior claim to the next payer's claim (see
:mod:`otbill.domain.coordination`): run when the next claim is billed, so a secondary built and
not yet approved leaves the prior claim's balances as the 835 posted them."""

from __future__ import annotations

import datetime as dt

from otbill.domain.coordination import PRIOR_PAYER_CARC, handoff
from otbill.domain.ledger import Kind
from otbill.services.ledger import LedgerEntry, post, reverse
from otbill.storage import UnitOfWork

__all__ = ["hand_off"]


def hand_off(uow: UnitOfWork, claim_id: int, on: dt.date) -> None:
    """When a later payer's claim is billed (approved, or sent on by the payer on crossover),
    the patient's share of each prior line becomes its charge on that line (see
    :func:`otbill.domain.coordination.handoff`); nothing for a primary claim, and nothing twice
    (the postings' source keys). Approval then finds its charges posted and posts none."""
    link = uow.coordination.follows(claim_id)
    if link is None:
        return
    prior = uow.claims.get(link.prior_claim_id)
    new_id, number = claim_id, uow.claims.get(claim_id).number
    prior_lines = [(x.position, x.id) for x in uow.claims.lines(prior.id)]
    next_lines = [(x.position, x.id) for x in uow.claims.lines(new_id)]
    for move in handoff(uow.ledger.postings(claim_id=prior.id), prior_lines, next_lines):
        key = f"cob:{number}:{move.position}"
        for transfer_id in move.transfer_ids:
            reverse(uow, transfer_id, f"{key}:rev{transfer_id}", on)
        if move.amount > 0:
            post(
                uow,
                LedgerEntry(f"{key}:move", Kind.ADJUSTMENT, move.prior_line_id, move.amount,
                            group_code="OA", carc=PRIOR_PAYER_CARC),
                on,
            )  # fmt: skip
        # the key approval would use: approving the new claim posts no second, full charge
        post(uow, LedgerEntry(f"charge:{number}:{move.position}", Kind.CHARGE,
                              move.next_line_id, move.amount), on)  # fmt: skip
