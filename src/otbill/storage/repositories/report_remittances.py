"""Remittances as the biller reads them: the list, one remittance, what it posted and matched.

The list's claim counts are the ones recorded when the 835 file was posted (``edi_file.summary``,
found by the file's SHA-256 through a unique index), so the list reads no postings. Named queries
return plain records; ORM rows stay inside ``otbill.storage``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, select
from sqlalchemy.orm import aliased

from otbill.domain.ledger import Kind
from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.tables import (
    ClaimRow,
    EdiFileRow,
    PayerRow,
    PostingRow,
    RemittanceRow,
    WorkItemRow,
)

__all__ = [
    "ClaimPostings",
    "DepositFigures",
    "PlbLine",
    "RemittanceLine",
    "RemittanceReports",
    "WorkItemLine",
]

#: The work-queue kind of an 835's provider-level adjustment.
PLB_KIND = "PLB"


@dataclass(frozen=True, slots=True)
class RemittanceLine:
    """A remittance with its payer's name, its file's name and the counts recorded at posting."""

    id: int
    payer_id: int | None
    payer: str | None
    payer_code: str | None
    trace_number: str
    paid_on: dt.date
    total_cents: int
    file_name: str | None
    file_summary: Any  # the posting summary (a dict of counts) when the file recorded one


@dataclass(frozen=True, slots=True)
class ClaimPostings:
    """One claim's postings from one remittance, summed by kind (cents)."""

    claim_id: int
    number: str
    status: str
    paid_cents: int
    adjusted_cents: int
    transferred_cents: int


@dataclass(frozen=True, slots=True)
class WorkItemLine:
    id: int
    reference: str
    reason: str
    paid_cents: int
    charge_cents: int
    resolved: bool


@dataclass(frozen=True, slots=True)
class PlbLine:
    """A provider-level adjustment of the remittance: its effect on the payment, and whether the
    biller has posted it to the ledger."""

    id: int
    reference: str
    reason: str
    amount_cents: int
    posted: bool


@dataclass(frozen=True, slots=True)
class DepositFigures:
    """What the ledger holds of one remittance: claim payments net of reversals, and its PLBs."""

    claim_payments_cents: int
    plbs: list[PlbLine]


class RemittanceReports(ClinicScoped):
    """Posted remittances: the list, one in detail, its claims and its unmatched entries."""

    def _remittance_query(self) -> Select[Any]:
        file_join = and_(
            EdiFileRow.clinic_id == RemittanceRow.clinic_id,
            EdiFileRow.direction == "in",
            EdiFileRow.sha256 == RemittanceRow.file_sha256,
        )
        return (
            select(RemittanceRow, PayerRow.name, EdiFileRow.name, EdiFileRow.summary)
            .outerjoin(PayerRow, PayerRow.id == RemittanceRow.payer_id)
            .outerjoin(EdiFileRow, file_join)
            .where(RemittanceRow.clinic_id == self.clinic_id)
        )

    def _remittance_rows(self, query: Select[Any]) -> list[RemittanceLine]:
        return [
            RemittanceLine(
                r.id,
                r.payer_id,
                payer,
                r.payer_code,
                r.trace_number,
                r.paid_on,
                r.total_cents,
                name,
                summary,
            )
            for r, payer, name, summary in self.session.execute(query)
        ]

    def remittance_count(self) -> int:
        query = select(func.count()).select_from(RemittanceRow)
        return int(self.session.scalar(query.where(RemittanceRow.clinic_id == self.clinic_id)) or 0)

    def remittance_lines(self, *, limit: int, offset: int) -> list[RemittanceLine]:
        """A page of remittances, newest payment first."""
        query = self._remittance_query().order_by(
            RemittanceRow.paid_on.desc(), RemittanceRow.id.desc()
        )
        return self._remittance_rows(query.limit(limit).offset(offset))

    def remittance_line(self, remittance_id: int) -> RemittanceLine | None:
        found = self._remittance_rows(
            self._remittance_query().where(RemittanceRow.id == remittance_id)
        )
        return found[0] if found else None

    def claims_posted(self, remittance_id: int, *, limit: int) -> list[ClaimPostings]:
        """The claims a remittance posted to, by claim number, with payment, adjustment and
        transfer to the patient summed."""

        def total(kind: Kind) -> Any:
            cond: ColumnElement[bool] = PostingRow.kind == kind.value
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
            .where(
                PostingRow.clinic_id == self.clinic_id, PostingRow.remittance_id == remittance_id
            )
            .group_by(ClaimRow.id, ClaimRow.number, ClaimRow.status)
            .order_by(ClaimRow.number)
            .limit(limit)
        )
        return [ClaimPostings(*row) for row in self.session.execute(query)]

    def remittance_work_items(self, remittance_id: int) -> list[WorkItemLine]:
        """The remittance's entries that matched no claim (or could not be posted), in order."""
        query = (
            select(WorkItemRow)
            .where(
                WorkItemRow.clinic_id == self.clinic_id, WorkItemRow.remittance_id == remittance_id
            )
            .order_by(WorkItemRow.id)
        )
        return [
            WorkItemLine(
                w.id, w.reference, w.reason, w.paid_cents, w.charge_cents, w.resolved_at is not None
            )
            for w in self.session.scalars(query)
        ]

    def deposit_figures(self, remittance_id: int) -> DepositFigures:
        """Payments posted to claims under this remittance, less the reversals of payments it
        made, and its PLB work items; ``ix_posting_remittance``."""
        reversed_posting = aliased(PostingRow)
        payments = select(func.coalesce(func.sum(PostingRow.amount_cents), 0)).where(
            PostingRow.clinic_id == self.clinic_id,
            PostingRow.remittance_id == remittance_id,
            PostingRow.kind == Kind.PAYMENT.value,
        )
        reversals = (
            select(func.coalesce(func.sum(PostingRow.amount_cents), 0))
            .join(reversed_posting, reversed_posting.id == PostingRow.reverses_id)
            .where(
                PostingRow.clinic_id == self.clinic_id,
                PostingRow.remittance_id == remittance_id,
                PostingRow.kind == Kind.REVERSAL.value,
                reversed_posting.kind == Kind.PAYMENT.value,
            )
        )
        net = int(self.session.scalar(payments) or 0) - int(self.session.scalar(reversals) or 0)
        query = (
            select(WorkItemRow)
            .where(
                WorkItemRow.clinic_id == self.clinic_id,
                WorkItemRow.remittance_id == remittance_id,
                WorkItemRow.kind == PLB_KIND,
            )
            .order_by(WorkItemRow.id)
        )
        plbs = [
            PlbLine(w.id, w.reference, w.reason, w.paid_cents, w.resolved_at is not None)
            for w in self.session.scalars(query)
        ]
        return DepositFigures(net, plbs)
