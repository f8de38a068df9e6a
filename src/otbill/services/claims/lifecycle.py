"""The claim lifecycle as use cases: re-scrub, edit, approve, submit, responses, corrections.

Every status change goes through :func:`otbill.domain.lifecycle.check_transition`, writes a status
history row and an audit row, in the caller's unit of work. Approval locks the claim row
(SELECT ... FOR UPDATE) and the row's version column catches any write that raced past the lock, so
two approvers at once: exactly one wins. Separation of duties is enforced here, not in the UI.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from otbill.domain.claim_records import ClaimLine, StoredClaim
from otbill.domain.ledger import Kind
from otbill.domain.lifecycle import (
    EDITABLE,
    ClaimStatus,
    Frequency,
    Role,
    check_transition,
)
from otbill.domain.money import from_cents
from otbill.domain.record_errors import IllegalTransition, NotFound, RecordError
from otbill.rules.context import BatchIndex, ScrubContext
from otbill.rules.engine import scrub_claim
from otbill.rules.registry import Rule
from otbill.services.claims.assemble import assemble_claim
from otbill.services.claims.build import scrubbed_status
from otbill.services.claims.context import load_snapshot
from otbill.services.claims.duties import check_may_approve, record_editor
from otbill.services.claims.handoff import hand_off
from otbill.services.claims.prior_payers import coordinated
from otbill.services.clinic.setup import require_role
from otbill.services.denials.prevention import with_clinic_rules
from otbill.services.ledger import LedgerEntry, post, reverse
from otbill.storage import UnitOfWork

__all__ = [
    "PAYER_NUMBER_NEEDED",
    "approve",
    "audit_transition",
    "create_correction",
    "edit_line",
    "rescrub",
    "respond",
    "submit",
    "transition",
]


def _label(claim: StoredClaim) -> str:
    return f"claim {claim.number}"


def transition(
    uow: UnitOfWork, claim_id: int, target: ClaimStatus, reason: str = ""
) -> StoredClaim:
    """Move the claim to ``target`` (or :class:`IllegalTransition`), with history and audit;
    returns the claim as moved."""
    claim = uow.claims.get(claim_id)
    before = claim.status
    after = check_transition(_label(claim), before, target).value
    moved = uow.claims.change(claim_id, status=after)
    uow.claims.add_status_change(claim_id, before, after, reason, uow.actor_id)
    audit_transition(uow, claim_id, before, after, reason)
    return moved


def audit_transition(uow: UnitOfWork, claim_id: int, before: str, after: str, reason: str) -> None:
    """The audit row of a status change (:func:`transition`'s, and a batch's that writes its
    changes at its end: :mod:`otbill.services.remittances.claim_batch`)."""
    uow.audit.record(
        uow.actor_id,
        "claim.transition",
        "claim",
        claim_id,
        {"status": before},
        {"status": after, "reason": reason},
    )


def rescrub(uow: UnitOfWork, claim_id: int, run: ScrubContext, rules: Sequence[Rule]) -> str:
    """Scrub a stored claim again from the current records; returns its new status."""
    claim = uow.claims.for_update(claim_id)
    snap = load_snapshot(uow, [claim.patient_id])
    original = uow.claims.original_number(claim.original_claim_id)
    lines, visits = uow.claims.lines(claim_id), uow.claims.visits(claim_id)
    alone = dataclasses.replace(run, batch=BatchIndex())  # not a duplicate of itself
    alone = with_clinic_rules(uow, alone)  # the clinic's accepted prevention checks (CLN001)
    built = coordinated(uow, claim, assemble_claim(snap, claim, lines, visits, original))
    result = scrub_claim(built, alone, rules)
    findings = tuple(f.as_json() for f in result.findings)
    errors = sum(1 for f in result.findings if f.severity == "error")
    uow.claims.change(claim_id, findings=findings, error_count=errors)
    return transition(uow, claim_id, scrubbed_status(result.status), "re-scrubbed").status


def edit_line(
    uow: UnitOfWork,
    claim_id: int,
    position: int,
    *,
    modifiers: Sequence[str] | None = None,
    units: int | None = None,
    run: ScrubContext,
    rules: Sequence[Rule],
    reprice: bool = True,
) -> str:
    """A biller's edit: the claim goes back to draft, is re-scrubbed, and remembers the editor.

    New units reprice the line from the fee schedule (``reprice``; off when the biller typed the
    charge in the same edit), so 2 → 4 units of a $90 code charges $360, not the old $180.
    """
    require_role(uow, uow.actor_id or 0, Role.BILLER)
    claim = uow.claims.for_update(claim_id)
    if claim.status not in EDITABLE:
        raise IllegalTransition(
            _label(claim), claim.status, "draft (edit)", tuple(s.value for s in EDITABLE)
        )
    line = next((x for x in uow.claims.lines(claim_id) if x.position == position), None)
    if line is None:
        raise NotFound(f"{_label(claim)} line", position)
    before = {
        "modifiers": line.modifiers,
        "units": line.units,
        "charge": str(from_cents(line.charge_cents)),
    }
    joined = None if modifiers is None else ",".join(modifiers)
    priced = None
    if reprice and units is not None and units != line.units:
        priced = _charge_for(uow, claim, line, units)
    line = uow.claims.change_line(line.id, modifiers=joined, units=units, charge_cents=priced)
    total = None if priced is None else sum(x.charge_cents for x in uow.claims.lines(claim_id))
    uow.claims.change(
        claim_id, last_edited_by=uow.actor_id or claim.last_edited_by, total_charge_cents=total
    )
    after = {
        "modifiers": line.modifiers,
        "units": line.units,
        "charge": str(from_cents(line.charge_cents)),
    }
    if after != before:  # the caller may have changed only the charge (audited there)
        uow.audit.record(
            uow.actor_id,
            "claim.edit",
            "claim",
            claim.id,
            {"line": position, **before},
            {"line": position, **after, **({"repriced": True} if priced is not None else {})},
        )
    record_editor(uow, claim_id, f"edited line {position}")
    transition(uow, claim_id, ClaimStatus.DRAFT, "edited")
    uow.flush()
    return rescrub(uow, claim_id, run, rules)


def _charge_for(uow: UnitOfWork, claim: StoredClaim, line: ClaimLine, units: int) -> int:
    """The line's charge for ``units``: the fee schedule's charge per unit on the date of service
    (the payer's own fee, else the clinic's), else the line's own charge per unit; with neither,
    the biller is asked for the charge."""
    fees = uow.payers.fees_on(claim.payer_id, [line.code], line.date)
    fee = next((f for f in reversed(fees) if f.payer_id == claim.payer_id), None)
    fee = fee or next(reversed(fees), None)
    if fee is not None:
        return fee.charge_cents * units
    if line.units > 0 and line.charge_cents > 0:
        return line.charge_cents * units // line.units
    raise RecordError(
        f"charge: no fee on file for {line.code} on {line.date:%d %b %Y}; "
        f"type the charge for {units} unit{'' if units == 1 else 's'}"
    )


def approve(uow: UnitOfWork, claim_id: int, on: dt.date) -> None:
    """Approve a ready claim and post its charges; not by its creator nor by anyone who changed
    its content (:mod:`otbill.services.claims.duties`). A correction's approval reverses the
    original's charges (a void posts none of its own)."""
    claim = uow.claims.for_update(claim_id)
    if claim.status == ClaimStatus.APPROVED and claim.approved_by is not None:
        # the loser of two approvers (the lock above made it wait for the winner): say who won
        who = uow.users.get(claim.approved_by).full_name
        why = f"already approved by {who}"
        raise IllegalTransition(_label(claim), claim.status, "approved", (), why)
    check_may_approve(uow, claim)  # not its creator nor anyone who changed it
    transition(uow, claim_id, ClaimStatus.APPROVED, "approved")
    uow.claims.change(claim_id, approved_by=uow.actor_id)
    uow.flush()
    hand_off(uow, claim_id, on)  # a secondary's charges: the prior claim's PR
    if claim.original_claim_id is not None:
        _replace_charges(uow, claim, on)
    if claim.frequency_code == Frequency.VOID.value:
        return  # a void bills nothing: it cancels the original's charges (above)
    for line in uow.claims.lines(claim_id):
        post(
            uow,
            LedgerEntry(
                f"charge:{claim.number}:{line.position}",
                Kind.CHARGE,
                line.id,
                from_cents(line.charge_cents),
            ),
            on,
        )


