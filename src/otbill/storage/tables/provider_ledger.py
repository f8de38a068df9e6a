"""Provider-level postings: money between a payer and the clinic that belongs to no claim (PLB).

Why a table of its own: the ledger's postings are per claim line (their balances are a claim's),
while an 835's provider-level adjustment — interest paid late (L6), an overpayment taken back
(WO), a balance forwarded (FB) — changes the deposit, not any claim. Posting it here, when the
biller has checked it, makes the ledger add up to the bank: claim payments + these = BPR02.
Append-only like the ledger; one per work item.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Index, String
from sqlalchemy import UniqueConstraint as Unique
from sqlalchemy.orm import Mapped, mapped_column

from otbill.storage.tables.base import Base, ClinicOwned

__all__ = ["ProviderPostingRow"]


class ProviderPostingRow(ClinicOwned, Base):
    """One provider-level adjustment posted: its signed effect on the payment (never updated)."""

    __tablename__ = "provider_posting"
    __table_args__ = (
        Unique("clinic_id", "source_key"),
        Index("ix_provider_posting_remittance", "clinic_id", "remittance_id"),
    )
    source_key: Mapped[str] = mapped_column(String(200))
    remittance_id: Mapped[int | None] = mapped_column(ForeignKey("remittance.id"))
    work_item_id: Mapped[int | None] = mapped_column(ForeignKey("edi_work_item.id"), unique=True)
    reference: Mapped[str] = mapped_column(String(80))  # PLB03 reason code and reference
    amount_cents: Mapped[int] = mapped_column()  # + adds to the payment (interest), − takes away
    posted_on: Mapped[dt.date] = mapped_column(Date)
    posted_at: Mapped[dt.datetime] = mapped_column(DateTime)
    posted_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
