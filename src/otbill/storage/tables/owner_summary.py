"""Summaries kept for the owner's reports (issue 14, migration 0028): derived data, never the truth.

The ledger (``posting``) and the claims' status history stay the source; these two tables are
kept in the same transaction as every posting and status change (:mod:`.repositories.ledger`,
:mod:`.repositories.claims`) so a report over a million claim lines reads one narrow row per line
or claim instead of re-summing every posting. ``LedgerRepository.summary_mismatches`` checks them
against the ledger.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from otbill.storage.tables.base import Base, ClinicOwned

__all__ = ["ClaimLineBalanceRow", "ClaimOutcomeRow"]


class ClaimLineBalanceRow(ClinicOwned, Base):
    """One claim line's open balances (cents) as its postings leave them, with what the reports
    group by; a row from the line's first posting on."""

    __tablename__ = "claim_line_balance"
    __table_args__ = (
        Index("ix_claim_line_balance_served", "clinic_id", "date_of_service"),
        Index("ix_claim_line_balance_claim", "claim_id"),
    )
    claim_line_id: Mapped[int] = mapped_column(ForeignKey("claim_line.id"), unique=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id"))
    payer_id: Mapped[int] = mapped_column(ForeignKey("payer.id"))  # the claim's payer
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"))  # rendering therapist
    date_of_service: Mapped[dt.date] = mapped_column(Date)
    billed_on: Mapped[dt.date] = mapped_column(Date)  # the line's first posting
    insurance_cents: Mapped[int] = mapped_column(default=0)
    patient_cents: Mapped[int] = mapped_column(default=0)


class ClaimOutcomeRow(ClinicOwned, Base):
    """A claim's first-submission outcome, kept as its status changes: whether it was ever
    submitted, rejected, paid, or in trouble (denied, appealed, partially paid), replaced by a
    corrected claim, decided by a payer (a remittance posted to it), and denied (a denial recorded)."""

    __tablename__ = "claim_outcome"
    __table_args__ = (Index("ix_claim_outcome_served", "clinic_id", "date_of_service"),)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id"), unique=True)
    payer_id: Mapped[int] = mapped_column(ForeignKey("payer.id"))
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("provider.id"))  # first line's
    date_of_service: Mapped[dt.date] = mapped_column(Date)
    frequency_code: Mapped[str] = mapped_column(String(1))
    submitted: Mapped[bool] = mapped_column(default=False)
    rejected: Mapped[bool] = mapped_column(default=False)
    paid: Mapped[bool] = mapped_column(default=False)
    troubled: Mapped[bool] = mapped_column(default=False)
    replaced: Mapped[bool] = mapped_column(default=False)
    decided: Mapped[bool] = mapped_column(default=False)
    denied: Mapped[bool] = mapped_column(default=False)  # a denial was recorded for it