def _replace_charges(uow: UnitOfWork, claim: StoredClaim, on: dt.date) -> None:
    """A correction (7) or void (8) approved: the original's charges are reversed, so the
    patient's and payer's balances count the replacement's charges only (a void's: none). The
    payer's reversal of what it paid on the original (835 CLP02 22) evens the original out."""
    original = uow.claims.get(claim.original_claim_id or 0)
    for line in uow.claims.lines(original.id):
        charge = uow.ledger.by_source_key(f"charge:{original.number}:{line.position}")
        if charge is None or uow.ledger.reversal_of(charge.id) is not None:
            continue
        reverse(uow, charge.id, f"replaced:{claim.number}:{original.number}:{line.position}", on)


def submit(uow: UnitOfWork, claim_ids: Sequence[int]) -> None:
    for claim_id in claim_ids:
        uow.claims.for_update(claim_id)
        transition(uow, claim_id, ClaimStatus.SUBMITTED, "submitted")


def respond(
    uow: UnitOfWork, claim_id: int, accepted: bool, payer_claim_number: str | None = None
) -> None:
    """The payer's (or clearinghouse's) acknowledgement: accepted or rejected."""
    uow.claims.for_update(claim_id)
    if payer_claim_number:
        uow.claims.change(claim_id, payer_claim_number=payer_claim_number)
    target = ClaimStatus.ACCEPTED if accepted else ClaimStatus.REJECTED
    transition(uow, claim_id, target, "acknowledgement")


