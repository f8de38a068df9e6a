"""Self-pay: the clinic's discount rules and cash packages, packages sold, a household (0021).

Why rows of their own: a self-pay patient's visits make no claim; each billed line becomes a
``self-pay-charge`` entry on the patient's account (``patient_posting``), with the discount the
clinic's rules give on the visit date. The rules are versioned by their effective date (a change
is a new row from a new date; nothing is edited), so an old visit keeps the discount it had.
A package offered (N visits for a price, valid D days) is sold to a patient as a
``patient_package``; each self-pay visit while it has visits left uses one.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, String
from sqlalchemy import UniqueConstraint as Unique
from sqlalchemy.orm import Mapped, mapped_column

from otbill.storage.tables.base import Base, ClinicOwned

__all__ = ["HouseholdRow", "PackageOfferRow", "PatientPackageRow", "SelfPayRuleRow"]


class SelfPayRuleRow(ClinicOwned, Base):
    """One discount rule from a date: prompt pay (paid at the visit), or one sliding-scale tier
    (household income at or below ``income_up_to_percent`` of the poverty guideline)."""

    __tablename__ = "self_pay_rule"
    __table_args__ = (
        Unique("clinic_id", "kind", "effective_from", "income_up_to_percent"),
        CheckConstraint("kind IN ('prompt-pay','sliding-scale')", name="kind"),
        CheckConstraint("percent_off BETWEEN 0 AND 100", name="percent_off"),
    )
    kind: Mapped[str] = mapped_column(String(20))
    effective_from: Mapped[dt.date] = mapped_column(Date)
    percent_off: Mapped[int] = mapped_column()
    income_up_to_percent: Mapped[int | None] = mapped_column()  # of the poverty guideline
    guideline_first_cents: Mapped[int | None] = mapped_column()  # a household of one
    guideline_each_more_cents: Mapped[int | None] = mapped_column()  # each person more
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class PackageOfferRow(ClinicOwned, Base):
    """A cash package the clinic offers: ``visits`` visits for ``price_cents``, valid
    ``valid_days`` days from the sale; withdrawn ones stay (packages sold cite them)."""

    __tablename__ = "self_pay_package"
    __table_args__ = (Unique("clinic_id", "name"),)
    name: Mapped[str] = mapped_column(String(80))
    visits: Mapped[int] = mapped_column()
    price_cents: Mapped[int] = mapped_column()
    valid_days: Mapped[int] = mapped_column()
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class PatientPackageRow(ClinicOwned, Base):
    """A package sold to a patient: its terms as sold, and until when it may be used."""

    __tablename__ = "patient_package"
    __table_args__ = (Index("ix_patient_package_patient", "clinic_id", "patient_id"),)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    package_id: Mapped[int] = mapped_column(ForeignKey("self_pay_package.id"))
    name: Mapped[str] = mapped_column(String(80))
    visits: Mapped[int] = mapped_column()
    price_cents: Mapped[int] = mapped_column()
    sold_on: Mapped[dt.date] = mapped_column(Date)
    expires_on: Mapped[dt.date] = mapped_column(Date)
    sold_at: Mapped[dt.datetime] = mapped_column(DateTime)
    sold_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class HouseholdRow(ClinicOwned, Base):
    """A self-pay patient's household, for the sliding scale: size and yearly income, as told on
    ``recorded_on`` (a newer row replaces it for visits from that day)."""

    __tablename__ = "self_pay_household"
    __table_args__ = (
        Unique("clinic_id", "patient_id", "recorded_on"),
        CheckConstraint("size >= 1", name="size"),
        CheckConstraint("income_cents >= 0", name="income_cents"),
    )
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    size: Mapped[int] = mapped_column()
    income_cents: Mapped[int] = mapped_column()
    recorded_on: Mapped[dt.date] = mapped_column(Date)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
