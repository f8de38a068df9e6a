"""Denials and appeals as stored: what a payer denied, by when to appeal, and what was filed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["Appeal", "Denial"]


@dataclass(frozen=True, slots=True)
class Denial:
    """What the payer denied on a claim, when, and by when to appeal."""

    id: int
    claim_id: int
    group_code: str
    carc: str
    denied_on: dt.date
    appeal_deadline: dt.date | None


@dataclass(frozen=True, slots=True)
class Appeal:
    id: int
    claim_id: int
    denial_id: int | None
    level: int
    filed_on: dt.date
    reason: str
    outcome: str
