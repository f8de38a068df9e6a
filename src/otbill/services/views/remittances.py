"""Remittances posted, for the biller: the list (50 a page) and one remittance in detail.

The list's claim counts (matched, paid, partially paid, denied, unmatched) are the ones recorded
when the 835 file was posted (``edi_file.summary``, found by the file's SHA-256 through a unique
index), so the page reads no postings. The detail page reads the remittance's postings, denials
and work-queue items.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select

from otbill.domain.ledger import Kind
from otbill.domain.money import from_cents
from otbill.domain.record_errors import NotFound
from otbill.services.views.denials import DenialView, denial_views
from otbill.storage import UnitOfWork
from otbill.storage.tables import (
    ClaimRow,
    DenialRow,
    EdiFileRow,
    PayerRow,
    PostingRow,
    RemittanceRow,
    WorkItemRow,
)

__all__ = [
    "ClaimPosted",
    "RemittanceDetail",
    "RemittancePage",
    "RemittanceSummary",
    "list_remittances",
    "remittance_detail",
]

PER_PAGE = 50
DETAIL_LIMIT = 500
_COUNTS = ("claims", "matched", "paid", "partially_paid", "denied", "unmatched")


@dataclass(frozen=True, slots=True)
class RemittanceSummary:
    id: int
    payer: str
    trace_number: str
    paid_on: dt.date
    total: Decimal
    file_name: str
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RemittancePage:
    rows: list[RemittanceSummary]
    total: int
    page: int
    pages: int


@dataclass(frozen=True, slots=True)
class ClaimPosted:
    claim_id: int
    number: str
    status: str
    paid: Decimal
    adjusted: Decimal
    patient_owes: Decimal


@dataclass(frozen=True, slots=True)
class UnmatchedLine:
    id: int
    reference: str
    reason: str
    paid: Decimal
    charge: Decimal
    resolved: bool


@dataclass(frozen=True, slots=True)
class RemittanceDetail:
    summary: RemittanceSummary
    claims: list[ClaimPosted]
    denials: list[DenialView]
    unmatched: list[UnmatchedLine]
    truncated: bool


def _summary(
    row: RemittanceRow, payer: str | None, name: str | None, data: Any
) -> RemittanceSummary:
    counts = {k: int(data.get(k, 0)) for k in _COUNTS} if isinstance(data, dict) else {}
    return RemittanceSummary(
        id=row.id,
        payer=payer or row.payer_code or "unknown payer",
        trace_number=row.trace_number,
        paid_on=row.paid_on,
        total=from_cents(row.total_cents),
        file_name=name or "",
        counts=counts,
    )


def _base(uow: UnitOfWork) -> Any:
    file_join = and_(
        EdiFileRow.clinic_id == RemittanceRow.clinic_id,
        EdiFileRow.direction == "in",
        EdiFileRow.sha256 == RemittanceRow.file_sha256,
    )
    return (
        select(RemittanceRow, PayerRow.name, EdiFileRow.name, EdiFileRow.summary)
        .outerjoin(PayerRow, PayerRow.id == RemittanceRow.payer_id)
        .outerjoin(EdiFileRow, file_join)
        .where(RemittanceRow.clinic_id == uow.clinic_id)
    )


def list_remittances(uow: UnitOfWork, page: int = 1) -> RemittancePage:
    """Remittances, newest payment first, 50 a page."""
    total = uow.records.count(RemittanceRow)
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(1, page), pages)
    query = (
        _base(uow)
        .order_by(RemittanceRow.paid_on.desc(), RemittanceRow.id.desc())
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    )
    rows = [_summary(*r) for r in uow.session.execute(query)]
    return RemittancePage(rows, total, page, pages)


def _claims(uow: UnitOfWork, remittance_id: int) -> list[ClaimPosted]:
    def total(*kinds: Kind, group: str | None = None) -> Any:
        cond: ColumnElement[bool] = PostingRow.kind.in_([k.value for k in kinds])
        if group is not None:
            cond = and_(cond, PostingRow.group_code == group)
        return func.coalesce(func.sum(case((cond, PostingRow.amount_cents), else_=0)), 0)

    query = (
        select(
            ClaimRow.id,
            ClaimRow.number,
            ClaimRow.status,
            total(Kind.PAYMENT),
            total(Kind.ADJUSTMENT),
            total(Kind.TRANSFER),
        )
        .join(ClaimRow, ClaimRow.id == PostingRow.claim_id)
        .where(PostingRow.clinic_id == uow.clinic_id, PostingRow.remittance_id == remittance_id)
        .group_by(ClaimRow.id, ClaimRow.number, ClaimRow.status)
        .order_by(ClaimRow.number)
        .limit(DETAIL_LIMIT + 1)
    )
    return [
        ClaimPosted(i, n, s, from_cents(p), from_cents(a), from_cents(t))
        for i, n, s, p, a, t in uow.session.execute(query)
    ]


def remittance_detail(uow: UnitOfWork, remittance_id: int, today: dt.date) -> RemittanceDetail:
    """What one remittance matched and paid, what it denied and why, and what matched nothing."""
    found = uow.session.execute(_base(uow).where(RemittanceRow.id == remittance_id)).first()
    if found is None:
        raise NotFound("remittance", remittance_id)
    summary = _summary(*found)
    claims = _claims(uow, remittance_id)
    denials = denial_views(
        uow, [DenialRow.remittance_id == remittance_id], today, limit=DETAIL_LIMIT
    )
    items = uow.records.find(WorkItemRow, WorkItemRow.remittance_id == remittance_id)
    unmatched = [
        UnmatchedLine(
            w.id,
            w.reference,
            w.reason,
            from_cents(w.paid_cents),
            from_cents(w.charge_cents),
            w.resolved_at is not None,
        )
        for w in items[:DETAIL_LIMIT]
    ]
    return RemittanceDetail(
        summary, claims[:DETAIL_LIMIT], denials, unmatched, len(claims) > DETAIL_LIMIT
    )
