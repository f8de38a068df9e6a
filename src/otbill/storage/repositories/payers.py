"""Payers and the fee schedule (per payer, or the clinic's default when no payer is named).

Reads return domain records (:class:`Payer`, :class:`Fee`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import or_

from otbill.domain.charges import Fee
from otbill.domain.clinic_setup import Address, PayerTerms
from otbill.domain.parties import Payer
from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.repositories.rows import as_fee, as_payer, fetch, flush, scoped
from otbill.storage.tables import FeeScheduleRow, PayerRow

__all__ = ["PayerRepository"]

_CLAIM_ADDRESS = ("claim_line1", "claim_city", "claim_state", "claim_zip")
_TERMS = ("network", "timely_filing_days", "appeal_days", "contract_notes")


def _terms(row: PayerRow) -> PayerTerms:
    line1, city, state, zip_code = (getattr(row, name) for name in _CLAIM_ADDRESS)
    address = Address(line1, city or "", state or "", zip_code or "") if line1 else None
    return PayerTerms(row.id, row.payer_code, row.name, row.profile, row.network or "in", address,
                      row.timely_filing_days, row.appeal_days, row.contract_notes)  # fmt: skip


def _terms_columns(terms: PayerTerms) -> dict[str, Any]:
    address = terms.claim_address
    values: dict[str, Any] = {name: getattr(terms, name) for name in _TERMS}
    parts = (address.line1, address.city, address.state, address.zip) if address else (None,) * 4
    return values | dict(zip(_CLAIM_ADDRESS, parts, strict=True))


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

    def terms(self) -> list[PayerTerms]:
        """Every payer with the clinic's contract terms, by name (the admin list)."""
        query = scoped(PayerRow, self.clinic_id).order_by(PayerRow.name, PayerRow.id)
        return [_terms(p) for p in self.session.scalars(query)]

    def terms_of(self, payer_id: int) -> PayerTerms:
        """One payer's terms (:class:`NotFound` when not this clinic's); primary key."""
        return _terms(fetch(self.session, PayerRow, self.clinic_id, payer_id))

    def add(self, terms: PayerTerms) -> int:
        """A new payer with its terms (the id of ``terms`` is ignored); returns the new id."""
        row = PayerRow(
            clinic_id=self.clinic_id,
            payer_code=terms.payer_code,
            name=terms.name,
            profile=terms.profile,
            **_terms_columns(terms),
        )
        self.session.add(row)
        flush(self.session)
        return row.id

    def change(self, terms: PayerTerms) -> None:
        """Replace the payer's name, profile and terms with ``terms`` (same id)."""
        row = fetch(self.session, PayerRow, self.clinic_id, terms.id, for_update=True)
        row.payer_code, row.name, row.profile = terms.payer_code, terms.name, terms.profile
        for name, value in _terms_columns(terms).items():
            setattr(row, name, value)
        flush(self.session)
