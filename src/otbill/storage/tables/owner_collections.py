"""The ledger's flows per day of service, kept for the owner's net collection rate (issue 14,
migration 0034): derived data, never the truth.

One row per clinic and day of service: the charges, contractual adjustments (group CO), payer
payments and patient payments posted to claims served that day, reversals netted, as the
collections report sums them from ``posting``. Kept in the same flush as every posting
(:mod:`otbill.storage.repositories.owner_collections`), so the report reads 365 rows a year
instead of joining some 750,000 postings to their claims.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Date, Index
from sqlalchemy.orm import Mapped, mapped_column

from otbill.storage.tables.base import Base, ClinicOwned

__all__ = ["CollectionDayRow"]


class CollectionDayRow(ClinicOwned, Base):
    """What the ledger moved for the claims served on one day (cents)."""

    __tablename__ = "collection_day"
    __table_args__ = (Index("ux_collection_day_key", "clinic_id", "date_of_service", unique=True),)
    date_of_service: Mapped[dt.date] = mapped_column(Date)
    charge_cents: Mapped[int] = mapped_column(BigInteger)
    contractual_cents: Mapped[int] = mapped_column(BigInteger)  # adjustments, group CO
    payer_paid_cents: Mapped[int] = mapped_column(BigInteger)
    patient_paid_cents: Mapped[int] = mapped_column(BigInteger)
