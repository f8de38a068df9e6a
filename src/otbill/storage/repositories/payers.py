"""Payers and the fee schedule (per payer, or the clinic's default when no payer is named).

Reads return domain records (:class:`Payer`, :class:`Fee`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import or_

from otbill.domain.charges import Fee
from otbill.domain.parties import Payer
from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.repositories.rows import as_fee, as_payer, fetch, scoped
from otbill.storage.tables import FeeScheduleRow, PayerRow

__all__ = ["PayerRepository"]


class PayerRepository(ClinicScoped):
    """Payers and the fee schedule."""

    def get(self, payer_id: int) -> Payer:
        """The payer (:class:`NotFound` when not this clinic's); primary key."""
        return as_payer(fetch(self.session, PayerRow, self.clinic_id, payer_id))

    def all(self) -> list[Payer]:
        """Every payer of the clinic, by id (a handful: unique (clinic_id, payer_code))."""
        query = scoped(PayerRow, self.clinic_id).order_by(PayerRow.id)
        return [as_payer(p) for p in self.session.scalars(query)]

    def by_code(self, payer_code: str) -> Payer | None:
        """The payer with this EDI payer id, else None; unique (clinic_id, payer_code)."""
        query = scoped(PayerRow, self.clinic_id).where(PayerRow.payer_code == payer_code)
        row = self.session.scalars(query.limit(1)).first()
        return as_payer(row) if row else None

    def fee_schedule(self) -> list[Fee]:
        """The whole fee schedule, oldest effective date first; unique (clinic_id, payer_id, code,
        effective_from)."""
        query = scoped(FeeScheduleRow, self.clinic_id)
        query = query.order_by(FeeScheduleRow.effective_from, FeeScheduleRow.id)
        return [as_fee(f) for f in self.session.scalars(query)]

    def fees_on(self, payer_id: int, codes: Iterable[str], on: dt.date) -> list[Fee]:
        """Fees of these codes effective by ``on``, the payer's own and the clinic defaults,
        oldest first; unique (clinic_id, payer_id, code, effective_from)."""
        query = scoped(FeeScheduleRow, self.clinic_id).where(
            FeeScheduleRow.code.in_(list(codes)),
            FeeScheduleRow.effective_from <= on,
            or_(FeeScheduleRow.payer_id == payer_id, FeeScheduleRow.payer_id.is_(None)),
        )
        query = query.order_by(FeeScheduleRow.effective_from, FeeScheduleRow.id)
        return [as_fee(f) for f in self.session.scalars(query)]
