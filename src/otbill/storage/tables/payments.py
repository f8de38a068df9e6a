"""Patient payments and refunds, where each was applied, and write-offs awaiting a second person.

Why apart from the postings they make: a payment is one sum of money taken at the desk (how,
by whom, where); its effect is many postings — patient-side payments on claim lines in the ledger,
and one entry on the patient's account for what went to account entries or stayed a credit. The
application rows tie the two together, so a receipt says what was paid on what, and the day's
deposit can be checked against the ledger and the account. Never a card number: a card payment
keeps the terminal's reference and the card's last 4 digits only.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from otbill.storage.tables.base import Base, ClinicOwned

__all__ = ["PatientPaymentRow", "PaymentApplicationRow", "WriteOffRow"]


class PatientPaymentRow(ClinicOwned, Base):
    """Money taken from (payment) or given back to (refund) a patient (never updated)."""

    __tablename__ = "patient_payment"
    __table_args__ = (
        CheckConstraint("kind IN ('payment','refund')", name="kind"),
        CheckConstraint("method IN ('cash','check','card')", name="method"),
        CheckConstraint("amount_cents > 0", name="amount"),
        Index("ix_patient_payment_patient", "clinic_id", "patient_id"),
        Index("ix_patient_payment_day", "clinic_id", "received_on"),
    )
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    kind: Mapped[str] = mapped_column(String(10))
    method: Mapped[str] = mapped_column(String(10))
    amount_cents: Mapped[int] = mapped_column()
    received_on: Mapped[dt.date] = mapped_column(Date)
    reference: Mapped[str | None] = mapped_column(String(40))  # check number, card auth ref
    card_last4: Mapped[str | None] = mapped_column(String(4))
    reason: Mapped[str | None] = mapped_column(String(300))  # a refund's reason
    location_id: Mapped[int | None] = mapped_column(ForeignKey("clinic_location.id"))
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id"))  # a copay's visit
    taken_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    taken_at: Mapped[dt.datetime] = mapped_column(DateTime)


class WriteOffRow(ClinicOwned, Base):
    """A small-balance or hardship write-off: asked by one person, decided by another."""

    __tablename__ = "write_off"
    __table_args__ = (
        CheckConstraint("kind IN ('small-balance','hardship')", name="kind"),
        CheckConstraint("status IN ('pending','approved','refused')", name="status"),
        CheckConstraint("amount_cents > 0", name="amount"),
        Index("ix_write_off_patient", "clinic_id", "patient_id"),
    )
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    kind: Mapped[str] = mapped_column(String(20))
    amount_cents: Mapped[int] = mapped_column()
    reason: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    asked_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    asked_on: Mapped[dt.date] = mapped_column(Date)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    decided_on: Mapped[dt.date | None] = mapped_column(Date)
    decision_note: Mapped[str | None] = mapped_column(String(300))


class PaymentApplicationRow(ClinicOwned, Base):
    """Part of a payment (or an approved write-off) applied to a claim line, an account entry,
    or left as credit; ``from_credit`` when a payment's earlier credit was applied later."""

    __tablename__ = "payment_application"
    __table_args__ = (
        CheckConstraint("amount_cents > 0", name="amount"),
        CheckConstraint("payment_id IS NULL OR write_off_id IS NULL", name="one_source"),
        Index("ix_payment_application_payment", "clinic_id", "payment_id"),
        Index("ix_payment_application_patient", "clinic_id", "patient_id"),
    )
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("patient_payment.id"))
    write_off_id: Mapped[int | None] = mapped_column(ForeignKey("write_off.id"))
    claim_line_id: Mapped[int | None] = mapped_column(ForeignKey("claim_line.id"))
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("patient_posting.id"))
    from_credit: Mapped[bool] = mapped_column(default=False)
    amount_cents: Mapped[int] = mapped_column()
    applied_on: Mapped[dt.date] = mapped_column(Date)
