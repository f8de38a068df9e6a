"""Self-pay: the clinic's discount rules and packages, packages sold, households (``uow.self_pay``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import func, select

from otbill.domain.patient_account import PACKAGE_USE, SELF_PAY_CHARGE
from otbill.domain.self_pay import DiscountRule, Household, PackageOffer, SoldPackage
from otbill.storage.audit import utcnow
from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.repositories.rows import fetch, flush, scoped
from otbill.storage.tables import (
    HouseholdRow,
    PackageOfferRow,
    PatientPackageRow,
    PatientPostingRow,
    PatientRow,
    SelfPayRuleRow,
)

__all__ = ["SelfPayRepository"]


def _rule(r: SelfPayRuleRow) -> DiscountRule:
    return DiscountRule(r.kind, r.effective_from, r.percent_off, r.income_up_to_percent,
                        r.guideline_first_cents, r.guideline_each_more_cents, r.id)  # fmt: skip


def _offer(r: PackageOfferRow) -> PackageOffer:
    return PackageOffer(r.id, r.name, r.visits, r.price_cents, r.valid_days, bool(r.active))


class SelfPayRepository(ClinicScoped):
    """Rules and offers are added (an offer may be withdrawn); sold packages never change."""

    def rules(self) -> list[DiscountRule]:
        """Every discount rule, oldest effective date first."""
        query = scoped(SelfPayRuleRow, self.clinic_id).order_by(
            SelfPayRuleRow.effective_from, SelfPayRuleRow.kind, SelfPayRuleRow.income_up_to_percent
        )
        return [_rule(r) for r in self.session.scalars(query)]

    def add_rule(self, rule: DiscountRule, *, by_user: int | None) -> int:
        row = SelfPayRuleRow(clinic_id=self.clinic_id, kind=rule.kind,
                             effective_from=rule.effective_from, percent_off=rule.percent_off,
                             income_up_to_percent=rule.income_up_to_percent,
                             guideline_first_cents=rule.guideline_first_cents,
                             guideline_each_more_cents=rule.guideline_each_more_cents,
                             created_at=utcnow(), created_by=by_user)  # fmt: skip
        self.session.add(row)
        flush(self.session)
        return row.id

    def offers(self) -> list[PackageOffer]:
        """Every package offered (withdrawn ones too), by name."""
        query = scoped(PackageOfferRow, self.clinic_id).order_by(PackageOfferRow.name)
        return [_offer(r) for r in self.session.scalars(query)]

    def offer(self, offer_id: int) -> PackageOffer:
        return _offer(fetch(self.session, PackageOfferRow, self.clinic_id, offer_id))

    def add_offer(self, name: str, visits: int, price_cents: int, valid_days: int) -> int:
        row = PackageOfferRow(clinic_id=self.clinic_id, name=name, visits=visits,
                              price_cents=price_cents, valid_days=valid_days, active=True,
                              created_at=utcnow())  # fmt: skip
        self.session.add(row)
        flush(self.session)
        return row.id

    def set_offer_active(self, offer_id: int, active: bool) -> None:
        fetch(self.session, PackageOfferRow, self.clinic_id, offer_id).active = active
        flush(self.session)

    def sold(self, patient_ids: Iterable[int]) -> list[SoldPackage]:
        """Packages sold to these patients, oldest first, with the visits each has used."""
        ids = list(patient_ids)
        used = (
            select(PatientPostingRow.package_id, func.count())
            .where(PatientPostingRow.clinic_id == self.clinic_id,
                   PatientPostingRow.kind == PACKAGE_USE,
                   PatientPostingRow.patient_id.in_(ids))
            .group_by(PatientPostingRow.package_id)
        )  # fmt: skip
        counts = {k: int(n) for k, n in self.session.execute(used)}
        query = scoped(PatientPackageRow, self.clinic_id).where(
            PatientPackageRow.patient_id.in_(ids)
        )
        rows = self.session.scalars(query.order_by(PatientPackageRow.sold_on, PatientPackageRow.id))
        return [SoldPackage(r.id, r.patient_id, r.package_id, r.name, r.visits, r.price_cents,
                            r.sold_on, r.expires_on, counts.get(r.id, 0)) for r in rows]  # fmt: skip

    def sell(
        self, patient_id: int, offer: PackageOffer, sold_on: dt.date, *, by_user: int | None
    ) -> int:
        """A package sold: its terms as offered today, usable ``valid_days`` days from the sale."""
        row = PatientPackageRow(clinic_id=self.clinic_id, patient_id=patient_id,
                                package_id=offer.id, name=offer.name, visits=offer.visits,
                                price_cents=offer.price_cents, sold_on=sold_on,
                                expires_on=sold_on + dt.timedelta(days=offer.valid_days - 1),
                                sold_at=utcnow(), sold_by=by_user)  # fmt: skip
        self.session.add(row)
        flush(self.session)
        return row.id

    def household(self, patient_id: int, on: dt.date) -> Household | None:
        """The household as last told on or before ``on``."""
        query = (
            scoped(HouseholdRow, self.clinic_id)
            .where(HouseholdRow.patient_id == patient_id, HouseholdRow.recorded_on <= on)
            .order_by(HouseholdRow.recorded_on.desc())
            .limit(1)
        )
        row = self.session.scalars(query).first()
        return Household(row.size, row.income_cents, row.recorded_on) if row else None

    def set_household(self, patient_id: int, household: Household, *, by_user: int | None) -> None:
        """The household as told on ``household.recorded_on`` (replacing one told that day)."""
        query = scoped(HouseholdRow, self.clinic_id).where(
            HouseholdRow.patient_id == patient_id,
            HouseholdRow.recorded_on == household.recorded_on,
        )
        row = self.session.scalars(query).first()
        if row is None:
            row = HouseholdRow(clinic_id=self.clinic_id, patient_id=patient_id,
                               recorded_on=household.recorded_on, size=0, income_cents=0)  # fmt: skip
            self.session.add(row)
        row.size, row.income_cents, row.recorded_by = (
            household.size,
            household.income_cents,
            by_user,
        )
        flush(self.session)

    def self_pay_patients(self, patient_ids: Iterable[int]) -> set[int]:
        """Which of these patients are registered as self-pay."""
        query = select(PatientRow.id).where(
            PatientRow.clinic_id == self.clinic_id,
            PatientRow.id.in_(list(patient_ids)),
            PatientRow.self_pay.is_(True),
        )
        return set(self.session.scalars(query))

    def charged_visits(self, visit_ids: Iterable[int]) -> set[int]:
        """Which of these visits are already on the patient's account (charged or a package's)."""
        query = select(PatientPostingRow.visit_id).where(
            PatientPostingRow.clinic_id == self.clinic_id,
            PatientPostingRow.visit_id.in_(list(visit_ids)),
            PatientPostingRow.kind.in_((SELF_PAY_CHARGE, PACKAGE_USE)),
        )
        return {v for v in self.session.scalars(query) if v is not None}
