"""The ledger, beancount-style: append-only postings; balances are derived, never stored.

Kinds (amounts are never negative; the kind gives the sign):

- ``charge``      what the clinic billed for a line (+)
- ``payment``     money received, from the payer or from the patient (−)
- ``adjustment``  a write-off with its group code (CO, OA, PI) and CARC/RARC (−)
- ``transfer``    patient responsibility (group PR: deductible, coinsurance): the payer's share
                  moves to the patient; the line's balance is unchanged
- ``reversal``    undoes one earlier posting (its effect, negated)

Every posting has a ``source_key`` (e.g. ``835:<trace>:<claim>:<line>:pay``) unique per clinic,
so posting the same remittance twice changes nothing. The invariant checked after every operation:
balance = charges − payments − adjustments, for every line, claim, patient and payer, and the payer's
and the patient's shares add up to it.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from otbill.domain.record_errors import LedgerInvariantBroken

__all__ = ["Balance", "Balances", "Kind", "Posting", "check_invariants", "realize"]

ZERO = Decimal("0.00")


class Kind(enum.StrEnum):
    CHARGE = "charge"
    PAYMENT = "payment"
    ADJUSTMENT = "adjustment"
    TRANSFER = "transfer"
    REVERSAL = "reversal"


@dataclass(frozen=True, slots=True)
class Posting:
    id: int
    source_key: str
    kind: Kind
    amount: Decimal
    claim_id: int
    line_id: int
    patient_id: int
    payer_id: int
    payer_side: bool = True  # payments: True from the payer, False from the patient
    group_code: str | None = None
    carc: str | None = None
    reverses: int | None = None


@dataclass(slots=True)
class Balance:
    """Totals of one line, claim, patient or payer."""

    charges: Decimal = ZERO
    payer_payments: Decimal = ZERO
    patient_payments: Decimal = ZERO
    adjustments: Decimal = ZERO
    transferred: Decimal = ZERO  # patient responsibility moved from the payer
    signed_sum: Decimal = ZERO  # the postings' signed total, kept independently for the check

    @property
    def payments(self) -> Decimal:
        return self.payer_payments + self.patient_payments

    @property
    def balance(self) -> Decimal:
        return self.charges - self.payments - self.adjustments

    @property
    def payer_balance(self) -> Decimal:
        return self.charges - self.payer_payments - self.adjustments - self.transferred

    @property
    def patient_balance(self) -> Decimal:
        return self.transferred - self.patient_payments

    def add(self, posting: Posting, sign: int) -> None:
        amount = posting.amount * sign
        if posting.kind is Kind.CHARGE:
            self.charges += amount
            self.signed_sum += amount
        elif posting.kind is Kind.PAYMENT:
            if posting.payer_side:
                self.payer_payments += amount
            else:
                self.patient_payments += amount
            self.signed_sum -= amount
        elif posting.kind is Kind.ADJUSTMENT:
            self.adjustments += amount
            self.signed_sum -= amount
        elif posting.kind is Kind.TRANSFER:
            self.transferred += amount


@dataclass(slots=True)
class Balances:
    by_line: dict[int, Balance] = field(default_factory=lambda: defaultdict(Balance))
    by_claim: dict[int, Balance] = field(default_factory=lambda: defaultdict(Balance))
    by_patient: dict[int, Balance] = field(default_factory=lambda: defaultdict(Balance))
    by_payer: dict[int, Balance] = field(default_factory=lambda: defaultdict(Balance))

    def scopes(self) -> Mapping[str, dict[int, Balance]]:
        return {
            "line": self.by_line,
            "claim": self.by_claim,
            "patient": self.by_patient,
            "payer": self.by_payer,
        }


def realize(postings: Iterable[Posting]) -> Balances:
    """Balances by line, claim, patient and payer from the postings (reversals negate)."""
    postings = list(postings)
    by_id = {p.id: p for p in postings}
    out = Balances()
    for posting in postings:
        target, sign = posting, 1
        if posting.kind is Kind.REVERSAL:
            if posting.reverses not in by_id:
                raise LedgerInvariantBroken(f"posting {posting.id} reverses an unknown posting")
            target, sign = by_id[posting.reverses], -1
        for scope, key in (
            (out.by_line, target.line_id),
            (out.by_claim, target.claim_id),
            (out.by_patient, target.patient_id),
            (out.by_payer, target.payer_id),
        ):
            scope[key].add(target, sign)
    return out


def check_invariants(balances: Balances) -> None:
    """Raise :class:`LedgerInvariantBroken` naming the first scope whose totals disagree."""
    totals: dict[str, Decimal] = {}
    for scope, rows in balances.scopes().items():
        for key, b in rows.items():
            if b.balance != b.signed_sum or b.payer_balance + b.patient_balance != b.balance:
                raise LedgerInvariantBroken(
                    f"{scope} {key}: balance {b.balance} != charges {b.charges} − payments "
                    f"{b.payments} − adjustments {b.adjustments} (postings sum {b.signed_sum})"
                )
        totals[scope] = sum((b.balance for b in rows.values()), ZERO)
    if len(set(totals.values())) > 1:
        raise LedgerInvariantBroken(f"scope totals disagree: {totals}")
