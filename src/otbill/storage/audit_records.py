"""The records against their audit trail: claims, postings and notes as the audit last saw them.

Why: the hash chain proves the audit rows were not changed, and the ledger invariant recomputes
balances from the postings — neither notices a posting's amount, a claim's status or a note
changed in the database behind otbill's back, or a payment deleted. Every change to these goes
through the audit trail with its after-state (what an 835 did to a claim, its postings, status
moves and payer's number, one event a claim: :mod:`otbill.domain.audit_postings`), so folding the events of each record (later keys
over earlier ones) gives what the record must hold now; any difference is named.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from otbill.domain.audit import jsonable
from otbill.domain.audit_postings import REMITTANCE_POSTINGS, claim_changes, posting_images
from otbill.domain.notes import TEXT_FIELDS
from otbill.storage.audit import AuditProblem
from otbill.storage.tables import AuditEventRow, ClaimRow, NoteRow, PostingRow

__all__ = ["records_against_audit"]

_ENTITIES = ("claim", "posting", "note")
_NOTE_KEYS = ("note_type", "signature")  # note-row fields the events record, besides the text


def _audited(session: Session, clinic_id: int) -> dict[str, dict[str, dict[str, Any]]]:
    """entity -> id -> the record's state folded from its events' after-images, oldest first."""
    state: dict[str, dict[str, dict[str, Any]]] = {e: defaultdict(dict) for e in _ENTITIES}
    query = (
        select(AuditEventRow.entity, AuditEventRow.entity_id, AuditEventRow.action,
               AuditEventRow.after)
        .where(AuditEventRow.clinic_id == clinic_id, AuditEventRow.entity.in_(_ENTITIES))
        .order_by(AuditEventRow.seq)
        .execution_options(yield_per=5000)
    )  # fmt: skip
    for entity, entity_id, action, after in session.execute(query):
        if action == REMITTANCE_POSTINGS:  # a claim's postings from a remittance, each its own
            for posting_id, image in posting_images(action, entity, entity_id, after):
                state["posting"][posting_id].update(image, _seen=True)
            for _, _, changed in claim_changes(after):  # its status moves, the payer's number
                state["claim"][entity_id].update(changed, _seen=True)
            continue
        folded = state[entity][entity_id]
        folded["_seen"] = True
        if entity == "note" and action == "note.amend":
            continue  # an amendment is its own row; the note's row stays as signed
        if isinstance(after, dict):
            folded.update(after)
    return state


def _cents(value: Any) -> int | None:
    try:
        return int(Decimal(str(value)) * 100)
    except (InvalidOperation, ValueError):
        return None


def _money(cents: int) -> str:
    return f"{Decimal(cents) / 100:.2f}"


def _claims(
    session: Session, clinic_id: int, audited: dict[str, dict[str, Any]]
) -> list[AuditProblem]:
    problems = []
    query = select(ClaimRow.id, ClaimRow.number, ClaimRow.status).where(
        ClaimRow.clinic_id == clinic_id
    )
    for claim_id, number, status in session.execute(query.order_by(ClaimRow.id)):
        where = f"claim {number} (id {claim_id})"
        seen = audited.pop(str(claim_id), None)
        if seen is None:
            problems.append(
                AuditProblem(0, None, "has no audit record (written outside otbill)", where)
            )
        elif "status" in seen and seen["status"] != status:
            said = f"status is {status}; the audit trail last recorded {seen['status']}"
            problems.append(AuditProblem(0, None, said, where))
    for claim_id, seen in audited.items():
        said = f"deleted (the audit trail recorded it as {seen.get('number', '?')})"
        problems.append(AuditProblem(0, None, said, f"claim id {claim_id}"))
    return problems


def _postings(
    session: Session, clinic_id: int, audited: dict[str, dict[str, Any]]
) -> list[AuditProblem]:
    problems = []
    query = select(PostingRow.id, PostingRow.source_key, PostingRow.amount_cents,
                   PostingRow.claim_id).where(PostingRow.clinic_id == clinic_id)  # fmt: skip
    for posting_id, key, cents, claim_id in session.execute(query.order_by(PostingRow.id)):
        where = f"posting {posting_id} ({key})"
        seen = audited.pop(str(posting_id), None)
        if seen is None:
            problems.append(
                AuditProblem(0, None, "has no audit record (written outside otbill)", where)
            )
            continue
        recorded = _cents(seen.get("amount"))
        if recorded is not None and recorded != cents:
            said = f"amount is {_money(cents)}; the audit trail recorded {_money(recorded)}"
            problems.append(AuditProblem(0, None, said, where))
        if seen.get("claim_id") not in (None, claim_id):
            said = f"belongs to claim id {claim_id}; the audit trail recorded {seen['claim_id']}"
            problems.append(AuditProblem(0, None, said, where))
    for posting_id, seen in audited.items():
        recorded = _cents(seen.get("amount"))
        amount = _money(recorded) if recorded is not None else "?"
        where = f"posting {posting_id} ({seen.get('source_key', '?')})"
        problems.append(
            AuditProblem(0, None, f"deleted (the audit trail recorded {amount})", where)
        )
    return problems


def _notes(
    session: Session, clinic_id: int, audited: dict[str, dict[str, Any]]
) -> list[AuditProblem]:
    problems = []
    query = select(NoteRow).where(NoteRow.clinic_id == clinic_id).order_by(NoteRow.id)
    for row in session.scalars(query):
        where = f"note {row.id}"
        seen = audited.pop(str(row.id), None)
        if seen is None:
            problems.append(
                AuditProblem(0, None, "has no audit record (written outside otbill)", where)
            )
            continue
        now: dict[str, Any] = {**jsonable(row.content or {}), "note_type": row.note_type,
                               "signature": row.signature_name}  # fmt: skip
        for key in (*TEXT_FIELDS, *_NOTE_KEYS):
            if key in seen and now.get(key) != seen[key]:
                problems.append(AuditProblem(0, None, f"{key} differs from the audit trail", where))
    for note_id in audited:
        problems.append(AuditProblem(0, None, "deleted", f"note {note_id}"))
    return problems


def records_against_audit(session: Session, clinic_id: int) -> list[AuditProblem]:
    """Every claim, posting and note that differs from (or is missing from) its audit trail."""
    audited = _audited(session, clinic_id)
    return [
        *_claims(session, clinic_id, audited["claim"]),
        *_postings(session, clinic_id, audited["posting"]),
        *_notes(session, clinic_id, audited["note"]),
    ]
