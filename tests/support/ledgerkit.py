"""Ledger entries for property tests that post random operations (charge, payer or patient
payment, adjustment, transfer) to claim lines."""

from __future__ import annotations

from decimal import Decimal

from otbill.domain.ledger import Kind
from otbill.services.ledger import LedgerEntry

__all__ = ["ledger_entry"]


def ledger_entry(key: str, op: str, line: int, cents: int) -> LedgerEntry:
    """The entry of ``op`` ("charge", "payment", "patient_payment", "adjustment", "transfer")."""
    return LedgerEntry(
        key,
        Kind.PAYMENT if "payment" in op else Kind(op),
        line,
        Decimal(cents) / 100,
        payer_side=op != "patient_payment",
        group_code={"adjustment": "CO", "transfer": "PR"}.get(op),
        carc="45" if op in ("adjustment", "transfer") else None,
    )
