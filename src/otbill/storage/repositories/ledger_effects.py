"""Ledger arithmetic in SQL, as :mod:`otbill.domain.ledger` does it in Python: a reversal negates
the posting it reverses (outer-join ``ORIGINAL`` on ``posting.reverses_id``); a transfer moves the
payer's share to the patient. Shared by the report repositories and the owner's summaries."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, and_, case, select
from sqlalchemy.orm import aliased

from otbill.storage.repositories.id_lists import ids_per_statement, one_of
from otbill.storage.tables import DenialRow, PostingRow

__all__ = [
    "AMOUNT", "KIND", "ORIGINAL", "PATIENT_EFFECT", "PAYER_EFFECT", "PAYER_SIDE", "PAYMENT",
    "decided_and_denied", "originals_of",
]  # fmt: skip

ORIGINAL = aliased(PostingRow)
_REVERSAL = PostingRow.kind == "reversal"
#: The kind, payer side and signed cents a posting counts as (a reversal: its original's, negated).
KIND = case((_REVERSAL, ORIGINAL.kind), else_=PostingRow.kind)
PAYER_SIDE = case((_REVERSAL, ORIGINAL.payer_side), else_=PostingRow.payer_side)
AMOUNT = PostingRow.amount_cents * case((_REVERSAL, -1), else_=1)
PAYMENT = KIND == "payment"
#: What a posting adds to its line's insurance and patient balances.
PAYER_EFFECT = case(
    (KIND == "charge", AMOUNT),
    (KIND.in_(("adjustment", "transfer")), -AMOUNT),
    (and_(PAYMENT, PAYER_SIDE.is_(True)), -AMOUNT),
    else_=0,
)
PATIENT_EFFECT = case(
    (KIND == "transfer", AMOUNT),
    (and_(PAYMENT, PAYER_SIDE.is_(False)), -AMOUNT),
    else_=0,
)


def decided_and_denied(clinic_id: int | None) -> tuple[Any, Any]:
    """Two subqueries of ``claim_id``, each claim once: the claims a payer decided (a remittance
    posted to them) and the claims with a denial, of every clinic or one. Joined by the owner's
    claim outcomes and the dashboard's rollups (joins, not ``IN`` in a select list: on PostgreSQL
    that was a plain sub-plan, the denials scanned again for every claim)."""
    decided = select(PostingRow.claim_id.label("claim_id")).where(
        PostingRow.remittance_id.is_not(None)
    )
    denied = select(DenialRow.claim_id.label("claim_id"))
    if clinic_id is not None:
        decided = decided.where(PostingRow.clinic_id == clinic_id)
        denied = denied.where(DenialRow.clinic_id == clinic_id)
    return (
        decided.group_by(PostingRow.claim_id).subquery(),
        denied.group_by(DenialRow.claim_id).subquery(),
    )


def originals_of(connection: Connection, postings: Iterable[Any]) -> dict[int, tuple[Any, ...]]:
    """Posting id -> (kind, payer side, group code) of the postings these reverse: what the
    kept tables' listeners need to net a flush's reversals in Python (``ORIGINAL``'s columns)."""
    ids = sorted({p.reverses_id for p in postings if p.reverses_id is not None})
    out: dict[int, tuple[Any, ...]] = {}
    query = select(PostingRow.id, PostingRow.kind, PostingRow.payer_side, PostingRow.group_code)
    for start in range(0, len(ids), step := ids_per_statement(connection)):
        rows = connection.execute(query.where(one_of(PostingRow.id, ids[start : start + step])))
        out.update((i, (kind, side, group)) for i, kind, side, group in rows)
    return out
