"""Finding claims in any status: by patient, claim number, payer claim number, dates, amount.

The work queues list only the statuses that need work; a claim that is accepted, paid, appealed or
closed is found here. One page (plus one row, to know whether another follows) is read, newest date
of service first; with a status the order is served by ``ix_claim_queue``. Text is matched without
regard to case, and the user's ``%`` and ``_`` are matched as themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select

from otbill.storage.repositories.base import ClinicScoped
from otbill.storage.tables import ClaimRow, PatientRow, PayerRow

__all__ = ["ClaimFilter", "ClaimFound", "ClaimSearchReports", "contains_text"]


@dataclass(frozen=True, slots=True)
class ClaimFilter:
    """What to look for; every field left None matches every claim."""

    patient: str | None = None  # words of the name (first, last, either order) or the MRN
    number: str | None = None  # part of our claim number (CLM01)
    payer_claim_number: str | None = None  # part of the payer's claim number (CLP07)
    status: str | None = None
    payer_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    charge_min_cents: int | None = None
    charge_max_cents: int | None = None


@dataclass(frozen=True, slots=True)
class ClaimFound:
    id: int
    number: str
    status: str
    date_of_service: dt.date
    patient_id: int
    patient: str  # "First Last"
    mrn: str
    payer_id: int
    payer: str
    payer_claim_number: str | None
    total_charge_cents: int
    frequency_code: str
    errors: int  # error findings of the last scrub


def contains_text(column: Any, text: str) -> ColumnElement[bool]:
    """``column`` holds ``text``, whatever the case; the user's ``%`` and ``_`` match themselves."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return func.lower(column).like(f"%{escaped}%", escape="\\")


def _conditions(f: ClaimFilter) -> list[ColumnElement[bool]]:
    out: list[ColumnElement[bool]] = []
    for word in (f.patient or "").replace(",", " ").split():
        out.append(
            or_(
                contains_text(PatientRow.first_name, word),
                contains_text(PatientRow.last_name, word),
                contains_text(PatientRow.mrn, word),
            )
        )
    if f.number:
        out.append(contains_text(ClaimRow.number, f.number.strip()))
    if f.payer_claim_number:
        out.append(contains_text(ClaimRow.payer_claim_number, f.payer_claim_number.strip()))
    if f.status is not None:
        out.append(ClaimRow.status == f.status)
    if f.payer_id is not None:
        out.append(ClaimRow.payer_id == f.payer_id)
    if f.date_from is not None:
        out.append(ClaimRow.date_of_service >= f.date_from)
    if f.date_to is not None:
        out.append(ClaimRow.date_of_service <= f.date_to)
    if f.charge_min_cents is not None:
        out.append(ClaimRow.total_charge_cents >= f.charge_min_cents)
    if f.charge_max_cents is not None:
        out.append(ClaimRow.total_charge_cents <= f.charge_max_cents)
    return out


def _patient_of_claim() -> ColumnElement[bool]:
    """The join to the claim's patient, within the claim's clinic: a name search then reads the
    clinic's patients, not every clinic's."""
    return and_(PatientRow.id == ClaimRow.patient_id, PatientRow.clinic_id == ClaimRow.clinic_id)


class ClaimSearchReports(ClinicScoped):
    """Claims of every status found by what a biller knows of them; claims per status."""

    def search_claims(
        self, f: ClaimFilter, *, limit: int, offset: int = 0, newest_first: bool = True
    ) -> list[ClaimFound]:
        """Up to ``limit`` claims matching ``f``, newest date of service first (or oldest first,
        the work-queue order the API lists in)."""
        order = (ClaimRow.date_of_service, ClaimRow.id)
        query = (
            select(
                ClaimRow.id,
                ClaimRow.number,
                ClaimRow.status,
                ClaimRow.date_of_service,
                ClaimRow.patient_id,
                PatientRow.first_name,
                PatientRow.last_name,
                PatientRow.mrn,
                ClaimRow.payer_id,
                PayerRow.name,
                ClaimRow.payer_claim_number,
                ClaimRow.total_charge_cents,
                ClaimRow.frequency_code,
                ClaimRow.error_count,
            )
            .join(PatientRow, _patient_of_claim())
            .join(PayerRow, PayerRow.id == ClaimRow.payer_id)
            .where(and_(ClaimRow.clinic_id == self.clinic_id, *_conditions(f)))
            .order_by(*(c.desc() for c in order) if newest_first else order)
            .offset(offset or None)
            .limit(limit)
        )
        return [
            ClaimFound(i, n, s, d, pid, f"{first} {last}", mrn, *rest)
            for i, n, s, d, pid, first, last, mrn, *rest in self.session.execute(query)
        ]

    def claim_status_counts(self, f: ClaimFilter | None = None) -> dict[str, int]:
        """Status -> claims matching ``f`` whatever their status (every claim without ``f``)."""
        conditions = _conditions(replace(f, status=None)) if f is not None else []
        query = select(ClaimRow.status, func.count()).where(
            ClaimRow.clinic_id == self.clinic_id, *conditions
        )
        if f is not None and (f.patient or "").replace(",", " ").split():  # else index-only
            query = query.join(PatientRow, _patient_of_claim())
        return {status: n for status, n in self.session.execute(query.group_by(ClaimRow.status))}
