"""Posting to the ledger: charges, payments, adjustments, patient responsibility, reversals.

Why select-then-insert on the source key: reposting the same 835 must change nothing, and the
unique (clinic_id, source_key) constraint backs it up when two transactions race. After each
operation the claim's balances are re-derived and the invariants checked, inside the transaction:
a violation (a bug) rolls the whole operation back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from otbill.domain.ledger import Balances, Kind, Posting, check_invariants, realize
from otbill.domain.money import from_cents, to_cents
from otbill.domain.record_errors import RecordError
from otbill.storage import UnitOfWork
from otbill.storage.audit import utcnow
from otbill.storage.tables import ClaimLineRow, ClaimRow, PostingRow

__all__ = ["LedgerEntry", "balances", "post", "reverse"]

_GROUPS = {"CO", "OA", "PI", "PR"}


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """What to post: ``kind`` on one claim line, with the key that makes it unique."""

    source_key: str
    kind: Kind
    claim_line_id: int
    amount: Decimal
    payer_side: bool = True
    group_code: str | None = None
    carc: str | None = None
    rarc: str | None = None
    remittance_id: int | None = None


def _validate(entry: LedgerEntry) -> None:
    if entry.amount < 0:
        raise RecordError(f"posting {entry.source_key}: amount {entry.amount} is negative")
    if entry.kind is Kind.REVERSAL:
        raise RecordError(f"posting {entry.source_key}: use reverse() for reversals")
    if entry.kind is Kind.ADJUSTMENT and (
        entry.group_code not in _GROUPS - {"PR"} or not entry.carc
    ):
        raise RecordError(
            f"posting {entry.source_key}: an adjustment needs group CO, OA or PI "
            "and a CARC (group PR is a transfer to patient responsibility)"
        )


def _existing(uow: UnitOfWork, source_key: str) -> PostingRow | None:
    return uow.records.first(PostingRow, PostingRow.source_key == source_key)


def post(uow: UnitOfWork, entry: LedgerEntry, on: dt.date) -> tuple[int, bool]:
    """Post ``entry``; returns (posting id, created). An already-posted source key is a no-op."""
    _validate(entry)
    found = _existing(uow, entry.source_key)
    if found is not None:
        return found.id, False
    line = uow.records.get(ClaimLineRow, entry.claim_line_id)
    claim = uow.records.get(ClaimRow, line.claim_id)
    row = uow.records.add(
        PostingRow(
            source_key=entry.source_key,
            kind=entry.kind.value,
            amount_cents=to_cents(entry.amount),
            claim_id=claim.id,
            claim_line_id=line.id,
            patient_id=claim.patient_id,
            payer_id=claim.payer_id,
            payer_side=entry.payer_side,
            group_code=entry.group_code,
            carc=entry.carc,
            rarc=entry.rarc,
            remittance_id=entry.remittance_id,
            posted_on=on,
            posted_at=utcnow(),
            posted_by=uow.actor_id,
        )
    )
    uow.flush()
    _audit(uow, row)
    _check_claim(uow, claim.id)
    return row.id, True


def reverse(uow: UnitOfWork, posting_id: int, source_key: str, on: dt.date) -> tuple[int, bool]:
    """Undo one posting with a reversal posting (the original stays, as in any ledger)."""
    found = _existing(uow, source_key)
    if found is not None:
        return found.id, False
    original = uow.records.get(PostingRow, posting_id)
    if original.kind == Kind.REVERSAL:
        raise RecordError(f"posting {posting_id}: a reversal cannot be reversed; post anew")
    if uow.records.first(PostingRow, PostingRow.reverses_id == posting_id) is not None:
        raise RecordError(f"posting {posting_id}: already reversed")
    row = uow.records.add(
        PostingRow(
            source_key=source_key,
            kind=Kind.REVERSAL.value,
            amount_cents=original.amount_cents,
            claim_id=original.claim_id,
            claim_line_id=original.claim_line_id,
            patient_id=original.patient_id,
            payer_id=original.payer_id,
            payer_side=original.payer_side,
            reverses_id=original.id,
            posted_on=on,
            posted_at=utcnow(),
            posted_by=uow.actor_id,
        )
    )
    uow.flush()
    _audit(uow, row)
    _check_claim(uow, original.claim_id)
    return row.id, True


def _audit(uow: UnitOfWork, row: PostingRow) -> None:
    uow.audit.record(
        uow.actor_id,
        f"posting.{row.kind}",
        "posting",
        row.id,
        None,
        {
            "source_key": row.source_key,
            "amount": from_cents(row.amount_cents),
            "claim_id": row.claim_id,
            "claim_line_id": row.claim_line_id,
            "payer_side": row.payer_side,
            "group_code": row.group_code,
            "carc": row.carc,
            "rarc": row.rarc,
            "reverses": row.reverses_id,
        },
    )


def _as_posting(row: PostingRow) -> Posting:
    return Posting(
        id=row.id,
        source_key=row.source_key,
        kind=Kind(row.kind),
        amount=from_cents(row.amount_cents),
        claim_id=row.claim_id,
        line_id=row.claim_line_id,
        patient_id=row.patient_id,
        payer_id=row.payer_id,
        payer_side=row.payer_side,
        group_code=row.group_code,
        carc=row.carc,
        reverses=row.reverses_id,
    )


def balances(
    uow: UnitOfWork,
    *,
    claim_id: int | None = None,
    patient_id: int | None = None,
    payer_id: int | None = None,
) -> Balances:
    """Derived balances of the clinic's postings (optionally of one claim, patient or payer)."""
    query = uow.records.select(PostingRow).order_by(PostingRow.id)
    for column, value in (
        (PostingRow.claim_id, claim_id),
        (PostingRow.patient_id, patient_id),
        (PostingRow.payer_id, payer_id),
    ):
        if value is not None:
            query = query.where(column == value)
    return realize(_as_posting(row) for row in uow.session.scalars(query))


def _check_claim(uow: UnitOfWork, claim_id: int) -> None:
    check_invariants(balances(uow, claim_id=claim_id))


def posted_keys(uow: UnitOfWork, prefix: str) -> set[str]:
    query = select(PostingRow.source_key).where(
        PostingRow.clinic_id == uow.clinic_id, PostingRow.source_key.startswith(prefix)
    )
    return set(uow.session.scalars(query))
