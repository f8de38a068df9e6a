"""The credit-balance queue: patients whose account is below zero, oldest credit first.

Why a queue: a credit left on an account is the patient's money; it is either applied to what
they owe next or refunded, and the oldest waits longest.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from otbill.services.patient_account import account_of
from otbill.storage import UnitOfWork

__all__ = ["CreditRow", "credit_queue"]


@dataclass(frozen=True, slots=True)
class CreditRow:
    patient_id: int
    patient: str
    credit: Decimal  # what the account is below zero
    since: dt.date  # the oldest entry that made credit


def credit_queue(uow: UnitOfWork) -> list[CreditRow]:
    """Patients whose account's total is below zero, oldest credit first."""
    rows = []
    for patient_id in uow.payments.patients_with_entries():
        account = account_of(uow, patient_id)
        if account.total >= 0:
            continue
        credits = [e.on for e in account.entries if e.amount < 0]
        since = min(credits) if credits else dt.date.min
        rows.append((patient_id, -account.total, since))
    names = uow.payments.names(r[0] for r in rows)
    return sorted(
        (CreditRow(p, names.get(p, "?"), c, s) for p, c, s in rows),
        key=lambda r: (r.since, r.patient_id),
    )
