"""A patient's account beyond their claims: entries that belong to no claim (an opening balance
brought over from the old system), and what the patient owes in all.

>>> entry = PatientEntry(1, 7, "opening-balance", Decimal("45.00"), dt.date(2024, 12, 31),
...                      "balances.csv row 2 (old ID B-1)")
>>> account = PatientAccount(7, (entry,), Decimal("20.00"))
>>> account.entries_total, account.total
(Decimal('45.00'), Decimal('65.00'))
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

__all__ = ["OPENING_BALANCE", "PatientAccount", "PatientEntry"]

OPENING_BALANCE = "opening-balance"


@dataclass(frozen=True, slots=True)
class PatientEntry:
    """One entry on the account: positive when the patient owes more, negative for a credit."""

    id: int
    patient_id: int
    kind: str
    amount: Decimal
    on: dt.date
    source: str  # where it came from, in words
    source_key: str = ""
    provider_id: int | None = None


@dataclass(frozen=True, slots=True)
class PatientAccount:
    """The patient's entries and their share of their claims (patient responsibility left)."""

    patient_id: int
    entries: tuple[PatientEntry, ...]
    claims_balance: Decimal

    @property
    def entries_total(self) -> Decimal:
        return sum((e.amount for e in self.entries), Decimal("0.00"))

    @property
    def total(self) -> Decimal:
        return self.entries_total + self.claims_balance
