"""Money crossing the storage boundary: ``Decimal`` dollars in the domain, integer cents in the DB.

Why integer cents: SQLite has no decimal type, and floats cannot hold cents exactly. Conversion
refuses fractions of a cent instead of rounding them away silently.
"""

from __future__ import annotations

from decimal import Decimal

__all__ = ["from_cents", "to_cents"]

_CENT = Decimal("0.01")


def to_cents(amount: Decimal | int | str) -> int:
    value = Decimal(amount)
    if value != value.quantize(_CENT):
        raise ValueError(f"amount {amount} has a fraction of a cent")
    return int(value * 100)


def from_cents(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(_CENT)