#: What a correction or void must cite (REF*F8), and where it comes from.
PAYER_NUMBER_NEEDED = (
    "the payer's claim number is needed for REF*F8: it arrives with the 277CA or the 835"
)


def create_correction(
    uow: UnitOfWork,
    claim_id: int,
    frequency: Frequency,
    run: ScrubContext,
    rules: Sequence[Rule],
    reason: str = "",
) -> int:
    """A corrected (7) or void (8) claim linked to the original, built from its lines; it cites
    the payer's claim number of the original (REF*F8), so one must have arrived (277CA or 835)."""
    original = uow.claims.get(claim_id)
    if frequency is Frequency.ORIGINAL:
        raise RecordError(f"{_label(original)}: a correction is frequency 7 or 8")
    if original.status in (s.value for s in EDITABLE) or original.status == "approved":
        raise RecordError(f"{_label(original)}: not sent yet ({original.status}); edit it instead")
    if not (original.payer_claim_number or "").strip():
        raise RecordError(f"{_label(original)}: {PAYER_NUMBER_NEEDED}; none has come for it yet")
    count = uow.claims.corrections_count(claim_id)
    number = f"{original.number}-{frequency.value}{count + 1}"
    copy_id = uow.claims.add_correction(claim_id, number, frequency.value, uow.actor_id)
    uow.audit.record(
        uow.actor_id,
        "claim.create",
        "claim",
        copy_id,
        None,
        {"number": number, "frequency": frequency.value, "original": original.number,
         **({"reason": reason} if reason else {})},
    )  # fmt: skip
    uow.flush()
    rescrub(uow, copy_id, run, rules)
    return copy_id
