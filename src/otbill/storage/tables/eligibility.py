"""Eligibility checks answered by a payer (271): one row per answer, kept with its raw text.

Why a table of its own: the coverage keeps only the latest check's date and result (what the
scrubber and the booking warnings read); the benefits behind it (copay, visits left, the payer's
messages) and the 271 itself are evidence a biller may need months later, so every answer is kept,
never updated.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from otbill.storage.tables.base import Base, ClinicOwned

__all__ = ["EligibilityCheckRow"]


class EligibilityCheckRow(ClinicOwned, Base):
    """One 271 answer for one coverage and date of service (never updated)."""

    __tablename__ = "eligibility_check"
    __table_args__ = (Index("ix_eligibility_check_coverage", "clinic_id", "coverage_id"),)
    coverage_id: Mapped[int] = mapped_column(ForeignKey("coverage.id"))
    checked_on: Mapped[dt.date] = mapped_column(Date)
    date_of_service: Mapped[dt.date] = mapped_column(Date)
    trace: Mapped[str] = mapped_column(String(50))  # our TRN02, echoed in the 271
    active: Mapped[bool | None] = mapped_column()  # None: the payer did not find the person
    status: Mapped[str] = mapped_column(String(300))
    benefits: Mapped[dict[str, Any]] = mapped_column(JSON)
    raw_response: Mapped[str] = mapped_column(Text)
    checked_at: Mapped[dt.datetime] = mapped_column(DateTime)
    checked_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
