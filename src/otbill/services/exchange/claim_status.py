"""Claim status follow-up over 276/277 (005010X212): which claims to chase, and chasing one.

:func:`follow_up_queue` lists the claims still ``submitted`` — no 277CA acceptance and no 835 —
longer than their payer profile's ``status_follow_up_days`` (default 30) after they were sent.

:func:`check_status` asks the payer about one claim, in the caller's unit of work: build the 276
from the claim, its coverage, patient, payer and the clinic; check it against the guide's table (a
276 otbill wrote that breaks the guide is otbill's bug, refused before sending); send it over the
real-time transport; check the 277 against the guide and read it; then write the answer in plain
words on the claim's status history (the status itself is not moved: money and denials arrive in
the 835, which posts them) and in the audit trail. "Not found" and "no answer possible" (and a
transport that gets no answer at all) also queue a work item (kind 276) for a person to resubmit
the claim or call the payer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from otbill.clearinghouse.realtime import RealTimeTransport
from otbill.clearinghouse.transport import TransportError
from otbill.domain.claim_records import StoredClaim
from otbill.domain.claim_status import StatusAnswer, StatusRequest
from otbill.domain.eligibility import Person
from otbill.domain.exchange import QueuedItem
from otbill.domain.money import from_cents
from otbill.domain.record_errors import RecordError
from otbill.errors import OtbillError
from otbill.payers import PayerProfile
from otbill.storage import UnitOfWork
from otbill.x12.findings import X12Error
from otbill.x12.guide_rules import validate
from otbill.x12.read_277 import read_277
from otbill.x12.write_270 import InquiryEnvelope
from otbill.x12.write_276 import write_276

__all__ = ["ClaimStatusError", "FollowUp", "StatusCheck", "check_status", "follow_up_queue"]

DEFAULT_FOLLOW_UP_DAYS = 30
# Outcomes a person must act on: resubmit the claim, or call the payer.
_TO_WORK_QUEUE = {"not found": "resubmit the claim or call the payer: it has no such claim",
                  "no answer possible": "call the payer: it could not answer the 276",
                  "no response": "call the payer or try again: the 276 got no answer"}  # fmt: skip


class ClaimStatusError(OtbillError):
    """The 276 could not be written, or the payer's 277 could not be read (nothing was stored)."""


@dataclass(frozen=True, slots=True)
class FollowUp:
    claim: StoredClaim
    sent_on: dt.date
    days_waiting: int
    due_after_days: int


@dataclass(frozen=True, slots=True)
class StatusCheck:
    claim_id: int
    outcome: str  # received, pending, paid, denied, finalized, not found, …, no response
    words: str  # as written on the claim's history
    work_item_id: int | None = None


def _days(profiles: Mapping[str, PayerProfile], name: str) -> int:
    profile = profiles.get(name)
    return profile.status_follow_up_days if profile is not None else DEFAULT_FOLLOW_UP_DAYS


def follow_up_queue(
    uow: UnitOfWork, *, today: dt.date, profiles: Mapping[str, PayerProfile]
) -> list[FollowUp]:
    """Submitted claims with no 277CA acceptance or 835 after their payer's follow-up days,
    longest waiting first."""
    due: list[FollowUp] = []
    for claim, sent_at in uow.claims.submitted_waiting():
        days = _days(profiles, uow.payers.get(claim.payer_id).profile)
        waiting = (today - sent_at.date()).days
        if waiting >= days:
            due.append(FollowUp(claim, sent_at.date(), waiting, days))
    return sorted(due, key=lambda f: (-f.days_waiting, f.claim.id))


def _person(who: Mapping[str, object] | None, what: str) -> Person:
    who = who or {}
    try:
        dob = dt.date.fromisoformat(str(who.get("dob")))
    except ValueError:
        raise RecordError(f"{what} has no date of birth") from None
    return Person(str(who.get("first_name", "")), str(who.get("last_name", "")), dob,
                  str(who.get("sex", "U")))  # fmt: skip


