"""Claims as stored: the claim's header and its lines, read back from the records.

The scrubber's own view of a claim (with its whole context) is :class:`otbill.domain.claim.Claim`;
these records are what the billing services read and hand back to the repositories to change
(a status, a line's modifiers). Amounts are integer cents, as stored. A claim being built has id 0
until it is stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

__all__ = ["ClaimFacts", "ClaimLine", "StoredClaim"]


class ClaimFacts(Protocol):
    """What assembling a claim for the scrubber reads of its header (a record, or a row)."""

    @property
    def id(self) -> int: ...
    @property
    def number(self) -> str: ...
    @property
    def patient_id(self) -> int: ...
    @property
    def coverage_id(self) -> int: ...
    @property
    def payer_id(self) -> int: ...
    @property
    def date_of_service(self) -> dt.date: ...
    @property
    def place_of_service(self) -> str: ...
    @property
    def telehealth(self) -> bool: ...
    @property
    def frequency_code(self) -> str: ...
    @property
    def total_charge_cents(self) -> int: ...
    @property
    def original_claim_id(self) -> int | None: ...


@dataclass(frozen=True, slots=True)
class StoredClaim:
    """A claim's header: who, when, which payer, its status and the scrubber's findings."""

    id: int
    number: str  # CLM01
    patient_id: int
    coverage_id: int
    payer_id: int
    date_of_service: dt.date
    status: str
    place_of_service: str
    total_charge_cents: int
    created_by: int | None
    last_edited_by: int | None
    telehealth: bool = False
    frequency_code: str = "1"  # 1 original, 7 corrected, 8 void
    original_claim_id: int | None = None
    payer_claim_number: str | None = None
    findings: tuple[Mapping[str, Any], ...] = ()
    error_count: int = 0
    approved_by: int | None = None


@dataclass(frozen=True, slots=True)
class ClaimLine:
    """One line of a claim: a code on a date with its units, modifiers and amounts."""

    id: int
    claim_id: int
    position: int
    date: dt.date
    code: str
    units: int
    modifiers: str  # comma-separated, in order
    charge_cents: int
    rendering_provider_id: int
    allowed_cents: int = 0
    minutes: int | None = None
    service_line_id: int | None = None
    furnished_by_assistant: bool = False
    distinct_service: bool = False
