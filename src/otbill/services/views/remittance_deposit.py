"""Does a remittance add up to the bank deposit? Claim payments + PLB adjustments = BPR02.

The 835 balances by construction (the reader refuses a file where BPR02 ≠ the claim payments −
the PLB amounts, X12 835 005010X221A1). What this page checks is the *ledger*: the claim payments
posted from this remittance (net of the payer's reversals) and the provider-level adjustments the
biller has posted, against the check or EFT amount. What is missing waits in the work queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from otbill.domain.money import from_cents
from otbill.domain.record_errors import NotFound
from otbill.storage import UnitOfWork

__all__ = ["DepositCheck", "PlbView", "deposit_check"]


@dataclass(frozen=True, slots=True)
class PlbView:
    id: int
    reference: str
    reason: str
    amount: Decimal  # its effect on the payment: + adds (interest), − takes (a recovery)
    posted: bool


@dataclass(frozen=True, slots=True)
class DepositCheck:
    deposit: Decimal  # BPR02, the check or EFT amount
    plb_total: Decimal
    claims_posted: Decimal
    plb_posted: Decimal
    plbs: list[PlbView]

    @property
    def claim_payments(self) -> Decimal:
        """The claim payments the 835 reports (BPR02 − the PLB effects, as it balances)."""
        return self.deposit - self.plb_total

    @property
    def claims_waiting(self) -> Decimal:
        return self.claim_payments - self.claims_posted

    @property
    def plb_waiting(self) -> Decimal:
        return self.plb_total - self.plb_posted

    @property
    def ledger_total(self) -> Decimal:
        return self.claims_posted + self.plb_posted

    @property
    def reconciled(self) -> bool:
        return self.ledger_total == self.deposit


def deposit_check(uow: UnitOfWork, remittance_id: int) -> DepositCheck:
    """The remittance's deposit against its 835 and the ledger (:class:`NotFound` when not
    this clinic's)."""
    found = uow.reports.remittance_line(remittance_id)
    if found is None:
        raise NotFound("remittance", remittance_id)
    figures = uow.reports.deposit_figures(remittance_id)
    plbs = [
        PlbView(p.id, p.reference, p.reason, from_cents(p.amount_cents), p.posted)
        for p in figures.plbs
    ]
    zero = Decimal("0.00")
    return DepositCheck(
        deposit=from_cents(found.total_cents),
        plb_total=sum((p.amount for p in plbs), zero),
        claims_posted=from_cents(figures.claim_payments_cents),
        plb_posted=sum((p.amount for p in plbs if p.posted), zero),
        plbs=plbs,
    )
