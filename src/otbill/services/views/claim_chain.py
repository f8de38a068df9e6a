"""The claim page's chain: the primary's claim, the secondary's and tertiary's after it, then what
the patient owes; with any crossover notice (the payer sent the claim on itself). Reads only."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from otbill.services.ledger import balances
from otbill.storage import UnitOfWork

__all__ = ["claim_chain"]

_PLACES = ("primary", "secondary", "tertiary")


def claim_chain(uow: UnitOfWork, claim_id: int) -> dict[str, Any] | None:
    """The chain ``claim_id`` belongs to, first payer first; None for a claim that stands alone
    (no claim after it and no crossover)."""
    root = claim_id
    link = uow.coordination.follows(root)
    while link is not None:
        root = link.prior_claim_id
        link = uow.coordination.follows(root)
    claims: list[dict[str, Any]] = []
    crossovers: list[dict[str, Any]] = []
    current: int | None = root
    owes = Decimal("0.00")
    while current is not None and len(claims) < len(_PLACES):
        claim = uow.claims.get(current)
        payer = uow.payers.get(claim.payer_id).name
        b = balances(uow, claim_id=current).by_claim.get(current)
        claims.append({"id": claim.id, "number": claim.number, "place": _PLACES[len(claims)],
                       "payer": payer, "status": claim.status, "current": claim.id == claim_id,
                       "payer_balance": b.payer_balance if b else Decimal("0.00")})  # fmt: skip
        owes += b.patient_balance if b else Decimal("0.00")
        crossovers += [
            {"from": claim.number, "to": c.to_payer_name, "reason": c.reason, "on": c.recorded_on}
            for c in uow.coordination.crossovers(current)
        ]
        after = uow.coordination.followed_by(current)
        current = after.claim_id if after else None
    if len(claims) == 1 and not crossovers:
        return None
    return {"claims": claims, "patient_owes": owes, "crossovers": crossovers}
