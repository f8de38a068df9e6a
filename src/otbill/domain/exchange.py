"""The EDI exchange as stored: files sent and applied, and the work queue of what did not match.

A file is known by its SHA-256 (applying one twice is a no-op); a work item by its source key
(queuing one twice is a no-op). Amounts are integer cents, as stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ExchangedFile", "OutgoingFile", "QueuedItem"]


@dataclass(frozen=True, slots=True)
class ExchangedFile:
    """An X12 file sent (``out``: 837P) or applied (``in``: 999, 277CA, 835)."""

    direction: str
    kind: str
    name: str
    sha256: str
    summary: Mapping[str, Any] = field(default_factory=dict)  # counts and claim numbers, no PHI
    control_number: int | None = None  # ISA13/GS06 of the files we write


@dataclass(frozen=True, slots=True)
class OutgoingFile:
    """A file in the submission outbox: recorded "to send", not yet marked sent."""

    id: int
    name: str
    data: bytes
    control_number: int | None


@dataclass(frozen=True, slots=True)
class QueuedItem:
    """A remittance claim or acknowledgement that needs a person, and why."""

    id: int
    source_key: str
    kind: str  # 835, 277CA, 999
    reference: str  # CLP01 / TRN02: the claim number sent, or the group control number
    reason: str
    payer_claim_number: str | None = None
    claim_id: int | None = None
    remittance_id: int | None = None
    paid_cents: int = 0
    charge_cents: int = 0
