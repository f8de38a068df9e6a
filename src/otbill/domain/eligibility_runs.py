"""Eligibility runs as services read them: the batch for a date, its items and their results.

A run is the night-before re-verification of the patients booked on a date (kind ``scheduled``)
or the start-of-plan-year check of every active patient (``plan-year``). Each item is one coverage
and date of service; its state moves waiting -> sent -> answered or failed. Pure data, no storage.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "ITEM_STATES",
    "RUN_KINDS",
    "EligibilityRun",
    "ItemState",
    "NewRunItem",
    "RunItem",
    "RunKind",
    "RunResult",
    "item_trace",
]

RunKind = Literal["scheduled", "plan-year"]
ItemState = Literal["waiting", "sent", "answered", "failed"]
RUN_KINDS: tuple[RunKind, ...] = ("scheduled", "plan-year")
ITEM_STATES: tuple[ItemState, ...] = ("waiting", "sent", "answered", "failed")


@dataclass(frozen=True, slots=True)
class EligibilityRun:
    id: int
    for_date: dt.date
    kind: str
    state: str  # running | finished
    total: int
    answered: int
    failed: int
    active: int
    inactive: int
    not_verified: int
    started_by: int | None
    started_at: dt.datetime
    finished_at: dt.datetime | None

    @property
    def done(self) -> int:
        return self.answered + self.failed


@dataclass(frozen=True, slots=True)
class NewRunItem:
    """An item to add to a run: answered already when someone checked it today."""

    coverage_id: int
    patient_id: int
    date_of_service: dt.date
    appointment_id: int | None = None
    state: ItemState = "waiting"
    eligibility_check_id: int | None = None
    message: str = ""


@dataclass(frozen=True, slots=True)
class RunItem:
    id: int
    run_id: int
    coverage_id: int
    patient_id: int
    date_of_service: dt.date
    appointment_id: int | None
    state: str
    eligibility_check_id: int | None
    message: str
    attempts: int

    @property
    def trace(self) -> str:
        return item_trace(self.run_id, self.id)


@dataclass(frozen=True, slots=True)
class RunResult:
    """One item of a run for the results page: who, which payer, and what the payer said."""

    item: RunItem
    patient_name: str
    payer_name: str
    start_minute: int | None  # the appointment's time, when the item has one
    active: bool | None  # None: not verified or no answer
    status: str  # the check's status, or the item's message
    benefits: dict[str, object]
    checked_at: dt.datetime | None


def item_trace(run_id: int, item_id: int) -> str:
    """The 270's trace number (TRN02) of a run item: the same on every resend of that item."""
    return f"OTBR{run_id}-{item_id}"
