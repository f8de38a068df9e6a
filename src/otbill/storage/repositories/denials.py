"""Denials opened from 835s and the appeals filed against them.

Reads return domain records (:class:`Denial`, :class:`Appeal`); writes take the same records.
"""

from __future__ import annotations

from sqlalchemy import func, select

from otbill.domain.appeals import Appeal, Denial
from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.repositories.rows import fetch, flush, scoped, values_of
from otbill.storage.tables import AppealRow, DenialRow

__all__ = ["DenialRepository"]


def _as_appeal(r: AppealRow) -> Appeal:
    return Appeal(r.id, r.claim_id, r.denial_id, r.level, r.filed_on, r.reason, r.outcome,
                  r.filed_by)  # fmt: skip


class DenialRepository(ClinicScoped):
    """Denials and appeals of the clinic."""

    def get(self, denial_id: int) -> Denial:
        """The denial (:class:`NotFound` when not this clinic's); primary key."""
        r = fetch(self.session, DenialRow, self.clinic_id, denial_id)
        return Denial(r.id, r.claim_id, r.group_code, r.carc, r.denied_on, r.appeal_deadline,
                      r.claim_line_id, r.rarc, r.remittance_id, r.amount_cents,
                      tuple(r.codes or ()), tuple(r.remarks or ()))  # fmt: skip

    def exists_for(self, claim_id: int, remittance_id: int) -> bool:
        """Whether this remittance already opened a denial on the claim; the denial's claim
        index."""
        query = select(DenialRow.id).where(
            DenialRow.clinic_id == self.clinic_id,
            DenialRow.claim_id == claim_id,
            DenialRow.remittance_id == remittance_id,
        )
        return self.session.scalars(query.limit(1)).first() is not None

    def add(self, denial: Denial) -> int:
        """A new denial (its ``id`` is ignored); returns its id."""
        row = DenialRow(**values_of(denial), clinic_id=self.clinic_id)
        self.session.add(row)
        flush(self.session)
        return row.id

    def appeal_of(self, denial_id: int) -> Appeal | None:
        """The appeal already filed against this denial, else None (a scan of the appeals)."""
        query = scoped(AppealRow, self.clinic_id).where(AppealRow.denial_id == denial_id)
        row = self.session.scalars(query.order_by(AppealRow.id).limit(1)).first()
        return _as_appeal(row) if row else None

    def appeal_count(self, claim_id: int) -> int:
        """How many appeals the claim has had; the appeal's claim index."""
        query = (
            select(func.count())
            .select_from(AppealRow)
            .where(AppealRow.clinic_id == self.clinic_id, AppealRow.claim_id == claim_id)
        )
        return int(self.session.scalar(query) or 0)

    def add_appeal(self, appeal: Appeal) -> Appeal:
        """File an appeal (its ``id`` is ignored); returns it with its id."""
        row = AppealRow(**values_of(appeal), clinic_id=self.clinic_id)
        self.session.add(row)
        flush(self.session)
        return _as_appeal(row)
