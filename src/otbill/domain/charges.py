"""Money facts the claim builder prices with: the fee schedule and lines already billed.

Amounts are integer cents, as stored (the scrubber's claim converts them to ``Decimal``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

__all__ = ["BilledLine", "Fee", "PricedLine"]


class PricedLine(Protocol):
    """What a claim line tells about itself, stored or just built."""

    @property
    def date(self) -> dt.date: ...
    @property
    def code(self) -> str: ...
    @property
    def units(self) -> int: ...
    @property
    def rendering_provider_id(self) -> int: ...
    @property
    def charge_cents(self) -> int: ...
    @property
    def allowed_cents(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Fee:
    """A fee schedule entry: charge and expected allowed per unit, from a date (payer or clinic
    default when ``payer_id`` is None)."""

    payer_id: int | None
    code: str
    effective_from: dt.date
    charge_cents: int
    allowed_cents: int


@dataclass(frozen=True, slots=True)
class BilledLine:
    """A line already on a claim (for history, duplicates and year-to-date allowed)."""

    claim_id: int
    claim_number: str
    payer_id: int
    date: dt.date
    code: str
    units: int
    rendering_provider_id: int
    charge_cents: int
    allowed_cents: int

    @classmethod
    def of(cls, claim_id: int, claim_number: str, payer_id: int, line: PricedLine) -> BilledLine:
        """The billed line of ``line`` on claim ``claim_number`` (id 0 while not stored)."""
        return cls(claim_id, claim_number, payer_id, line.date, line.code, line.units,
                   line.rendering_provider_id, line.charge_cents, line.allowed_cents)  # fmt: skip
