"""Patient payments, refunds, their applications and write-offs; the day's money for the deposit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select

from otbill.domain.money import from_cents, to_cents
from otbill.domain.payments import Application, Method, Payment, WriteOff, WriteOffKind
from otbill.storage.audit import utcnow
from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.repositories.rows import fetch, flush, scoped
from otbill.storage.tables import (
    ClaimLineRow,
    ClaimRow,
    PatientPostingRow,
    PatientRow,
    PostingRow,
    ServiceLineRow,
)
from otbill.storage.tables.payments import PatientPaymentRow, PaymentApplicationRow, WriteOffRow

__all__ = ["PatientLine", "PaymentRepository"]

# ledger postings a payment makes on claim lines carry these source-key prefixes
PAYMENT_KEY = "ppay:"
CREDIT_KEY = "pcredit:"


@dataclass(frozen=True, slots=True)
class PatientLine:
    """A claim line of the patient with what a receipt or the allocation names it by."""

    line_id: int
    claim_number: str
    position: int
    code: str
    date: dt.date
    visit_id: int | None


def _payment(r: PatientPaymentRow) -> Payment:
    return Payment(r.id, r.patient_id, r.kind, Method(r.method), from_cents(r.amount_cents),
                   r.received_on, r.reference, r.card_last4, r.reason, r.location_id, r.visit_id,
                   r.taken_by)  # fmt: skip


def _application(r: PaymentApplicationRow) -> Application:
    return Application(r.id, r.patient_id, r.payment_id, r.write_off_id, r.claim_line_id,
                       r.entry_id, r.from_credit, from_cents(r.amount_cents), r.applied_on)  # fmt: skip


def _write_off(r: WriteOffRow) -> WriteOff:
    return WriteOff(r.id, r.patient_id, WriteOffKind(r.kind), from_cents(r.amount_cents),
                    r.reason, r.status, r.asked_by, r.asked_on, r.decided_by, r.decided_on,
                    r.decision_note)  # fmt: skip


class PaymentRepository(ClinicScoped):
    """Payments and applications are append-only; a write-off's decision is set once."""

    def add(self, payment: Payment) -> int:
        row = PatientPaymentRow(
            clinic_id=self.clinic_id, patient_id=payment.patient_id, kind=payment.kind,
            method=payment.method.value, amount_cents=to_cents(payment.amount),
            received_on=payment.received_on, reference=payment.reference,
            card_last4=payment.card_last4, reason=payment.reason,
            location_id=payment.location_id, visit_id=payment.visit_id,
            taken_by=payment.taken_by, taken_at=utcnow(),
        )  # fmt: skip
        self.session.add(row)
        flush(self.session)
        return row.id

    def lock_patient(self, patient_id: int) -> None:
        """Hold the patient's row to the end of the unit of work (``SELECT ... FOR UPDATE`` on
        PostgreSQL), so two payments for one patient are applied one after the other, each to
        what the other left owed; :class:`NotFound` for another clinic's patient."""
        fetch(self.session, PatientRow, self.clinic_id, patient_id, for_update=True)

    def get(self, payment_id: int) -> Payment:
        """One payment or refund (:class:`NotFound` when not this clinic's); primary key."""
        return _payment(fetch(self.session, PatientPaymentRow, self.clinic_id, payment_id))

    def of_patient(self, patient_id: int, since: dt.date | None = None) -> list[Payment]:
        """The patient's payments and refunds, oldest first; ``ix_patient_payment_patient``."""
        query = scoped(PatientPaymentRow, self.clinic_id).where(
            PatientPaymentRow.patient_id == patient_id
        )
        if since is not None:
            query = query.where(PatientPaymentRow.received_on >= since)
        query = query.order_by(PatientPaymentRow.received_on, PatientPaymentRow.id)
        return [_payment(r) for r in self.session.scalars(query)]

    def on_day(self, day: dt.date) -> list[Payment]:
        """Every payment and refund received on ``day``; ``ix_patient_payment_day``."""
        query = scoped(PatientPaymentRow, self.clinic_id).where(
            PatientPaymentRow.received_on == day
        )
        return [_payment(r) for r in self.session.scalars(query.order_by(PatientPaymentRow.id))]

    def add_application(self, application: Application) -> int:
        row = PaymentApplicationRow(
            clinic_id=self.clinic_id, patient_id=application.patient_id,
            payment_id=application.payment_id, write_off_id=application.write_off_id,
            claim_line_id=application.claim_line_id, entry_id=application.entry_id,
            from_credit=application.from_credit, amount_cents=to_cents(application.amount),
            applied_on=application.applied_on,
        )  # fmt: skip
        self.session.add(row)
        flush(self.session)
        return row.id

    def applications(
        self, *, patient_id: int | None = None, payment_id: int | None = None
    ) -> list[Application]:
        """Applications of one patient or one payment, in the order made."""
        query = scoped(PaymentApplicationRow, self.clinic_id)
        if patient_id is not None:
            query = query.where(PaymentApplicationRow.patient_id == patient_id)
        if payment_id is not None:
            query = query.where(PaymentApplicationRow.payment_id == payment_id)
        query = query.order_by(PaymentApplicationRow.id)
        return [_application(r) for r in self.session.scalars(query)]

    def patient_lines(self, patient_id: int) -> list[PatientLine]:
        """The patient's claim lines with claim number, code, date and visit, oldest first."""
        query = (
            select(ClaimLineRow, ClaimRow.number, ServiceLineRow.visit_id)
            .join(ClaimRow, ClaimRow.id == ClaimLineRow.claim_id)
            .outerjoin(ServiceLineRow, ServiceLineRow.id == ClaimLineRow.service_line_id)
            .where(ClaimRow.clinic_id == self.clinic_id, ClaimRow.patient_id == patient_id)
            .order_by(ClaimLineRow.date, ClaimLineRow.id)
        )
        return [
            PatientLine(line.id, number, line.position, line.code, line.date, visit)
            for line, number, visit in self.session.execute(query)
        ]

    def ledger_payments_on(self, day: dt.date) -> Decimal:
        """Patient payments posted on claim lines on ``day`` by the payments (not moved credit)."""
        query = select(func.coalesce(func.sum(PostingRow.amount_cents), 0)).where(
            PostingRow.clinic_id == self.clinic_id,
            PostingRow.kind == "payment",
            PostingRow.payer_side.is_(False),
            PostingRow.posted_on == day,
            PostingRow.source_key.like(f"{PAYMENT_KEY}%"),
        )
        return from_cents(int(self.session.scalar(query) or 0))

    def account_on(self, day: dt.date, kind: str) -> Decimal:
        """The signed sum of the account entries of ``kind`` posted on ``day``."""
        query = select(func.coalesce(func.sum(PatientPostingRow.amount_cents), 0)).where(
            PatientPostingRow.clinic_id == self.clinic_id,
            PatientPostingRow.kind == kind,
            PatientPostingRow.posted_on == day,
        )
        return from_cents(int(self.session.scalar(query) or 0))

    def patients_with_entries(self) -> list[int]:
        """Patients with any account entry or any patient-side ledger posting."""
        entries = select(PatientPostingRow.patient_id).where(
            PatientPostingRow.clinic_id == self.clinic_id
        )
        postings = select(PostingRow.patient_id).where(
            PostingRow.clinic_id == self.clinic_id, PostingRow.kind.in_(("transfer", "payment"))
        )
        return sorted(set(self.session.scalars(entries.union(postings))))

    def names(self, patient_ids: Iterable[int]) -> dict[int, str]:
        query = select(PatientRow.id, PatientRow.first_name, PatientRow.last_name).where(
            PatientRow.clinic_id == self.clinic_id, PatientRow.id.in_(list(patient_ids))
        )
        return {i: f"{first} {last}" for i, first, last in self.session.execute(query)}

    # write-offs

    def add_write_off(self, write_off: WriteOff) -> int:
        row = WriteOffRow(
            clinic_id=self.clinic_id, patient_id=write_off.patient_id, kind=write_off.kind.value,
            amount_cents=to_cents(write_off.amount), reason=write_off.reason, status="pending",
            asked_by=write_off.asked_by, asked_on=write_off.asked_on,
        )  # fmt: skip
        self.session.add(row)
        flush(self.session)
        return row.id

    def write_off(self, write_off_id: int, *, for_update: bool = False) -> WriteOff:
        row = fetch(self.session, WriteOffRow, self.clinic_id, write_off_id, for_update=for_update)
        return _write_off(row)

    def decide_write_off(
        self, write_off_id: int, *, status: str, by: int | None, on: dt.date, note: str | None
    ) -> None:
        row = fetch(self.session, WriteOffRow, self.clinic_id, write_off_id, for_update=True)
        row.status, row.decided_by, row.decided_on, row.decision_note = status, by, on, note
        flush(self.session)

    def write_offs(
        self, *, status: str | None = None, patient_id: int | None = None
    ) -> list[WriteOff]:
        query = scoped(WriteOffRow, self.clinic_id)
        if status is not None:
            query = query.where(WriteOffRow.status == status)
        if patient_id is not None:
            query = query.where(WriteOffRow.patient_id == patient_id)
        return [_write_off(r) for r in self.session.scalars(query.order_by(WriteOffRow.id))]