def build_request(uow: UnitOfWork, claim: StoredClaim, receiver_id: str) -> StatusRequest:
    """The 276's question for ``claim``, from the records (RecordError naming a gap)."""
    coverage = uow.patients.coverage(claim.coverage_id)
    patient = uow.patients.get(claim.patient_id)
    payer = uow.payers.get(claim.payer_id)
    clinic = uow.providers.billing()
    dates = [line.date for line in uow.claims.lines(claim.id)] or [claim.date_of_service]
    me = Person(patient.first_name, patient.last_name, patient.dob,
                patient.sex if patient.sex in ("F", "M", "U") else "U")  # fmt: skip
    dependent = coverage.relationship != "self"
    subscriber = (
        _person(coverage.subscriber, f"coverage {coverage.id}: the subscriber") if dependent else me
    )
    return StatusRequest(
        trace=claim.number,
        payer_name=payer.name,
        payer_id=payer.payer_code,
        receiver_name=clinic.name,
        receiver_id=receiver_id,
        provider_name=clinic.name,
        provider_npi=clinic.npi,
        subscriber=subscriber,
        member_id=coverage.member_id,
        service_from=min(dates),
        service_to=max(dates),
        total_charge=from_cents(claim.total_charge_cents),
        payer_claim_number=claim.payer_claim_number,
        patient_account=claim.number,
        patient=me if dependent else None,
    )


def _answer(response: bytes, trace: str) -> StatusAnswer | None:
    try:
        problems = validate(response, "277")
        if problems:
            raise ClaimStatusError(f"the payer's 277 does not follow the guide: {problems[0]}")
        return read_277(response).answer_for(trace)
    except X12Error as exc:
        raise ClaimStatusError(f"the payer's 277 cannot be read: {exc}") from exc


def _queue(
    uow: UnitOfWork, claim: StoredClaim, outcome: str, words: str, today: dt.date
) -> int | None:
    """The work item for a person (one a claim, outcome and day: asking twice queues it once;
    None when today's item was already resolved)."""
    key = f"276:{claim.id}:{today.isoformat()}:{outcome}"
    if uow.exchange.has_work_item(key):
        same = [i.id for i in uow.exchange.open_work_items() if i.source_key == key]
        return same[0] if same else None
    item = QueuedItem(0, key, "276", claim.number, f"{_TO_WORK_QUEUE[outcome]} ({words})",
                      claim.payer_claim_number, claim.id, None, 0, claim.total_charge_cents)  # fmt: skip
    return uow.exchange.add_work_item(item)


def check_status(
    uow: UnitOfWork,
    claim_id: int,
    *,
    today: dt.date,
    transport: RealTimeTransport,
    receiver_id: str = "OTBILL",
) -> StatusCheck:
    """Ask the payer where claim ``claim_id`` stands; write the answer on its history."""
    claim = uow.claims.get(claim_id)
    if claim.status not in ("submitted", "accepted", "rejected", "paid", "partially_paid",
                            "denied", "appealed"):  # fmt: skip
        raise ClaimStatusError(f"claim {claim.number} is {claim.status}: it was never sent")
    request = build_request(uow, claim, receiver_id)
    try:
        text = write_276([request], InquiryEnvelope(sender_id=receiver_id,
                                                    control_number=1 + claim_id % 999_999_999))  # fmt: skip
    except X12Error as exc:
        raise ClaimStatusError(f"claim {claim.number}: {exc}") from exc
    problems = validate(text.encode(), "276")
    if problems:  # otbill's own 276 must follow the guide; never send a broken one
        raise ClaimStatusError(f"the 276 otbill wrote breaks the guide: {problems[0]}")
    try:
        response: bytes | None = transport.exchange(text.encode())
    except TransportError as exc:
        response, why = None, str(exc)
    if response is None:
        outcome, words = "no response", f"no answer to the 276: {why}"
    else:
        answer = _answer(response, claim.number)
        if answer is None:
            raise ClaimStatusError(f"the payer's 277 does not answer claim {claim.number}")
        outcome, words = answer.outcome, answer.words
    reason = f"claim status (276/277): {words}"[:2000]
    uow.claims.add_status_change(claim_id, claim.status, claim.status, reason, uow.actor_id)
    item_id = _queue(uow, claim, outcome, words, today) if outcome in _TO_WORK_QUEUE else None
    uow.audit.record(uow.actor_id, "claim.status-checked", "claim", claim_id, None,
                     {"outcome": outcome, "words": words, "work_item_id": item_id})  # fmt: skip
    return StatusCheck(claim_id, outcome, words, item_id)
