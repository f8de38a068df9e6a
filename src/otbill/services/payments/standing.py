"""What a patient owes, item by item, and the credit on their account.

Why derived, like every balance: a claim line's share is the ledger's patient balance (payer
transfers in, patient payments out) less what an approved write-off took off it; an account
entry's is its amount less what payments, applied credit and write-offs took off it. Negative
entries that no payment made (a discount, a credit brought over from the old system) first
lessen the entries of the same visit, then the oldest. The credit is what the patient has paid
beyond all that: the items owed less the account's total (:func:`account_of`), never below 0.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from otbill.domain.approval import when
from otbill.domain.payments import Owed
from otbill.services.ledger import balances
from otbill.services.patient_account import account_of
from otbill.storage import UnitOfWork

__all__ = ["PAYMENT_KINDS", "Standing", "standing"]

ZERO = Decimal("0.00")
# the account entries this package writes (the rest are charges, discounts, opening balances)
PAYMENT_KINDS = frozenset({"payment", "refund", "credit-applied", "write-off"})


@dataclass(frozen=True, slots=True)
class Standing:
    patient_id: int
    owed: tuple[Owed, ...]  # oldest first
    total: Decimal  # the account's total: what the patient owes less credit
    credit: Decimal

    @property
    def owed_total(self) -> Decimal:
        return sum((o.amount for o in self.owed), ZERO)


def standing(uow: UnitOfWork, patient_id: int) -> Standing:
    """The patient's owed items (claim lines and account entries) and credit, now."""
    account = account_of(uow, patient_id)
    applied_entry: dict[int, Decimal] = defaultdict(lambda: ZERO)
    written_line: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for a in uow.payments.applications(patient_id=patient_id):
        if a.entry_id is not None:
            applied_entry[a.entry_id] += a.amount
        elif a.claim_line_id is not None and a.write_off_id is not None:
            written_line[a.claim_line_id] += a.amount
    by_line = balances(uow, patient_id=patient_id).by_line
    owed: list[Owed] = []
    for line in uow.payments.patient_lines(patient_id):
        found = by_line.get(line.line_id)
        left = (found.patient_balance if found is not None else ZERO) - written_line[line.line_id]
        if left > 0:
            label = (f"claim {line.claim_number} line {line.position}, {line.code} on "
                     f"{when(line.date)}")  # fmt: skip
            owed.append(Owed(f"line:{line.line_id}", "line", line.line_id, line.date, left,
                             label, line.visit_id))  # fmt: skip
    entries = [e for e in account.entries if e.kind not in PAYMENT_KINDS]
    left_of = {e.id: e.amount - applied_entry[e.id] for e in entries if e.amount > 0}
    visit_of = {e.id: e.visit_id for e in entries}
    for minus in (e for e in entries if e.amount < 0):
        rest = -minus.amount
        same = [i for i in left_of if visit_of[minus.id] and visit_of[i] == visit_of[minus.id]]
        for i in same + [i for i in left_of if i not in same]:
            take = min(rest, max(left_of[i], ZERO))
            left_of[i] -= take
            rest -= take
    for e in entries:
        if e.amount > 0 and left_of[e.id] > 0:
            label = f"{e.kind.replace('-', ' ')} of {when(e.on)} ({e.source})"
            owed.append(Owed(f"entry:{e.id}", "entry", e.id, e.on, left_of[e.id], label,
                             visit_of[e.id]))  # fmt: skip
    owed.sort(key=lambda o: (o.on, o.target, o.target_id))
    total = account.total
    credit = max(sum((o.amount for o in owed), ZERO) - total, ZERO)
    return Standing(patient_id, tuple(owed), total, credit)
