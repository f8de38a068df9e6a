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

from otbill.domain.ledger import Kind
from otbill.domain.lifecycle import (
    EDITABLE,
    ClaimStatus,
    Frequency,
    Role,
    check_approver,
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
from otbill.services.clinic.setup import require_role, user_roles
from otbill.services.ledger import LedgerEntry, post
from otbill.storage import UnitOfWork
from otbill.storage.audit import utcnow
from otbill.storage.tables import ClaimLineRow, ClaimRow, ClaimStatusRow, ClaimVisitRow, VisitRow

__all__ = [
    "approve",
    "create_correction",
    "edit_line",
    "rescrub",
    "respond",
    "submit",
    "transition",
]


def _label(claim: ClaimRow) -> str:
    return f"claim {claim.number}"


def transition(uow: UnitOfWork, claim: ClaimRow, target: ClaimStatus, reason: str = "") -> None:
    """Move ``claim`` to ``target`` (or :class:`IllegalTransition`), with history and audit."""
    before = claim.status
    claim.status = check_transition(_label(claim), before, target).value
    uow.records.add(
        ClaimStatusRow(
            claim_id=claim.id,
            from_status=before,
            to_status=claim.status,
            at=utcnow(),
            by_user=uow.actor_id,
            reason=reason,
        )
    )
    uow.audit.record(
        uow.actor_id,
        "claim.transition",
        "claim",
        claim.id,
        {"status": before},
        {"status": claim.status, "reason": reason},
    )


def _lines(uow: UnitOfWork, claim_id: int) -> list[ClaimLineRow]:
    return uow.records.find(
        ClaimLineRow, ClaimLineRow.claim_id == claim_id, order=ClaimLineRow.position
    )


def rescrub(uow: UnitOfWork, claim_id: int, run: ScrubContext, rules: Sequence[Rule]) -> str:
    """Scrub a stored claim again from the current records; returns its new status."""
    claim = uow.records.get(ClaimRow, claim_id, for_update=True)
    visit_ids = [
        cv.visit_id for cv in uow.records.find(ClaimVisitRow, ClaimVisitRow.claim_id == claim_id)
    ]
    visits = uow.records.find(VisitRow, VisitRow.id.in_(visit_ids), order=VisitRow.date)
    snap = load_snapshot(uow, [claim.patient_id])
    original = None
    if claim.original_claim_id is not None:
        first = uow.records.get(ClaimRow, claim.original_claim_id)
        original = first.payer_claim_number or first.number
    alone = dataclasses.replace(run, batch=BatchIndex())  # not a duplicate of itself
    result = scrub_claim(
        assemble_claim(snap, claim, _lines(uow, claim_id), visits, original), alone, rules
    )
    claim.findings = [f.as_json() for f in result.findings]
    claim.error_count = sum(1 for f in result.findings if f.severity == "error")
    transition(uow, claim, scrubbed_status(result.status), "re-scrubbed")
    return claim.status


def edit_line(
    uow: UnitOfWork,
    claim_id: int,
    position: int,
    *,
    modifiers: Sequence[str] | None = None,
    units: int | None = None,
    run: ScrubContext,
    rules: Sequence[Rule],
) -> str:
    """A biller's edit: the claim goes back to draft, is re-scrubbed, and remembers the editor."""
    require_role(uow, uow.actor_id or 0, Role.BILLER)
    claim = uow.records.get(ClaimRow, claim_id, for_update=True)
    if claim.status not in EDITABLE:
        raise IllegalTransition(
            _label(claim), claim.status, "draft (edit)", tuple(s.value for s in EDITABLE)
        )
    line = next((x for x in _lines(uow, claim_id) if x.position == position), None)
    if line is None:
        raise NotFound(f"{_label(claim)} line", position)
    before = {"modifiers": line.modifiers, "units": line.units}
    if modifiers is not None:
        line.modifiers = ",".join(modifiers)
    if units is not None:
        line.units = units
    claim.last_edited_by = uow.actor_id or claim.last_edited_by
    uow.audit.record(
        uow.actor_id,
        "claim.edit",
        "claim",
        claim.id,
        {"line": position, **before},
        {"line": position, "modifiers": line.modifiers, "units": line.units},
    )
    transition(uow, claim, ClaimStatus.DRAFT, "edited")
    uow.flush()
    return rescrub(uow, claim_id, run, rules)


def approve(uow: UnitOfWork, claim_id: int, on: dt.date) -> None:
    """Approve a ready claim and post its charges; not by its creator or last editor."""
    roles = user_roles(uow, uow.actor_id or 0)
    claim = uow.records.get(ClaimRow, claim_id, for_update=True)
    check_approver(_label(claim), uow.actor_id or 0, roles, claim.created_by, claim.last_edited_by)
    transition(uow, claim, ClaimStatus.APPROVED, "approved")
    claim.approved_by = uow.actor_id
    uow.flush()
    for line in _lines(uow, claim_id):
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


def submit(uow: UnitOfWork, claim_ids: Sequence[int]) -> None:
    for claim_id in claim_ids:
        transition(
            uow,
            uow.records.get(ClaimRow, claim_id, for_update=True),
            ClaimStatus.SUBMITTED,
            "submitted",
        )


def respond(
    uow: UnitOfWork, claim_id: int, accepted: bool, payer_claim_number: str | None = None
) -> None:
    """The payer's (or clearinghouse's) acknowledgement: accepted or rejected."""
    claim = uow.records.get(ClaimRow, claim_id, for_update=True)
    if payer_claim_number:
        claim.payer_claim_number = payer_claim_number
    target = ClaimStatus.ACCEPTED if accepted else ClaimStatus.REJECTED
    transition(uow, claim, target, "acknowledgement")


def create_correction(
    uow: UnitOfWork, claim_id: int, frequency: Frequency, run: ScrubContext, rules: Sequence[Rule]
) -> int:
    """A corrected (7) or void (8) claim linked to the original, built from its lines."""
    original = uow.records.get(ClaimRow, claim_id)
    if frequency is Frequency.ORIGINAL:
        raise RecordError(f"{_label(original)}: a correction is frequency 7 or 8")
    if original.status in (s.value for s in EDITABLE) or original.status == "approved":
        raise RecordError(f"{_label(original)}: not sent yet ({original.status}); edit it instead")
    count = uow.records.count(ClaimRow, ClaimRow.original_claim_id == claim_id)
    copy = uow.records.add(
        ClaimRow(
            number=f"{original.number}-{frequency.value}{count + 1}",
            patient_id=original.patient_id,
            coverage_id=original.coverage_id,
            payer_id=original.payer_id,
            date_of_service=original.date_of_service,
            status=ClaimStatus.DRAFT.value,
            frequency_code=frequency.value,
            original_claim_id=original.id,
            place_of_service=original.place_of_service,
            telehealth=original.telehealth,
            total_charge_cents=original.total_charge_cents,
            findings=[],
            created_by=uow.actor_id,
            last_edited_by=uow.actor_id,
            created_at=utcnow(),
        )
    )
    uow.flush()
    for line in _lines(uow, claim_id):
        uow.records.add(ClaimLineRow(**{c: getattr(line, c) for c in _LINE_COPY}, claim_id=copy.id))
    for cv in uow.records.find(ClaimVisitRow, ClaimVisitRow.claim_id == claim_id):
        uow.records.add(ClaimVisitRow(claim_id=copy.id, visit_id=cv.visit_id))
    uow.audit.record(
        uow.actor_id,
        "claim.create",
        "claim",
        copy.id,
        None,
        {"number": copy.number, "frequency": frequency.value, "original": original.number},
    )
    uow.flush()
    rescrub(uow, copy.id, run, rules)
    return copy.id


_LINE_COPY = (
    "position",
    "service_line_id",
    "date",
    "code",
    "minutes",
    "units",
    "modifiers",
    "charge_cents",
    "allowed_cents",
    "rendering_provider_id",
    "furnished_by_assistant",
    "distinct_service",
)
