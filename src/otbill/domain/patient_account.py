"""A patient's account beyond their claims: entries that belong to no claim, and what the patient
owes in all.

The kinds of entry (``PatientEntry.kind``); + the patient owes more, − a credit:

- ``opening-balance``: what the patient owed (or was owed) in the old system; no visit.
- ``self-pay-charge`` (+): one billed line of a self-pay patient's visit at the charge master's
  price on the visit date (``visit_id`` set; source names the code, units and price). A self-pay
  patient's visits make no claim: these are what they are billed.
- ``discount`` (−): what the clinic's discount rule gives on one visit (``visit_id`` set): the
  sliding scale (posted with the charges) or prompt pay (posted when the patient pays at the
  visit); the source names the rule and its effective date. Never a hand edit.
- ``package-sale`` (+): a cash package sold (``package_id`` set): N visits for its price.
- ``package-use`` (0): a self-pay visit paid by a package (``visit_id`` and ``package_id`` set):
  the visit's lines are not charged; the source says how many visits the package has left.

Each entry's ``source_key`` makes posting it twice a no-op.

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

__all__ = [
    "DISCOUNT",
    "KINDS",
    "OPENING_BALANCE",
    "PACKAGE_SALE",
    "PACKAGE_USE",
    "SELF_PAY_CHARGE",
    "PatientAccount",
    "PatientEntry",
]

OPENING_BALANCE = "opening-balance"
SELF_PAY_CHARGE = "self-pay-charge"
DISCOUNT = "discount"
PACKAGE_SALE = "package-sale"
PACKAGE_USE = "package-use"
KINDS = (OPENING_BALANCE, SELF_PAY_CHARGE, DISCOUNT, PACKAGE_SALE, PACKAGE_USE)


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
    visit_id: int | None = None  # the visit it bills (self-pay charges, discounts, package uses)
    package_id: int | None = None  # the package sold or used (patient_package)


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
