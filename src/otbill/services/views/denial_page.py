"""One denial for the biller (reads only): its codes and root cause in plain words with the fix,
the appeal level and deadline (with the amount in controversy where a level has one), the appeal
packet's state and letter, the appeal filed, and what a later remittance recovered.

Recovered: payer payments on the claim from a remittance after the denial's (less reversals of
them); the outcome follows from it (:func:`otbill.domain.appeals.outcome_of`: all of the denied
amount is won, some is partly won) unless the biller recorded one (lost, or a decision without
payment). A code not in force on the decision's date (deactivated in the X12 lists) says so. The
prevention checks list is here too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from otbill.codes import carc, rarc
from otbill.codes.adjustment_code_dates import status_words
from otbill.domain.appeals import (
    LETTERS,
    Appeal,
    AppealLevel,
    AppealPacket,
    PreventionCheck,
    outcome_of,
)
from otbill.domain.denial_causes import CauseInfo
from otbill.domain.money import from_cents
from otbill.payers.changes import CHANGES
from otbill.services.denials.packet import cause_of, level_of
from otbill.storage import UnitOfWork

__all__ = ["DenialDetail", "denial_detail", "prevention_checks", "profile_change_words"]


@dataclass(frozen=True, slots=True)
class DenialDetail:
    id: int
    claim_id: int
    claim_number: str
    claim_status: str
    payer: str
    codes: list[tuple[str, str, str, str]]  # group-CARC, words, amount, not in force: why
    remarks: list[tuple[str, str, str]]  # RARC, words, not in force: why
    amount: Decimal
    denied_on: dt.date
    cause: CauseInfo
    level: AppealLevel
    days_left: int
    packet: AppealPacket | None
    letter_title: str
    appeal: Appeal | None
    recovered: Decimal
    outcome: str | None


def denial_detail(uow: UnitOfWork, denial_id: int, today: dt.date) -> DenialDetail:
    """The denial's page as of ``today``."""
    denial = uow.denials.get(denial_id)
    claim = uow.claims.get(denial.claim_id)
    payer = uow.payers.get(claim.payer_id)
    level = level_of(uow, denial)
    packet = uow.appeals.packet_for(denial_id)
    appeal = uow.denials.appeal_of(denial_id)
    recovered = 0
    outcome = None
    if appeal is not None:
        recovered = uow.appeals.recovered_cents(claim.id, denial.remittance_id, denial.denied_on)
        derived = outcome_of(denial.amount_cents, recovered)
        outcome = appeal.outcome if appeal.outcome != "pending" else derived
    on = denial.denied_on
    codes = [
        (
            f"{c.get('group', '')}-{c['carc']}",
            carc.describe(c["carc"]),
            str(c.get("amount") or ""),
            status_words("CARC", c["carc"], on),
        )
        for c in denial.codes
    ] or [
        (
            f"{denial.group_code}-{denial.carc}",
            carc.describe(denial.carc),
            "",
            status_words("CARC", denial.carc, on),
        )
    ]
    remarks = denial.remarks or ((denial.rarc,) if denial.rarc else ())
    deadline = packet.deadline if packet else level.deadline
    return DenialDetail(
        id=denial.id,
        claim_id=claim.id,
        claim_number=claim.number,
        claim_status=claim.status,
        payer=payer.name,
        codes=codes,
        remarks=[(r, rarc.describe(r), status_words("RARC", r, on)) for r in remarks],
        amount=from_cents(denial.amount_cents),
        denied_on=denial.denied_on,
        cause=cause_of(denial),
        level=level,
        days_left=(deadline - today).days,
        packet=packet,
        letter_title=LETTERS[packet.template][0] if packet else "",
        appeal=appeal,
        recovered=from_cents(recovered),
        outcome=outcome,
    )


def profile_change_words() -> dict[str, str]:
    """What each payer-profile change does, by the cause a check keeps it as."""
    return {key: change.words for key, change in CHANGES.items()}


def prevention_checks(uow: UnitOfWork) -> dict[str, list[PreventionCheck]]:
    """The clinic's prevention checks by status: proposed first, then accepted and dismissed."""
    found = uow.appeals.checks()
    return {s: [c for c in found if c.status == s] for s in ("proposed", "accepted", "dismissed")}
