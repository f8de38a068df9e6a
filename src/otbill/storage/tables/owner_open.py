"""Open balances one level up from the claim line, kept for the owner's agings (issue 14,
migration 0034): derived data, never the truth.

One row per payer, patient, therapist and day of service that still has an open claim line:
the sums of those open lines' insurance and patient cents (a line is open when its two balances
add up to more than zero, the agings' rule) and how many claims they belong to. It is a function
of ``claim_line_balance`` (itself kept from the ledger), refreshed in the same flush
(:mod:`otbill.storage.repositories.owner_open`), so the agings group some 190,000 rows instead of
750,000 at a million claim lines, with no count of distinct claims.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from otbill.storage.tables.base import Base, ClinicOwned
from otbill.storage.tables.owner_summary import ClaimLineBalanceRow

__all__ = ["OpenBalanceDayRow"]

#: How a refresh finds the lines of a payer, patient, therapist and day (declared here, with the
#: summary that needs it; migration 0034).
_LINES = ClaimLineBalanceRow.__table__.c
Index("ix_claim_line_balance_patient_day", _LINES.clinic_id, _LINES.patient_id,
      _LINES.date_of_service)  # fmt: skip


class OpenBalanceDayRow(ClinicOwned, Base):
    """The open claim lines of one payer, patient, therapist and day of service, summed."""

    __tablename__ = "open_balance_day"
    __table_args__ = (
        Index(
            "ux_open_balance_day_key",
            "clinic_id",
            "payer_id",
            "patient_id",
            "provider_id",
            "date_of_service",
            unique=True,
        ),
    )
    payer_id: Mapped[int] = mapped_column(ForeignKey("payer.id"))  # the claims' payer
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"))  # the lines' therapist
    date_of_service: Mapped[dt.date] = mapped_column(Date)
    insurance_cents: Mapped[int] = mapped_column()  # of the open lines only
    patient_cents: Mapped[int] = mapped_column()
    claims: Mapped[int] = mapped_column()  # distinct claims with an open line here
