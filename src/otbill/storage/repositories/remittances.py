"""Remittances: one row per 835 payment (or patient receipt batch), unique by payer and trace."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_

from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.repositories.rows import flush, scoped
from otbill.storage.tables import RemittanceRow

__all__ = ["RemittanceRepository"]


class RemittanceRepository(ClinicScoped):
    """Remittances of the clinic."""

    def find_id(self, payer_id: int | None, payer_code: str, trace_number: str) -> int | None:
        """The remittance with this trace number from this payer (or, for a payer we do not
        know, this payer code), else None; unique (clinic_id, payer_id, trace_number)."""
        same_payer = (
            RemittanceRow.payer_id == payer_id
            if payer_id
            else and_(RemittanceRow.payer_id.is_(None), RemittanceRow.payer_code == payer_code)
        )
        query = scoped(RemittanceRow, self.clinic_id).where(
            RemittanceRow.trace_number == trace_number, same_payer
        )
        row = self.session.scalars(query.limit(1)).first()
        return row.id if row else None

    def add(
        self,
        *,
        payer_id: int | None,
        payer_code: str | None,
        trace_number: str,
        paid_on: dt.date,
        total_cents: int,
        file_sha256: str,
    ) -> int:
        """A new remittance; returns its id."""
        row = RemittanceRow(clinic_id=self.clinic_id, payer_id=payer_id, payer_code=payer_code,
                            trace_number=trace_number, paid_on=paid_on, total_cents=total_cents,
                            file_sha256=file_sha256)  # fmt: skip
        self.session.add(row)
        flush(self.session)
        return row.id
