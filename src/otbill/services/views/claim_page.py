"""The claim page's data: header, lines, the scrubbing context, findings, history, balances.

Everything is read in the caller's unit of work for one claim (by id, in the user's clinic); the
scrubbing context is rebuilt from the records the way a re-scrub would see them now.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from otbill.domain.lifecycle import EDITABLE
from otbill.domain.money import from_cents
from otbill.domain.record_errors import RecordError
from otbill.services.claims.fixes import assembled_claim
from otbill.services.ledger import balances
from otbill.storage import UnitOfWork
from otbill.storage.tables import (
    AuditEventRow,
    ClaimLineRow,
    ClaimRow,
    ClaimStatusRow,
    PatientRow,
    PayerRow,
    ProviderRow,
    UserRow,
)

__all__ = ["claim_page"]


def _names(uow: UnitOfWork, ids: set[int | None]) -> dict[int, str]:
    wanted = [i for i in ids if i is not None]
    return {u.id: u.full_name for u in uow.records.find(UserRow, UserRow.id.in_(wanted))}


def _context(uow: UnitOfWork, row: ClaimRow) -> dict[str, Any]:
    """The facts the scrubber judged the claim on, rebuilt from the records as they are now."""
    try:
        claim = assembled_claim(uow, row)
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
    events = uow.records.find(
        AuditEventRow,
        AuditEventRow.entity == "claim",
        AuditEventRow.entity_id == str(claim_id),
        order=AuditEventRow.seq,
    )
    if not events:
        moves = uow.records.find(ClaimStatusRow, ClaimStatusRow.claim_id == claim_id)
        names = _names(uow, {m.by_user for m in moves})
        return [
            {"at": m.at, "by": names.get(m.by_user, "?"), "what": "status",
             "from": m.from_status, "to": m.to_status, "detail": m.reason}
            for m in moves
        ]  # fmt: skip
    names = _names(uow, {e.actor_id for e in events})
    return [_event(e, names) for e in events]


def _event(e: AuditEventRow, names: dict[int, str]) -> dict[str, Any]:
    item = {"at": e.at, "by": names.get(e.actor_id or 0, "system"), "what": e.action,
            "from": None, "to": None, "detail": _describe(e.before, e.after)}  # fmt: skip
    if e.action == "claim.transition":
        after = e.after or {}
        item.update(what="status", to=after.get("status"), detail=after.get("reason", ""))
        item["from"] = (e.before or {}).get("status")
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
    query = (
        select(ClaimLineRow, ProviderRow.first_name, ProviderRow.last_name)
        .join(ProviderRow, ProviderRow.id == ClaimLineRow.rendering_provider_id)
        .where(ClaimLineRow.clinic_id == uow.clinic_id, ClaimLineRow.claim_id == claim_id)
        .order_by(ClaimLineRow.position)
    )
    return [
        {"id": x.id, "position": x.position, "date": x.date, "code": x.code,
         "modifiers": x.modifiers.replace(",", " "), "minutes": x.minutes, "units": x.units,
         "charge": from_cents(x.charge_cents), "therapist": f"{first} {last}",
         "assistant": x.furnished_by_assistant}
        for x, first, last in uow.session.execute(query)
    ]  # fmt: skip


def claim_page(uow: UnitOfWork, claim_id: int) -> dict[str, Any]:
    """Everything the claim page shows: header, lines, context, findings, history, balances."""
    row = uow.records.get(ClaimRow, claim_id)
    patient = uow.records.get(PatientRow, row.patient_id)
    payer = uow.records.get(PayerRow, row.payer_id)
    users = _names(uow, {row.created_by, row.last_edited_by, row.approved_by})
    ledger = balances(uow, claim_id=row.id)
    return {
        "claim": {
            "id": row.id,
            "number": row.number,
            "status": row.status,
            "payer": payer.name,
            "patient": f"{patient.first_name} {patient.last_name}",
            "mrn": patient.mrn,
            "date_of_service": row.date_of_service,
            "total_charge": from_cents(row.total_charge_cents),
            "errors": row.error_count,
            "frequency_code": row.frequency_code,
            "place_of_service": row.place_of_service,
            "telehealth": row.telehealth,
            "payer_claim_number": row.payer_claim_number,
            "created_by": users.get(row.created_by),
            "last_edited_by": users.get(row.last_edited_by),
            "approved_by": users.get(row.approved_by) if row.approved_by else None,
            "created_by_id": row.created_by,
            "last_edited_by_id": row.last_edited_by,
            "editable": row.status in {s.value for s in EDITABLE},
        },
        "lines": _lines_view(uow, row.id),
        "context": _context(uow, row),
        "findings": list(row.findings or []),
        "history": _history(uow, row.id),
        "balance": ledger.by_claim.get(row.id),
        "line_balances": dict(ledger.by_line),
    }
