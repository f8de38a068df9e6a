"""Denials for the biller: open ones in plain words, grouped by cause (reads only).

A denial is *open* while its claim is still ``denied`` or ``partially_paid`` and no appeal names
it. Days left count from ``today`` to the appeal deadline set when the 835 was posted
(:mod:`otbill.services.denials.open`). Filing an appeal is :mod:`otbill.services.denials.appeal`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, exists, func, select

from otbill.codes import carc, rarc
from otbill.domain.lifecycle import ClaimStatus
from otbill.domain.money import from_cents
from otbill.storage import UnitOfWork
from otbill.storage.tables import AppealRow, ClaimRow, DenialRow, PayerRow

__all__ = [
    "CauseGroup",
    "DenialPage",
    "DenialView",
    "denial_views",
    "open_denials",
]

PER_PAGE = 50
OPEN = (ClaimStatus.DENIED.value, ClaimStatus.PARTIALLY_PAID.value)


@dataclass(frozen=True, slots=True)
class CodeView:
    group: str
    code: str
    text: str
    amount: Decimal | None = None


@dataclass(frozen=True, slots=True)
class DenialView:
    id: int
    claim_id: int
    claim_number: str
    claim_status: str
    payer: str
    carc: str
    carc_text: str
    codes: list[CodeView]
    remarks: list[CodeView]
    amount: Decimal
    denied_on: dt.date
    deadline: dt.date | None
    days_left: int | None

    @property
    def passed(self) -> bool:
        return self.days_left is not None and self.days_left < 0


@dataclass(frozen=True, slots=True)
class CauseGroup:
    carc: str
    text: str
    count: int
    amount: Decimal


@dataclass(frozen=True, slots=True)
class DenialPage:
    rows: list[DenialView]
    groups: list[CauseGroup]
    total: int
    page: int
    pages: int
    payers: list[tuple[int, str]]


def _codes(row: DenialRow) -> list[CodeView]:
    out = []
    for c in row.codes or [{"group": row.group_code, "carc": row.carc, "amount": None}]:
        amount = Decimal(c["amount"]) if c.get("amount") not in (None, "") else None
        out.append(CodeView(c.get("group", ""), c["carc"], carc.describe(c["carc"]), amount))
    return out


def _view(row: DenialRow, claim: ClaimRow, payer: str, today: dt.date) -> DenialView:
    remarks = row.remarks or ([row.rarc] if row.rarc else [])
    deadline = row.appeal_deadline
    return DenialView(
        id=row.id,
        claim_id=claim.id,
        claim_number=claim.number,
        claim_status=claim.status,
        payer=payer,
        carc=row.carc,
        carc_text=carc.describe(row.carc) if row.carc else "No reason code given.",
        codes=_codes(row),
        remarks=[CodeView("", r, rarc.describe(r)) for r in remarks],
        amount=from_cents(row.amount_cents),
        denied_on=row.denied_on,
        deadline=deadline,
        days_left=(deadline - today).days if deadline else None,
    )


def _open_where(uow: UnitOfWork, payer_id: int | None, code: str | None) -> list[Any]:
    appealed = exists().where(AppealRow.denial_id == DenialRow.id)
    where: list[ColumnElement[bool]] = [
        DenialRow.clinic_id == uow.clinic_id,
        ClaimRow.status.in_(OPEN),
        ~appealed,
    ]
    if payer_id is not None:
        where.append(ClaimRow.payer_id == payer_id)
    if code:
        where.append(DenialRow.carc == code)
    return where


def _groups(uow: UnitOfWork, where: list[Any]) -> list[CauseGroup]:
    query = (
        select(DenialRow.carc, func.count(), func.coalesce(func.sum(DenialRow.amount_cents), 0))
        .join(ClaimRow, ClaimRow.id == DenialRow.claim_id)
        .where(*where)
        .group_by(DenialRow.carc)
    )
    groups = [
        CauseGroup(c, carc.describe(c) if c else "No reason code given.", n, from_cents(cents))
        for c, n, cents in uow.session.execute(query)
    ]
    return sorted(groups, key=lambda g: (-g.amount, g.carc))


def denial_views(
    uow: UnitOfWork, where: list[Any], today: dt.date, *, limit: int, offset: int = 0
) -> list[DenialView]:
    """Denials (joined to their claim and payer) matching ``where``, soonest deadline first."""
    query = (
        select(DenialRow, ClaimRow, PayerRow.name)
        .join(ClaimRow, ClaimRow.id == DenialRow.claim_id)
        .join(PayerRow, PayerRow.id == ClaimRow.payer_id)
        .where(DenialRow.clinic_id == uow.clinic_id, *where)
        .order_by(DenialRow.appeal_deadline, DenialRow.id)
        .limit(limit)
        .offset(offset)
    )
    return [_view(d, c, p, today) for d, c, p in uow.session.execute(query)]


def open_denials(
    uow: UnitOfWork,
    today: dt.date,
    *,
    payer_id: int | None = None,
    code: str | None = None,
    page: int = 1,
) -> DenialPage:
    """One page of open denials (filtered by payer and CARC), and all open ones by cause."""
    where = _open_where(uow, payer_id, code)
    groups = _groups(uow, _open_where(uow, payer_id, None))
    total = sum(g.count for g in groups if not code or g.carc == code)
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(1, page), pages)
    rows = denial_views(uow, where, today, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    payers = [(p.id, p.name) for p in uow.records.find(PayerRow, order=PayerRow.name)]
    return DenialPage(rows, groups, total, page, pages, payers)
