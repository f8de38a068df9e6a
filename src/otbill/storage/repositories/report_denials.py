"""Denials as the biller reads them: open ones by cause, a page of them, a remittance's.

A denial is *open* while its claim is still ``denied`` or ``partially_paid`` and no appeal names
it. Named queries return plain records; ORM rows stay inside ``otbill.storage``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, exists, func, select

from otbill.domain.lifecycle import ClaimStatus
from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.tables import AppealRow, ClaimRow, DenialRow, PayerRow

__all__ = ["DenialLine", "DenialReports"]

OPEN = (ClaimStatus.DENIED.value, ClaimStatus.PARTIALLY_PAID.value)


@dataclass(frozen=True, slots=True)
class DenialLine:
    """One denial with its claim's number and status and the payer's name."""

    id: int
    claim_id: int
    claim_number: str
    claim_status: str
    payer: str
    group_code: str
    carc: str
    rarc: str | None
    codes: list[dict[str, Any]] | None  # every code of the denial: group, carc, amount, line
    remarks: list[str] | None
    amount_cents: int
    denied_on: dt.date
    appeal_deadline: dt.date | None


class DenialReports(ClinicScoped):
    """Open denials (unappealed, claim still denied or partially paid) and a remittance's."""

    def _open(self, payer_id: int | None, carc: str | None) -> list[ColumnElement[bool]]:
        appealed = exists().where(AppealRow.denial_id == DenialRow.id)
        where: list[ColumnElement[bool]] = [
            DenialRow.clinic_id == self.clinic_id,
            ClaimRow.status.in_(OPEN),
            ~appealed,
        ]
        if payer_id is not None:
            where.append(ClaimRow.payer_id == payer_id)
        if carc:
            where.append(DenialRow.carc == carc)
        return where

    def open_denial_causes(self, payer_id: int | None) -> list[tuple[str, int, int]]:
        """(CARC, open denials, denied cents) of the open denials, per CARC."""
        query = (
            select(DenialRow.carc, func.count(), func.coalesce(func.sum(DenialRow.amount_cents), 0))
            .join(ClaimRow, ClaimRow.id == DenialRow.claim_id)
            .where(*self._open(payer_id, None))
            .group_by(DenialRow.carc)
        )
        return [(c, int(n), int(cents)) for c, n, cents in self.session.execute(query)]

    def open_denial_lines(
        self, payer_id: int | None, carc: str | None, *, limit: int, offset: int
    ) -> list[DenialLine]:
        """A page of open denials, soonest appeal deadline first."""
        return self._denials(self._open(payer_id, carc), limit, offset)

    def remittance_denial_lines(self, remittance_id: int, *, limit: int) -> list[DenialLine]:
        """The denials a remittance brought, soonest appeal deadline first."""
        return self._denials([DenialRow.remittance_id == remittance_id], limit, 0)

    def _denials(
        self, where: list[ColumnElement[bool]], limit: int, offset: int
    ) -> list[DenialLine]:
        query = (
            select(DenialRow, ClaimRow.number, ClaimRow.status, PayerRow.name)
            .join(ClaimRow, ClaimRow.id == DenialRow.claim_id)
            .join(PayerRow, PayerRow.id == ClaimRow.payer_id)
            .where(DenialRow.clinic_id == self.clinic_id, *where)
            .order_by(DenialRow.appeal_deadline, DenialRow.id)
            .limit(limit)
            .offset(offset)
        )
        return [
            DenialLine(
                d.id,
                d.claim_id,
                number,
                status,
                payer,
                d.group_code,
                d.carc,
                d.rarc,
                d.codes,
                d.remarks,
                d.amount_cents,
                d.denied_on,
                d.appeal_deadline,
            )
            for d, number, status, payer in self.session.execute(query)
        ]
