"""The claim follow-up page's rows: claims sent with no answer past their payer's days.

The queue is :func:`otbill.services.exchange.claim_status.follow_up_queue`; this module adds what
a biller reads before asking the payer: the patient, the payer, and the last status the payer
gave over 276/277 in plain words (as written on the claim's history), or that nobody asked yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from otbill.domain.money import from_cents
from otbill.payers import PayerProfile
from otbill.services.exchange.claim_status import follow_up_queue
from otbill.storage import UnitOfWork

__all__ = ["NEVER_ASKED", "STATUS_PREFIX", "FollowUpRow", "follow_up_rows", "last_status"]

STATUS_PREFIX = "claim status (276/277): "
"""How :func:`~otbill.services.exchange.claim_status.check_status` begins the history entry."""
NEVER_ASKED = "not asked yet: no acknowledgement (277CA) or payment (835) since it was sent"


@dataclass(frozen=True, slots=True)
class FollowUpRow:
    claim_id: int
    number: str
    patient: str
    payer: str
    sent_on: dt.date
    days_waiting: int
    due_after_days: int
    charge: Decimal
    last_status: str  # the payer's last 277 status in plain words, or NEVER_ASKED
    asked_on: dt.date | None  # when that status was asked for


def last_status(uow: UnitOfWork, claim_id: int) -> tuple[str, dt.date | None]:
    """The claim's latest 276/277 status in plain words and the day it was asked, or
    (NEVER_ASKED, None)."""
    for move in reversed(uow.reports.status_moves(claim_id)):
        if move.reason.startswith(STATUS_PREFIX):
            return move.reason.removeprefix(STATUS_PREFIX), move.at.date()
    return NEVER_ASKED, None


def follow_up_rows(
    uow: UnitOfWork, *, today: dt.date, profiles: Mapping[str, PayerProfile]
) -> list[FollowUpRow]:
    """The follow-up queue as the page shows it, longest waiting first."""
    payers: dict[int, str] = {}
    rows = []
    for due in follow_up_queue(uow, today=today, profiles=profiles):
        claim = due.claim
        if claim.payer_id not in payers:
            payers[claim.payer_id] = uow.payers.get(claim.payer_id).name
        patient = uow.patients.get(claim.patient_id)
        words, asked_on = last_status(uow, claim.id)
        rows.append(
            FollowUpRow(
                claim.id,
                claim.number,
                f"{patient.last_name}, {patient.first_name}",
                payers[claim.payer_id],
                due.sent_on,
                due.days_waiting,
                due.due_after_days,
                from_cents(claim.total_charge_cents),
                words,
                asked_on,
            )
        )
    return rows
