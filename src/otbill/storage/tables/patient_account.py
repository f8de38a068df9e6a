"""Patient-level postings: money a patient owes (or is owed) that belongs to no claim.

Why a table of its own: the ledger's postings are per claim line, but a balance brought over from
the old system has no claim in otbill — it was billed, adjudicated and left to the patient there.
Posting it on a made-up claim put a fake claim in every claim list; here it is what it is: an
entry on the patient's account, with its source. Append-only like the ledger (a correction is a
new entry); the patient-money work (statements, payments, credits) adds kinds.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, String
from sqlalchemy import UniqueConstraint as Unique
from sqlalchemy.orm import Mapped, mapped_column

from otbill.storage.tables.base import Base, ClinicOwned

__all__ = ["PatientPostingRow"]

#: Every kind of entry (``otbill.domain.patient_account`` says what each means).
KINDS = ("opening-balance", "self-pay-charge", "discount", "package-sale", "package-use",
         "payment", "refund", "credit-applied", "write-off")  # fmt: skip
KINDS_SQL = ",".join(f"'{k}'" for k in KINDS)


class PatientPostingRow(ClinicOwned, Base):
    """One entry on a patient's account: + the patient owes more, − a credit (never updated)."""

    __tablename__ = "patient_posting"
    __table_args__ = (
        Unique("clinic_id", "source_key"),
        Index("ix_patient_posting_patient", "clinic_id", "patient_id"),
        CheckConstraint(f"kind IN ({KINDS_SQL})", name="kind"),
    )
    source_key: Mapped[str] = mapped_column(String(200))
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    kind: Mapped[str] = mapped_column(String(20))
    amount_cents: Mapped[int] = mapped_column()
    source: Mapped[str] = mapped_column(String(300))  # where it came from, in words
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("provider.id"))
    posted_on: Mapped[dt.date] = mapped_column(Date)
    posted_at: Mapped[dt.datetime] = mapped_column(DateTime)
    posted_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id"))  # the visit it bills
    package_id: Mapped[int | None] = mapped_column(ForeignKey("patient_package.id"))
