"""Tables of referrals: the referring and certifying physicians and their referrals (migration
0009). The plan of care itself is ``plan_of_care`` in :mod:`otbill.storage.tables.records`."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from otbill.storage.tables.base import Base, ClinicOwned

__all__ = ["PhysicianRow", "ReferralRow"]


class PhysicianRow(ClinicOwned, Base):
    """A physician or NPP who refers patients and certifies their plans of care."""

    __tablename__ = "physician"
    __table_args__ = (UniqueConstraint("clinic_id", "npi"),)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    npi: Mapped[str] = mapped_column(String(10))
    fax: Mapped[str] = mapped_column(String(20), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")


class ReferralRow(ClinicOwned, Base):
    """A physician's referral of one patient, with the diagnoses it names."""

    __tablename__ = "referral"
    __table_args__ = (Index("ix_referral_patient", "clinic_id", "patient_id"),)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    physician_id: Mapped[int] = mapped_column(ForeignKey("physician.id"))
    referred_on: Mapped[dt.date] = mapped_column(Date)
    diagnoses: Mapped[list[str]] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")
