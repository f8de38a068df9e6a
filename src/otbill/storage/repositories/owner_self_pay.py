"""The owner's numbers for self-pay (cash) care: what the payer-side aggregates of
:mod:`otbill.storage.repositories.owner_reports` cannot see, because it has no coverage or claim.

A visit with no coverage (migration 0027, recorded only for a self-pay patient) makes no claim:
its price is on the patient's account (``patient_posting``: ``self-pay-charge`` per line by the
visit, a ``discount`` for the sliding scale or prompt pay, ``package-sale`` when a package of
visits is sold). These reads give those visits and that money to the payer mix and collections.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import case, func, select

from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.tables import PatientRow, VisitRow
from otbill.storage.tables.patient_account import PatientPostingRow
from otbill.storage.tables.payments import PatientPaymentRow

__all__ = ["OwnerSelfPay"]

Rows = list[tuple[Any, ...]]


class OwnerSelfPay(ClinicScoped):
    """Named aggregates of self-pay care for :mod:`otbill.services.views.owner`."""

    def visits_without_coverage(self, first: dt.date, end: dt.date) -> int:
        """Visits served in ``[first, end)`` with no coverage (self-pay: no payer to count them
        under); the visit date index."""
        query = (
            select(func.count())
            .select_from(VisitRow)
            .where(VisitRow.clinic_id == self.clinic_id, VisitRow.coverage_id.is_(None))
            .where(VisitRow.date >= first, VisitRow.date < end)
        )
        return int(self.session.scalar(query) or 0)

    def charges_by_day(self, first: dt.date, end: dt.date) -> Rows:
        """(day, cents charged, cents discounted) on self-pay accounts: a visit's charges and
        discounts on its date of service, a package sold on the day it was sold."""
        day = func.coalesce(VisitRow.date, PatientPostingRow.posted_on)
        charged = PatientPostingRow.kind.in_(("self-pay-charge", "package-sale"))
        query = (
            select(
                day,
                func.sum(case((charged, PatientPostingRow.amount_cents), else_=0)),
                func.sum(
                    case(
                        (PatientPostingRow.kind == "discount", -PatientPostingRow.amount_cents),
                        else_=0,
                    )
                ),
            )
            .select_from(PatientPostingRow)
            .outerjoin(VisitRow, VisitRow.id == PatientPostingRow.visit_id)
            .where(PatientPostingRow.clinic_id == self.clinic_id)
            .where(PatientPostingRow.kind.in_(("self-pay-charge", "package-sale", "discount")))
            .where(day >= first, day < end)
            .group_by(day)
        )
        return [tuple(row) for row in self.session.execute(query)]

    def payments_by_day(self, first: dt.date, end: dt.date) -> Rows:
        """(day received, cents) self-pay patients paid in ``[first, end)``, less refunds."""
        signed = case((PatientPaymentRow.kind == "refund", -1), else_=1)
        query = (
            select(PatientPaymentRow.received_on, func.sum(PatientPaymentRow.amount_cents * signed))
            .join(PatientRow, PatientRow.id == PatientPaymentRow.patient_id)
            .where(PatientPaymentRow.clinic_id == self.clinic_id, PatientRow.self_pay.is_(True))
            .where(PatientPaymentRow.received_on >= first, PatientPaymentRow.received_on < end)
            .group_by(PatientPaymentRow.received_on)
        )
        return [tuple(row) for row in self.session.execute(query)]
