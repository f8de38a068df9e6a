"""The owner's numbers (issue 14): receivables with unbilled work and appeals, claim quality,
collections and payment speed, payer mix, revenue and cost, write-offs.

Every query aggregates in the database (GROUP BY a payer, patient, therapist, day or age bucket)
for one clinic, so a clinic with a million claim lines never sends them to Python one by one.
Ledger amounts follow :mod:`otbill.domain.ledger` as :mod:`.report_dashboard` sums them (a reversal
negates the posting it reverses; a transfer moves the payer's share to the patient). Age buckets
are computed in SQL from the date of service against dates given by the caller, so the SQL is the
same on SQLite and PostgreSQL. Void claims (frequency 8) are never counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, Literal

from sqlalchemy import ColumnElement, Integer, and_, case, exists, func, literal, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from otbill.storage.repositories import (
    owner_collections,  # noqa: F401  (keeps collection_day)
    owner_open,  # noqa: F401  (keeps open_balance_day)
)
from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.repositories.ledger_effects import (
    AMOUNT as _AMOUNT,
)
from otbill.storage.repositories.ledger_effects import (
    KIND as _KIND,
)
from otbill.storage.repositories.ledger_effects import (
    ORIGINAL as _ORIGINAL,
)
from otbill.storage.repositories.ledger_effects import (
    PAYER_SIDE as _PAYER_SIDE,
)
from otbill.storage.repositories.owner_summary import decided_claims_by
from otbill.storage.repositories.unbilled import unbilled_visit
from otbill.storage.tables import (
    AppealRow,
    ClaimLineRow,
    ClaimRow,
    CoverageRow,
    DenialRow,
    OverheadCostRow,
    PatientPaymentRow,
    PatientRow,
    PostingRow,
    ServiceLineRow,
    VisitRow,
)
from otbill.storage.tables.owner_collections import CollectionDayRow
from otbill.storage.tables.owner_open import OpenBalanceDayRow
from otbill.storage.tables.owner_summary import ClaimOutcomeRow
from otbill.storage.tables.payments import WriteOffRow

__all__ = ["Dimension", "OwnerReports"]

Dimension = Literal["payer", "patient", "provider"]
Rows = list[tuple[Any, ...]]

#: Claim statuses whose charges are not in the ledger yet (charges post on approval).
UNBILLED_STATUSES = ("draft", "held", "ready")


class _days_between(FunctionElement[int]):
    """Whole days from the second date to the first (both SQL dates)."""

    type = Integer()
    inherit_cache = True


@compiles(_days_between)
def _days_default(element: _days_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return f"({compiler.process(later, **kw)} - {compiler.process(earlier, **kw)})"


@compiles(_days_between, "sqlite")
def _days_sqlite(element: _days_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return (
        f"CAST(julianday({compiler.process(later, **kw)}) - "
        f"julianday({compiler.process(earlier, **kw)}) AS INTEGER)"
    )


def age_bucket(day: Any, limits: Sequence[dt.date]) -> ColumnElement[int]:
    """The index of the first limit the day is on or after (newest first), else len(limits)."""
    return case(*((day >= limit, i) for i, limit in enumerate(limits)), else_=len(limits))


def _summed(pairs: Iterable[tuple[Any, Any]]) -> Rows:
    """(key, sum of the values) per key."""
    sums: dict[Any, Any] = {}
    for key, cents in pairs:
        sums[key] = sums.get(key, 0) + (cents or 0)
    return list(sums.items())


class OwnerReports(ClinicScoped):
    """Named aggregates for :mod:`otbill.services.views.owner`.

    The payers' cash of a window is read once per unit of work (by payer and day): the payer
    mix sums it by payer, the margin by day, and the PDF of every table asks for both."""

    def __init__(self, session: Session, clinic_id: int) -> None:
        super().__init__(session, clinic_id)
        self._payer_cash_read: dict[tuple[dt.date, dt.date], Rows] = {}

    def _rows(self, query: Any) -> Rows:
        return [tuple(row) for row in self.session.execute(query)]

    def _claim_provider(self) -> Any:
        """The claim's therapist: the rendering provider of its first line."""
        line = aliased(ClaimLineRow)
        return (
            select(func.min(line.rendering_provider_id))
            .where(line.claim_id == ClaimRow.id)
            .correlate(ClaimRow)
            .scalar_subquery()
        )

    # -- receivables ---------------------------------------------------------------------------

    def open_line_balances(self, limits: Sequence[dt.date]) -> Rows:
        """(payer id, patient id, therapist id, age bucket, insurance cents, patient cents, claims)
        of the claim lines still owed, read from the open lines kept summed per payer, patient,
        therapist and day (``open_balance_day``, :mod:`.owner_open`; equal to the ledger: see
        ``LedgerRepository.summary_mismatches``)."""
        day = OpenBalanceDayRow
        bucket = age_bucket(day.date_of_service, limits)
        keys = (day.payer_id, day.patient_id, day.provider_id)
        query = (
            select(
                *keys,
                bucket,
                func.sum(day.insurance_cents),
                func.sum(day.patient_cents),
                func.sum(day.claims),
            )
            .where(day.clinic_id == self.clinic_id)
            .group_by(*keys, bucket)
        )
        return self._rows(query)

    def patient_names(self, patient_ids: Sequence[int]) -> dict[int, str]:
        """Patient id -> "Last, First" (just the names: an aging lists thousands)."""
        query = select(PatientRow.id, PatientRow.last_name, PatientRow.first_name).where(
            PatientRow.clinic_id == self.clinic_id
        )
        if len(patient_ids) < 1000:
            query = query.where(PatientRow.id.in_(patient_ids))
        wanted = set(patient_ids)
        return {
            i: f"{last}, {first}" for i, last, first in self.session.execute(query) if i in wanted
        }

    def unbilled_claims(self, by: Dimension, limits: Sequence[dt.date]) -> Rows:
        """(key, age bucket, charge cents, claims) of claims built but not yet approved (their
        charges are not in the ledger yet)."""
        bucket = age_bucket(ClaimRow.date_of_service, limits)
        where = (
            ClaimRow.clinic_id == self.clinic_id,
            ClaimRow.frequency_code != "8",
            ClaimRow.status.in_(UNBILLED_STATUSES),
        )
        if by == "provider":
            key: Any = ClaimLineRow.rendering_provider_id
            query = select(
                key,
                bucket,
                func.sum(ClaimLineRow.charge_cents),
                func.count(func.distinct(ClaimRow.id)),
            ).join(ClaimRow, ClaimRow.id == ClaimLineRow.claim_id)
        else:
            key = ClaimRow.payer_id if by == "payer" else ClaimRow.patient_id
            query = select(key, bucket, func.sum(ClaimRow.total_charge_cents), func.count())
        return self._rows(query.where(*where).group_by(key, bucket))

    def _unbilled_visit(self) -> Any:
        not_self_pay = select(PatientRow.id).where(
            PatientRow.id == VisitRow.patient_id, PatientRow.self_pay.is_(False)
        )
        return and_(VisitRow.clinic_id == self.clinic_id, unbilled_visit(), exists(not_self_pay))

    def unbilled_visit_lines(self) -> Rows:
        """(visit id, payer id, patient id, therapist id, day, code, units) of the visits no
        claim bills yet, one row per visit and code: one read serves the three agings (priced
        by the caller from the fee schedule, as the claim builder would; few rows: unbilled work
        is days old)."""
        query = (
            select(
                VisitRow.id,
                CoverageRow.payer_id,
                VisitRow.patient_id,
                VisitRow.provider_id,
                VisitRow.date,
                ServiceLineRow.code,
                func.sum(ServiceLineRow.units),
            )
            .select_from(ServiceLineRow)
            .join(VisitRow, VisitRow.id == ServiceLineRow.visit_id)
            .join(CoverageRow, CoverageRow.id == VisitRow.coverage_id)
            .where(self._unbilled_visit())
            .group_by(VisitRow.id, CoverageRow.payer_id, VisitRow.patient_id,
                      VisitRow.provider_id, VisitRow.date, ServiceLineRow.code)
        )  # fmt: skip
        return self._rows(query)

    def appealed(self, limits: Sequence[dt.date]) -> Rows:
        """(payer id, patient id, therapist id, age bucket, denied cents, claims) of denials
        whose appeal is pending: one read serves the three agings (a claim falls in one row, so
        the caller may add up the claims of rows)."""
        keys = (ClaimRow.payer_id, ClaimRow.patient_id, self._claim_provider())
        bucket = age_bucket(ClaimRow.date_of_service, limits)
        query = (
            select(
                *keys,
                bucket,
                func.sum(DenialRow.amount_cents),
                func.count(func.distinct(ClaimRow.id)),
            )
            .select_from(AppealRow)
            .join(DenialRow, DenialRow.id == AppealRow.denial_id)
            .join(ClaimRow, ClaimRow.id == AppealRow.claim_id)
            .where(AppealRow.clinic_id == self.clinic_id, AppealRow.outcome == "pending")
            .where(ClaimRow.clinic_id == self.clinic_id, ClaimRow.status == "appealed")
            .group_by(*keys, bucket)
        )
        return self._rows(query)

    def charges_posted(self, first: dt.date, end: dt.date) -> int:
        """Cents charged (net of reversed charges) posted in ``[first, end)``."""
        query = (
            select(func.sum(case((_KIND == "charge", _AMOUNT), else_=0)))
            .select_from(PostingRow)
            .outerjoin(_ORIGINAL, _ORIGINAL.id == PostingRow.reverses_id)
            .where(PostingRow.clinic_id == self.clinic_id)
            .where(PostingRow.kind.in_(("charge", "reversal")))
            .where(PostingRow.posted_on >= first, PostingRow.posted_on < end)
        )
        return int(self.session.scalar(query) or 0)

    # -- claim quality -------------------------------------------------------------------------

    def submission_outcomes(self, first: dt.date, end: dt.date) -> Rows:
        """(day of service, claims submitted, clean, resolved on the first pass) of original
        claims (frequency 1) served in ``[first, end)``, from the kept outcomes
        (``claim_outcome``, kept as each claim's status changes).

        Clean: submitted and never rejected nor replaced by a corrected claim; resolved on the
        first pass: and paid without a denial or an appeal."""
        outcome = ClaimOutcomeRow
        clean = and_(outcome.rejected.is_(False), outcome.replaced.is_(False))
        first_pass = and_(clean, outcome.paid.is_(True), outcome.troubled.is_(False))
        query = (
            select(
                outcome.date_of_service,
                func.count(),
                func.sum(case((clean, 1), else_=0)),
                func.sum(case((first_pass, 1), else_=0)),
            )
            .where(outcome.clinic_id == self.clinic_id, outcome.frequency_code == "1")
            .where(outcome.submitted.is_(True))
            .where(outcome.date_of_service >= first, outcome.date_of_service < end)
            .group_by(outcome.date_of_service)
        )
        return self._rows(query)

    def decided_by_provider(self, first: dt.date, end: dt.date) -> Rows:
        """(day of service, therapist, decided claims, of them denied)."""
        return decided_claims_by(self.session, self.clinic_id, "provider", first, end)

    def denial_codes(self, first: dt.date, end: dt.date) -> Rows:
        """(day of service, group code, CARC, RARC, denied claims)."""
        query = (
            select(
                ClaimRow.date_of_service,
                DenialRow.group_code,
                DenialRow.carc,
                DenialRow.rarc,
                func.count(func.distinct(DenialRow.claim_id)),
            )
            .join(ClaimRow, ClaimRow.id == DenialRow.claim_id)
            .where(DenialRow.clinic_id == self.clinic_id)
            .where(ClaimRow.date_of_service >= first, ClaimRow.date_of_service < end)
            .group_by(
                ClaimRow.date_of_service, DenialRow.group_code, DenialRow.carc, DenialRow.rarc
            )
        )
        return self._rows(query)

    # -- collections ---------------------------------------------------------------------------

    def collections(self, first: dt.date, end: dt.date) -> Rows:
        """(day of service, charge cents, contractual adjustment cents (group CO), payment
        cents from payers, payment cents from patients), reversals netted: the ledger's flows
        kept per day (``collection_day``, :mod:`.owner_collections`)."""
        day = CollectionDayRow
        query = (
            select(
                day.date_of_service,
                day.charge_cents,
                day.contractual_cents,
                day.payer_paid_cents,
                day.patient_paid_cents,
            )
            .where(day.clinic_id == self.clinic_id)
            .where(day.date_of_service >= first, day.date_of_service < end)
        )
        return self._rows(query)

    def payment_days(self, first: dt.date, end: dt.date) -> Rows:
        """(payer id, days from the date of service to the payer's first payment, claims) of
        claims served in ``[first, end)`` (only their payments are read)."""
        paid = (
            select(
                ClaimRow.payer_id.label("payer_id"),
                _days_between(func.min(PostingRow.posted_on), ClaimRow.date_of_service).label(
                    "days"
                ),
            )
            .join(PostingRow, PostingRow.claim_id == ClaimRow.id)
            .where(ClaimRow.clinic_id == self.clinic_id)
            .where(ClaimRow.date_of_service >= first, ClaimRow.date_of_service < end)
            .where(PostingRow.clinic_id == self.clinic_id, PostingRow.kind == "payment")
            .where(PostingRow.payer_side.is_(True), PostingRow.amount_cents > 0)
            .group_by(ClaimRow.id, ClaimRow.payer_id, ClaimRow.date_of_service)
            .subquery()
        )
        query = select(paid.c.payer_id, paid.c.days, func.count()).group_by(
            paid.c.payer_id, paid.c.days
        )
        return self._rows(query)

    # -- mix, revenue, write-offs --------------------------------------------------------------

    def visits_by_payer(self, first: dt.date, end: dt.date) -> Rows:
        """(payer id or None for self-pay, visits) of the visits served in ``[first, end)``."""
        payer = case((PatientRow.self_pay.is_(True), literal(None)), else_=CoverageRow.payer_id)
        query = (
            select(payer, func.count())
            .select_from(VisitRow)
            .join(CoverageRow, CoverageRow.id == VisitRow.coverage_id)
            .join(PatientRow, PatientRow.id == VisitRow.patient_id)
            .where(VisitRow.clinic_id == self.clinic_id)
            .where(VisitRow.date >= first, VisitRow.date < end)
            .group_by(payer)
        )
        return self._rows(query)

    def _payer_cash(self, first: dt.date, end: dt.date) -> Rows:
        """(payer id, day posted, cents paid by payers) of payments posted in ``[first, end)``,
        reversals netted; read once per window in this unit of work."""
        if (first, end) not in self._payer_cash_read:
            query = (
                select(PostingRow.payer_id, PostingRow.posted_on, func.sum(_AMOUNT))
                .select_from(PostingRow)
                .outerjoin(_ORIGINAL, _ORIGINAL.id == PostingRow.reverses_id)
                .where(PostingRow.clinic_id == self.clinic_id)
                .where(PostingRow.kind.in_(("payment", "reversal")))
                .where(_KIND == "payment", _PAYER_SIDE.is_(True))
                .where(PostingRow.posted_on >= first, PostingRow.posted_on < end)
                .group_by(PostingRow.payer_id, PostingRow.posted_on)
            )
            self._payer_cash_read[(first, end)] = self._rows(query)
        return self._payer_cash_read[(first, end)]

    def payer_payments_by_payer(self, first: dt.date, end: dt.date) -> Rows:
        """(payer id, cents the payer paid) posted in ``[first, end)``, reversals netted."""
        return _summed((payer, cents) for payer, _, cents in self._payer_cash(first, end))

    def patient_money(self, first: dt.date, end: dt.date) -> Rows:
        """(self-pay patient?, day received, cents taken less refunds) in ``[first, end)``."""
        signed = case((PatientPaymentRow.kind == "refund", -1), else_=1)
        query = (
            select(
                PatientRow.self_pay,
                PatientPaymentRow.received_on,
                func.sum(PatientPaymentRow.amount_cents * signed),
            )
            .join(PatientRow, PatientRow.id == PatientPaymentRow.patient_id)
            .where(PatientPaymentRow.clinic_id == self.clinic_id)
            .where(PatientPaymentRow.received_on >= first, PatientPaymentRow.received_on < end)
            .group_by(PatientRow.self_pay, PatientPaymentRow.received_on)
        )
        return self._rows(query)

    def payer_cash_by_day(self, first: dt.date, end: dt.date) -> Rows:
        """(day posted, cents paid by payers), reversals netted."""
        return _summed((day, cents) for _, day, cents in self._payer_cash(first, end))

    def overhead_by_month(self, first: dt.date, end: dt.date) -> Rows:
        """(month, overhead cents)."""
        query = (
            select(OverheadCostRow.month, func.sum(OverheadCostRow.amount_cents))
            .where(OverheadCostRow.clinic_id == self.clinic_id)
            .where(OverheadCostRow.month >= first, OverheadCostRow.month < end)
            .group_by(OverheadCostRow.month)
        )
        return self._rows(query)

    def visits_by_day(self, first: dt.date, end: dt.date) -> Rows:
        """(day, visits)."""
        query = (
            select(VisitRow.date, func.count())
            .where(VisitRow.clinic_id == self.clinic_id)
            .where(VisitRow.date >= first, VisitRow.date < end)
            .group_by(VisitRow.date)
        )
        return self._rows(query)

    def adjustments_by_code(self, first: dt.date, end: dt.date) -> Rows:
        """(group code, CARC, cents, lines) of ledger adjustments posted in ``[first, end)``."""
        group = case(
            (PostingRow.kind == "reversal", _ORIGINAL.group_code), else_=PostingRow.group_code
        )
        carc = case((PostingRow.kind == "reversal", _ORIGINAL.carc), else_=PostingRow.carc)
        query = (
            select(group, carc, func.sum(_AMOUNT), func.count())
            .select_from(PostingRow)
            .outerjoin(_ORIGINAL, _ORIGINAL.id == PostingRow.reverses_id)
            .where(PostingRow.clinic_id == self.clinic_id)
            .where(PostingRow.kind.in_(("adjustment", "reversal")), _KIND == "adjustment")
            .where(PostingRow.posted_on >= first, PostingRow.posted_on < end)
            .group_by(group, carc)
        )
        return self._rows(query)

    def patient_write_offs(self, first: dt.date, end: dt.date) -> Rows:
        """(kind, cents, write-offs) of approved patient write-offs decided in ``[first, end)``."""
        query = (
            select(WriteOffRow.kind, func.sum(WriteOffRow.amount_cents), func.count())
            .where(WriteOffRow.clinic_id == self.clinic_id, WriteOffRow.status == "approved")
            .where(WriteOffRow.decided_on >= first, WriteOffRow.decided_on < end)
            .group_by(WriteOffRow.kind)
        )
        return self._rows(query)
