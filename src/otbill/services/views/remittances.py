"""Remittances posted, for the biller: the list (50 a page) and one remittance in detail.

The list's claim counts (matched, paid, partially paid, denied, unmatched) are the ones recorded
when the 835 file was posted, so the page reads no postings. The detail page reads the remittance's
postings, denials and work-queue items. The queries are ``uow.reports``'.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from otbill.domain.money import from_cents
from otbill.domain.record_errors import NotFound
from otbill.services.views.denials import DenialView, denial_view
from otbill.storage import UnitOfWork
from otbill.storage.repositories.report_remittances import RemittanceLine

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


def _summary(line: RemittanceLine) -> RemittanceSummary:
    data = line.file_summary
    counts = {k: int(data.get(k, 0)) for k in _COUNTS} if isinstance(data, dict) else {}
    return RemittanceSummary(
        id=line.id,
        payer=line.payer or line.payer_code or "unknown payer",
        trace_number=line.trace_number,
        paid_on=line.paid_on,
        total=from_cents(line.total_cents),
        file_name=line.file_name or "",
        counts=counts,
    )


def list_remittances(uow: UnitOfWork, page: int = 1) -> RemittancePage:
    """Remittances, newest payment first, 50 a page."""
    total = uow.reports.remittance_count()
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(1, page), pages)
    lines = uow.reports.remittance_lines(limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    return RemittancePage([_summary(line) for line in lines], total, page, pages)


def remittance_detail(uow: UnitOfWork, remittance_id: int, today: dt.date) -> RemittanceDetail:
    """What one remittance matched and paid, what it denied and why, and what matched nothing."""
    found = uow.reports.remittance_line(remittance_id)
    if found is None:
        raise NotFound("remittance", remittance_id)
    claims = [
        ClaimPosted(
            c.claim_id,
            c.number,
            c.status,
            from_cents(c.paid_cents),
            from_cents(c.adjusted_cents),
            from_cents(c.transferred_cents),
        )
        for c in uow.reports.claims_posted(remittance_id, limit=DETAIL_LIMIT + 1)
    ]
    denials = [
        denial_view(line, today)
        for line in uow.reports.remittance_denial_lines(remittance_id, limit=DETAIL_LIMIT)
    ]
    items = uow.reports.remittance_work_items(remittance_id)
    unmatched = [
        UnmatchedLine(
            w.id,
            w.reference,
            w.reason,
            from_cents(w.paid_cents),
            from_cents(w.charge_cents),
            w.resolved,
        )
        for w in items[:DETAIL_LIMIT]
    ]
    return RemittanceDetail(
        _summary(found), claims[:DETAIL_LIMIT], denials, unmatched, len(claims) > DETAIL_LIMIT
    )
