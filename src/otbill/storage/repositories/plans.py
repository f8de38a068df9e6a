"""Plans of care, their certifying physicians and referrals (``uow.plans``).

Reads return domain records (:class:`~otbill.domain.care.PlanOfCare` with its
:class:`~otbill.domain.plans.PlanDetail`, :class:`~otbill.domain.plans.Physician`,
:class:`~otbill.domain.plans.Referral`); writes take the same records (id 0, not given yet).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, or_, select

from otbill.domain.care import PlanOfCare
from otbill.domain.plans import Physician, PlanDetail, Referral
from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.repositories.rows import as_plan, fetch, flush, scoped, set_given, values_of
from otbill.storage.tables import PhysicianRow, PlanOfCareRow, ReferralRow
from otbill.storage.tables.base import ClinicOwned

__all__ = ["PlanRepository"]


def _as_physician(r: PhysicianRow) -> Physician:
    return Physician(r.id, r.first_name, r.last_name, r.npi, r.fax, r.phone)


def _as_referral(r: ReferralRow) -> Referral:
    return Referral(r.id, r.patient_id, r.physician_id, r.referred_on, tuple(r.diagnoses), r.note)


def _as_detail(r: PlanOfCareRow) -> PlanDetail:
    return PlanDetail(r.id, r.physician_id, r.referral_id, r.evaluation_visit_id,
                      r.recertifies_id, r.delay_reason or "")  # fmt: skip


class PlanRepository(ClinicScoped):
    """Plans of care with their physicians and referrals, and the plan queue's query."""

    def _insert(self, row: ClinicOwned) -> int:
        row.clinic_id = self.clinic_id
        self.session.add(row)
        flush(self.session)
        return row.id

    # --- physicians ----------------------------------------------------------------------

    def add_physician(self, physician: Physician) -> int:
        """A new physician (its ``id`` is ignored); unique NPI per clinic."""
        return self._insert(PhysicianRow(**values_of(physician)))

    def physician(self, physician_id: int) -> Physician:
        """The physician (:class:`NotFound` when not this clinic's); primary key."""
        return _as_physician(fetch(self.session, PhysicianRow, self.clinic_id, physician_id))

    def change_physician(self, physician: Physician) -> None:
        """Write the physician's name, NPI, fax and phone as given."""
        row = fetch(self.session, PhysicianRow, self.clinic_id, physician.id, for_update=True)
        set_given(row, values_of(physician))
        flush(self.session)

    def physician_by_npi(self, npi: str) -> Physician | None:
        """The clinic's physician with this NPI; ``uq_physician_clinic_id_npi``."""
        query = scoped(PhysicianRow, self.clinic_id).where(PhysicianRow.npi == npi)
        row = self.session.scalars(query).first()
        return _as_physician(row) if row else None

    def physicians(self, text: str = "", *, limit: int = 50, offset: int = 0) -> list[Physician]:
        """Physicians whose name or NPI contains ``text``, by last name."""
        query = scoped(PhysicianRow, self.clinic_id)
        if text:
            like = f"%{text.lower()}%"
            query = query.where(
                or_(
                    func.lower(PhysicianRow.last_name).like(like),
                    func.lower(PhysicianRow.first_name).like(like),
                    PhysicianRow.npi.like(like),
                )
            )
        query = query.order_by(PhysicianRow.last_name, PhysicianRow.id)
        return [_as_physician(r) for r in self.session.scalars(query.limit(limit).offset(offset))]

    # --- referrals -----------------------------------------------------------------------

    def add_referral(self, referral: Referral) -> int:
        """A new referral (its ``id`` is ignored); returns its id."""
        return self._insert(ReferralRow(**values_of(referral)))

    def referral(self, referral_id: int) -> Referral:
        """The referral (:class:`NotFound` when not this clinic's); primary key."""
        return _as_referral(fetch(self.session, ReferralRow, self.clinic_id, referral_id))

    def referrals_of(self, patient_id: int) -> list[Referral]:
        """The patient's referrals, newest first; ``ix_referral_patient``."""
        query = scoped(ReferralRow, self.clinic_id).where(ReferralRow.patient_id == patient_id)
        query = query.order_by(ReferralRow.referred_on.desc(), ReferralRow.id.desc())
        return [_as_referral(r) for r in self.session.scalars(query)]

    # --- plans ---------------------------------------------------------------------------

    def add(self, plan: PlanOfCare, detail: PlanDetail) -> int:
        """A new plan of care (ids ignored) with its detail; returns its id."""
        values = values_of(plan) | values_of(detail, "plan_id")
        values["delay_reason"] = detail.delay_reason or None
        return self._insert(PlanOfCareRow(**values))

    def get(self, plan_id: int) -> tuple[PlanOfCare, PlanDetail]:
        """The plan and its detail (:class:`NotFound` when not this clinic's); primary key."""
        row = fetch(self.session, PlanOfCareRow, self.clinic_id, plan_id)
        return as_plan(row), _as_detail(row)

    def change(self, plan: PlanOfCare, *, physician_id: int) -> None:
        """Write the plan's diagnoses, goals, frequency, duration and physician as given."""
        row = fetch(self.session, PlanOfCareRow, self.clinic_id, plan.id, for_update=True)
        given = values_of(plan, "patient_id", "start", "certified_on", "recert_due")
        set_given(row, given | {"physician_id": physician_id})
        flush(self.session)

    def certify(self, plan_id: int, signed_on: dt.date, delay_reason: str | None) -> None:
        """Record the date the signed plan came back, with a delayed certification's reason."""
        row = fetch(self.session, PlanOfCareRow, self.clinic_id, plan_id, for_update=True)
        row.certified_on = signed_on
        row.delay_reason = delay_reason or None
        flush(self.session)

    def of_patient(self, patient_id: int) -> list[tuple[PlanOfCare, PlanDetail]]:
        """The patient's plans, newest start first; the plans' patient index."""
        query = scoped(PlanOfCareRow, self.clinic_id).where(PlanOfCareRow.patient_id == patient_id)
        query = query.order_by(PlanOfCareRow.start.desc(), PlanOfCareRow.id.desc())
        return [(as_plan(r), _as_detail(r)) for r in self.session.scalars(query)]

    def needing_action(self, due_by: dt.date) -> list[tuple[PlanOfCare, PlanDetail]]:
        """Plans awaiting the physician's signature, and certified plans whose recertification
        falls on or before ``due_by`` that no later plan recertifies; by start date."""
        later = PlanOfCareRow.__table__.alias("later")
        recertified = select(later.c.recertifies_id).where(
            later.c.clinic_id == self.clinic_id, later.c.recertifies_id.is_not(None)
        )
        query = scoped(PlanOfCareRow, self.clinic_id).where(
            or_(PlanOfCareRow.certified_on.is_(None), PlanOfCareRow.recert_due <= due_by),
            PlanOfCareRow.id.not_in(recertified),
        )
        query = query.order_by(PlanOfCareRow.start, PlanOfCareRow.id)
        return [(as_plan(r), _as_detail(r)) for r in self.session.scalars(query)]

    def recertified_ids(self, plan_ids: list[int]) -> set[int]:
        """Which of these plans a later plan recertifies."""
        query = select(PlanOfCareRow.recertifies_id).where(
            PlanOfCareRow.clinic_id == self.clinic_id, PlanOfCareRow.recertifies_id.in_(plan_ids)
        )
        return {i for i in self.session.scalars(query) if i is not None}
