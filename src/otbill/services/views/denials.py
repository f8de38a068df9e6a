"""Denials for the biller: open ones in plain words, grouped by cause (reads only).

A denial is *open* while its claim is still ``denied`` or ``partially_paid`` and no appeal names
it. Days left count from ``today`` to the appeal deadline set when the 835 was posted
(:mod:`otbill.services.denials.open`); the queries are ``uow.reports``'. Filing an appeal is
:mod:`otbill.services.denials.appeal`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from otbill.codes import carc, rarc
from otbill.domain.money import from_cents
from otbill.services.views.choices import payer_choices
from otbill.storage import UnitOfWork
from otbill.storage.repositories.report_denials import DenialLine

__all__ = [
    "CauseGroup",
    "DenialPage",
    "DenialView",
    "denial_view",
    "open_denials",
]

PER_PAGE = 50


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


def _codes(row: DenialLine) -> list[CodeView]:
    out = []
    for c in row.codes or [{"group": row.group_code, "carc": row.carc, "amount": None}]:
        amount = Decimal(c["amount"]) if c.get("amount") not in (None, "") else None
        out.append(CodeView(c.get("group", ""), c["carc"], carc.describe(c["carc"]), amount))
    return out


def denial_view(row: DenialLine, today: dt.date) -> DenialView:
    """A denial in plain words, with the days left to appeal as of ``today``."""
    remarks = row.remarks or ([row.rarc] if row.rarc else [])
    deadline = row.appeal_deadline
    return DenialView(
        id=row.id,
        claim_id=row.claim_id,
        claim_number=row.claim_number,
        claim_status=row.claim_status,
        payer=row.payer,
        carc=row.carc,
        carc_text=carc.describe(row.carc) if row.carc else "No reason code given.",
        codes=_codes(row),
        remarks=[CodeView("", r, rarc.describe(r)) for r in remarks],
        amount=from_cents(row.amount_cents),
        denied_on=row.denied_on,
        deadline=deadline,
        days_left=(deadline - today).days if deadline else None,
    )


def _groups(uow: UnitOfWork, payer_id: int | None) -> list[CauseGroup]:
    groups = [
        CauseGroup(c, carc.describe(c) if c else "No reason code given.", n, from_cents(cents))
        for c, n, cents in uow.reports.open_denial_causes(payer_id)
    ]
    return sorted(groups, key=lambda g: (-g.amount, g.carc))


def open_denials(
    uow: UnitOfWork,
    today: dt.date,
    *,
    payer_id: int | None = None,
    code: str | None = None,
    page: int = 1,
) -> DenialPage:
    """One page of open denials (filtered by payer and CARC), and all open ones by cause."""
    groups = _groups(uow, payer_id)
    total = sum(g.count for g in groups if not code or g.carc == code)
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(1, page), pages)
    lines = uow.reports.open_denial_lines(
        payer_id, code, limit=PER_PAGE, offset=(page - 1) * PER_PAGE
    )
    rows = [denial_view(line, today) for line in lines]
    return DenialPage(rows, groups, total, page, pages, payer_choices(uow))
