"""The claim page's data: header, lines, the scrubbing context, findings, history, balances.

Everything is read in the caller's unit of work for one claim (by id, in the user's clinic); the
scrubbing context is rebuilt from the records the way a re-scrub would see them now.
"""

from __future__ import annotations

from typing import Any

from otbill.domain.audit_postings import (
    REMITTANCE_POSTINGS,
    claim_changes,
    remittance_postings_in_words,
)
from otbill.domain.lifecycle import EDITABLE
from otbill.domain.money import from_cents
from otbill.domain.record_errors import NotFound, RecordError
from otbill.services.claims.fixes import assembled_claim
from otbill.services.ledger import balances
from otbill.services.views.claim_chain import claim_chain
from otbill.storage import UnitOfWork
from otbill.storage.repositories.audit import AuditEvent

__all__ = ["claim_page"]


def _names(uow: UnitOfWork, ids: set[int | None]) -> dict[int, str]:
    return uow.users.full_names({i for i in ids if i is not None})


def _context(uow: UnitOfWork, claim_id: int) -> dict[str, Any]:
    """The facts the scrubber judged the claim on, rebuilt from the records as they are now."""
    try:
        claim = assembled_claim(uow, uow.claims.get(claim_id))
    except (RecordError, KeyError, ValueError) as error:
        return {"error": f"the scrubbing context cannot be rebuilt: {error}"}
    doc = claim.documentation
    return {
        "authorization": claim.prior_authorization,
        "eligibility": claim.eligibility,
        "plan_of_care": claim.plan_of_care,
        "visit_number": claim.visit_number,
        "last_progress_report_visit": claim.last_progress_report_visit,
        "ytd_allowed": claim.ytd_therapy_allowed,
        "documentation": doc,
        "documentation_missing": [
            label
            for label, present in (
                ("signature", doc.signed),
                ("current status", doc.current_status),
                ("goals", doc.goals),
                ("interventions", doc.interventions),
                ("medical necessity", doc.medical_necessity),
            )
            if not present
        ]
        if doc
        else ["note"],
    }


def _history(uow: UnitOfWork, claim_id: int) -> list[dict[str, Any]]:
    """Who did what to the claim, oldest first: every audited action (status changes with their
    reason, edits, fixes), in the audit chain's order; the status history when none is audited.
    """
    events = uow.audit_reads.events(entity="claim", entity_id=str(claim_id))
    if not events:
        moves = uow.reports.status_moves(claim_id)
        names = _names(uow, {m.by_user for m in moves})
        return [
            {"at": m.at, "by": names.get(m.by_user, "?"), "what": "status",
             "from": m.from_status, "to": m.to_status, "detail": m.reason}
            for m in moves
        ]  # fmt: skip
    names = _names(uow, {e.actor_id for e in events})
    return [_event(e, names) for e in events]


def _event(e: AuditEvent, names: dict[int, str]) -> dict[str, Any]:
    item = {"at": e.at, "by": names.get(e.actor_id or 0, "system"), "what": e.action,
            "from": None, "to": None, "detail": _describe(e.before, e.after)}  # fmt: skip
    if e.action == "claim.transition":
        after = e.after or {}
        item.update(what="status", to=after.get("status"), detail=after.get("reason", ""))
        item["from"] = (e.before or {}).get("status")
    elif e.action == REMITTANCE_POSTINGS:  # what the 835 did to the claim, its postings summed
        item.update(what="835 posted", detail=remittance_postings_in_words(e.after))
        moves = [(b["status"], a["status"]) for action, b, a in claim_changes(e.after)
                 if action == "claim.transition"]  # fmt: skip
        if moves:
            item.update({"from": moves[0][0], "to": moves[-1][1]})
    elif e.action == "claim.status-checked":  # the payer's 277 status, in its plain words
        after = e.after or {}
        queued = " (queued for a person)" if after.get("work_item_id") else ""
        item.update(what="asked the payer (276)", detail=f"{after.get('words', '')}{queued}")
    return item


_HIDDEN = frozenset({"lines", "findings", "number"})  # long, or shown elsewhere on the page


def _describe(before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    if after and after.get("fixes"):
        return "; ".join(after["fixes"])
    if before and after:
        return ", ".join(f"{k}: {before[k] or '(none)'} → {after.get(k) or '(none)'}"
                         for k in before if before[k] != after.get(k))  # fmt: skip
    return ", ".join(f"{k}: {v}" for k, v in (after or {}).items() if k not in _HIDDEN)


def _lines_view(uow: UnitOfWork, claim_id: int) -> list[dict[str, Any]]:
    return [
        {"id": x.id, "position": x.position, "date": x.date, "code": x.code,
         "modifiers": " ".join(x.modifiers), "minutes": x.minutes, "units": x.units,
         "charge": from_cents(x.charge_cents), "therapist": x.therapist,
         "assistant": x.assistant}
        for x in uow.reports.claim_lines(claim_id)
    ]  # fmt: skip


def claim_page(uow: UnitOfWork, claim_id: int) -> dict[str, Any]:
    """Everything the claim page shows: header, lines, context, findings, history, balances."""
    found = uow.reports.claim_header(claim_id)
    if found is None:
        raise NotFound("claim", claim_id)
    row, claim = found.brief, found
    users = _names(uow, {claim.created_by, claim.last_edited_by, claim.approved_by})
    ledger = balances(uow, claim_id=row.id)
    return {
        "claim": {
            "id": row.id,
            "number": row.number,
            "status": row.status,
            "payer": claim.payer,
            "patient": claim.patient,
            "mrn": claim.mrn,
            "date_of_service": row.date_of_service,
            "total_charge": from_cents(row.total_charge_cents),
            "errors": row.errors,
            "frequency_code": claim.frequency_code,
            "place_of_service": claim.place_of_service,
            "telehealth": claim.telehealth,
            "payer_claim_number": claim.payer_claim_number,
            "created_by": users.get(claim.created_by),
            "last_edited_by": users.get(claim.last_edited_by),
            "approved_by": users.get(claim.approved_by) if claim.approved_by else None,
            "created_by_id": claim.created_by,
            "last_edited_by_id": claim.last_edited_by,
            "editable": row.status in {s.value for s in EDITABLE},
        },
        "lines": _lines_view(uow, row.id),
        "context": _context(uow, row.id),
        "findings": claim.findings,
        "history": _history(uow, row.id),
        "balance": ledger.by_claim.get(row.id),
        "line_balances": dict(ledger.by_line),
        "chain": claim_chain(uow, row.id),  # primary → secondary → tertiary → patient
    }
