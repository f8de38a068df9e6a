"""Correct (frequency 7) or void (8) a claim the payer has: the one use case behind every door.

The claim page, ``otbill claims correct|void`` and ``POST /api/claims/{id}/correction`` all call
:func:`correct_claim`. A correction or void cites the payer's claim number of the original in
REF*F8 (the 837P guide, loop 2300 "Payer Claim Control Number"); that number arrives with the
277CA (REF*1K) or the 835 (CLP07), so a claim the payer has not numbered yet is refused in those
words. The new claim is a draft copy of the original's lines and visits that goes through the
scrubber and approval like any claim; the biller then edits a correction's lines as usual.

Only a claim the payer has received can be corrected or voided: submitted, accepted, paid,
partially paid or denied. A claim not sent yet is edited instead; one already corrected by a claim
not sent yet is refused, naming that claim (two open corrections of one claim confuse the payer).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from otbill.domain.claim_records import StoredClaim
from otbill.domain.lifecycle import ClaimStatus, Frequency, Role
from otbill.domain.record_errors import NotFound, RecordError
from otbill.rules.context import ScrubContext
from otbill.rules.registry import Rule
from otbill.services.claims.lifecycle import PAYER_NUMBER_NEEDED, create_correction
from otbill.services.clinic.setup import require_actor_role
from otbill.storage import UnitOfWork

__all__ = [
    "CORRECTABLE",
    "MAX_REASON",
    "Correction",
    "correct_claim",
    "find_claim",
    "frequency_of",
    "why_not_correctable",
]

S = ClaimStatus
#: The statuses in which the payer has the claim, so a correction or void may be sent.
CORRECTABLE = frozenset({S.SUBMITTED, S.ACCEPTED, S.PAID, S.PARTIALLY_PAID, S.DENIED})
#: Statuses of a correction that has not reached the payer yet.
_NOT_SENT = frozenset({S.DRAFT, S.HELD, S.READY, S.APPROVED, S.REJECTED})
MAX_REASON = 200
_WORDS = {Frequency.CORRECTED: "correction", Frequency.VOID: "void"}


@dataclass(frozen=True, slots=True)
class Correction:
    """The new claim: its id, number and scrubbed status, and what it cites."""

    id: int
    number: str
    status: str
    frequency: str  # "7" or "8"
    original_id: int
    original_number: str
    payer_claim_number: str  # REF*F8

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "number": self.number,
            "status": self.status,
            "frequency": self.frequency,
            "original_id": self.original_id,
            "original_number": self.original_number,
            "payer_claim_number": self.payer_claim_number,
        }


def frequency_of(value: str) -> Frequency:
    """``7``/``correct``/``corrected`` or ``8``/``void``; anything else is refused in words."""
    text = str(value).strip().lower()
    if text in ("7", "correct", "corrected", "replacement"):
        return Frequency.CORRECTED
    if text in ("8", "void"):
        return Frequency.VOID
    raise RecordError(f"frequency {value!r}: 7 (a corrected claim) or 8 (a void)")


def find_claim(uow: UnitOfWork, key: str | int) -> StoredClaim:
    """A claim by number, else by id (:class:`NotFound` naming what was asked for)."""
    text = str(key).strip()
    found = uow.claims.by_number(text)
    if found is None and text.isascii() and text.isdigit() and len(text) < 19:
        try:
            found = uow.claims.get(int(text))
        except NotFound:
            found = None
    if found is None:
        raise NotFound("claim", text)
    return found


def _open_correction(uow: UnitOfWork, claim: StoredClaim) -> StoredClaim | None:
    """A correction or void of ``claim`` not sent to the payer yet, if any (its numbers are the
    original's with ``-7n``/``-8n``, n counting every correction of it)."""
    for n in range(uow.claims.corrections_count(claim.id), 0, -1):
        for code in ("7", "8"):
            found = uow.claims.by_number(f"{claim.number}-{code}{n}")
            if found and found.original_claim_id == claim.id and found.status in _NOT_SENT:
                return found
    return None


def why_not_correctable(uow: UnitOfWork, claim: StoredClaim) -> str | None:
    """Why this claim cannot be corrected or voided now, in plain words; None when it can."""
    label = f"claim {claim.number}"
    if claim.status not in CORRECTABLE:
        if claim.status == S.REJECTED:
            return f"{label} was rejected before the payer took it: edit it and send it again"
        if claim.status in _NOT_SENT:
            return f"{label} has not reached the payer yet ({claim.status}): edit it instead"
        return (
            f"{label} is {claim.status.replace('_', ' ')}: only a submitted, accepted, paid, "
            "partially paid or denied claim can be corrected or voided"
        )
    if not (claim.payer_claim_number or "").strip():
        return f"{label}: {PAYER_NUMBER_NEEDED}, and none has come for this claim yet"
    pending = _open_correction(uow, claim)
    if pending is not None:
        return (
            f"{label} already has a {_WORDS[Frequency(pending.frequency_code)]}, claim "
            f"{pending.number}, not sent yet ({pending.status}): finish that one first"
        )
    return None


def correct_claim(
    uow: UnitOfWork,
    key: str | int,
    frequency: Frequency,
    reason: str,
    run: ScrubContext,
    rules: Sequence[Rule],
) -> Correction:
    """A corrected (7) or void (8) claim of the claim ``key`` (number or id), with the biller's
    reason on both claims' histories; refused in plain words (:class:`RecordError`) when the
    claim cannot be corrected now (:func:`why_not_correctable`)."""
    require_actor_role(uow, Role.BILLER)
    if frequency is Frequency.ORIGINAL:
        raise RecordError("a correction is frequency 7 (corrected) or 8 (void)")
    why = " ".join(reason.split())
    if not why:
        what = "corrected" if frequency is Frequency.CORRECTED else "voided"
        raise RecordError(f"reason: say why the claim is {what} (it goes on its history)")
    if len(why) > MAX_REASON:
        raise RecordError(f"reason: at most {MAX_REASON} characters ({len(why)} given)")
    claim = uow.claims.for_update(find_claim(uow, key).id)
    refusal = why_not_correctable(uow, claim)
    if refusal:
        raise RecordError(refusal)
    copy_id = create_correction(uow, claim.id, frequency, run, rules, reason=why)
    copy = uow.claims.get(copy_id)
    uow.audit.record(
        uow.actor_id,
        "claim.corrected",
        "claim",
        claim.id,
        None,
        {"by claim": copy.number, "as": _WORDS[frequency], "reason": why},
    )
    return Correction(copy.id, copy.number, copy.status, frequency.value, claim.id,
                      claim.number, (claim.payer_claim_number or "").strip())  # fmt: skip
