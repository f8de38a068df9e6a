"""Per-clinic daily rollups behind the dashboard (issue 15, migration 0033): derived, never the truth.

The status history, the ledger, the claims' visits and the denials stay the source; these rows
are kept in the same transaction as every write to them
(:mod:`otbill.storage.repositories.dashboard_summary`), so the dashboard of a clinic with half a
million claims sums a few thousand narrow rows (one per day of service and payer) instead of a
year of claims and their postings. ``rollup_mismatches`` checks them against the sources.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from otbill.storage.tables.base import Base, ClinicOwned

__all__ = ["ClaimMonthRow", "DashboardDayRow", "DenialCauseDayRow", "UnbilledVisitRow"]


class DashboardDayRow(ClinicOwned, Base):
    """One clinic's figures for the claims of one day of service and one payer (the claim's)."""

    __tablename__ = "dashboard_day"
    __table_args__ = (
        Index("ix_dashboard_day_key", "clinic_id", "date_of_service", "payer_id", unique=True),
    )
    date_of_service: Mapped[dt.date] = mapped_column(Date)
    payer_id: Mapped[int] = mapped_column(ForeignKey("payer.id"))
    scrubbed: Mapped[int] = mapped_column(default=0)  # claims with a first scrub
    clean: Mapped[int] = mapped_column(default=0)  # of them, first scrub to ``ready``
    payer_paid_cents: Mapped[int] = mapped_column(default=0)  # payments, reversals netted
    patient_paid_cents: Mapped[int] = mapped_column(default=0)
    paid_visits: Mapped[int] = mapped_column(default=0)  # visits on claims with a payment
    open_insurance_cents: Mapped[int] = mapped_column(default=0)  # claims still owed (> 0)
    open_patient_cents: Mapped[int] = mapped_column(default=0)
    open_claims: Mapped[int] = mapped_column(default=0)
    decided: Mapped[int] = mapped_column(default=0)  # claims with a remittance posted to them
    denied: Mapped[int] = mapped_column(default=0)  # of them, claims with a denial


class DenialCauseDayRow(ClinicOwned, Base):
    """Claims of one day of service denied with one group code and CARC (each claim once)."""

    __tablename__ = "denial_cause_day"
    __table_args__ = (
        Index(
            "ix_denial_cause_day_key", "clinic_id", "date_of_service", "group_code", "carc",
            unique=True,
        ),
    )  # fmt: skip
    date_of_service: Mapped[dt.date] = mapped_column(Date)
    group_code: Mapped[str] = mapped_column(String(2))
    carc: Mapped[str] = mapped_column(String(5))
    claims: Mapped[int] = mapped_column(default=0)


class ClaimMonthRow(ClinicOwned, Base):
    """Claims of one month of service (its first day), payer and status, voids (frequency 8)
    apart: how many and their billed charges. By month, not day: the dashboard's windows are
    whole months, and the company dashboard sums every clinic's rows."""

    __tablename__ = "claim_month"
    __table_args__ = (
        Index(
            "ix_claim_month_key", "clinic_id", "month", "payer_id", "status", "void", unique=True
        ),
    )
    month: Mapped[dt.date] = mapped_column(Date)
    payer_id: Mapped[int] = mapped_column(ForeignKey("payer.id"))
    status: Mapped[str] = mapped_column(String(20))
    void: Mapped[bool] = mapped_column()
    claims: Mapped[int] = mapped_column(default=0)
    charge_cents: Mapped[int] = mapped_column(default=0)


class UnbilledVisitRow(ClinicOwned, Base):
    """A visit with service lines that no claim (other than a void) bills yet: the few recent
    visits the work figures count, kept so they are not found again among every visit."""

    __tablename__ = "unbilled_visit"
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), unique=True)
