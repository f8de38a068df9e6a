"""The day's deposit: every payment and refund of a day, by method and by person, the bank slip
(cash and checks), card totals, and the proof that it balances.

Why it must balance against the books, not only against itself: the lines are read from the
payments taken, the check is read from what those payments posted — patient-side payments on
claim lines in the ledger (``ppay:``) and the ``payment`` and ``refund`` entries on accounts —
so a payment that posted nothing, or a posting without its payment, shows as a difference.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from otbill.domain.payments import Deposit, DepositLine, deposit_of
from otbill.storage import UnitOfWork

__all__ = ["DepositReport", "deposit_report"]


@dataclass(frozen=True, slots=True)
class DepositReport:
    clinic_name: str
    deposit: Deposit
    books_payments: Decimal  # what the ledger and the accounts hold as payments of the day
    books_refunds: Decimal
    problems: tuple[str, ...]

    @property
    def balances(self) -> bool:
        return not self.problems


def deposit_report(uow: UnitOfWork, day: dt.date) -> DepositReport:
    """The deposit of ``day`` with its check against the ledger and the accounts."""
    taken = uow.payments.on_day(day)
    patients = uow.payments.names({p.patient_id for p in taken})
    people = uow.users.full_names({p.taken_by for p in taken if p.taken_by is not None})
    lines = [
        DepositLine(
            p.id,
            p.kind,
            p.method,
            p.amount,
            patients.get(p.patient_id, "?"),
            people.get(p.taken_by, "the system") if p.taken_by else "the system",
            p.how,
        )
        for p in taken
    ]
    deposit = deposit_of(day, lines)
    paid = uow.payments.ledger_payments_on(day) - uow.payments.account_on(day, "payment")
    refunds = uow.payments.account_on(day, "refund")
    problems = tuple(deposit.balance_problems(paid, refunds))
    return DepositReport(uow.clinics.identity().name, deposit, paid, refunds, problems)
