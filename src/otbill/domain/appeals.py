"""Denials and appeals as stored: what a payer denied, by when to appeal, and what was filed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Appeal", "Denial"]


@dataclass(frozen=True, slots=True)
class Denial:
    """What the payer denied on a claim (every code, the amount), when, and by when to appeal."""

    id: int
    claim_id: int
    group_code: str
    carc: str
    denied_on: dt.date
    appeal_deadline: dt.date | None
    claim_line_id: int | None = None  # when one line alone was denied
    rarc: str | None = None
    remittance_id: int | None = None
    amount_cents: int = 0
    codes: tuple[Mapping[str, Any], ...] = ()  # group, carc, amount, line
    remarks: tuple[str, ...] = ()  # every RARC (LQ, MOA)


@dataclass(frozen=True, slots=True)
class Appeal:
    """An appeal filed against a denial, at a level (1 = redetermination), and its outcome."""

    id: int
    claim_id: int
    denial_id: int | None
    level: int
    filed_on: dt.date
    reason: str
    outcome: str = "pending"
    filed_by: int | None = None
