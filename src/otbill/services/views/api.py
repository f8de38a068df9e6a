"""Read models for the JSON API: claims, visits and remittances, filtered and a page at a time.

Every list reads one page plus one row (to know whether another page follows), ordered on indexed
columns (``ix_claim_queue``, ``ix_visit_clinic_patient_date``), never the whole table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, select

from otbill.domain.money import from_cents
from otbill.storage import UnitOfWork
from otbill.storage.tables import (
    ClaimRow,
    NoteRow,
    PayerRow,
    RemittanceRow,
    ServiceLineRow,
    VisitRow,
)

__all__ = ["Page", "claims_page", "remittances_page", "visits_page"]


@dataclass(frozen=True, slots=True)
class Page:
    items: list[dict[str, object]]
    limit: int
    offset: int
    next_offset: int | None = None
    filters: dict[str, object] = field(default_factory=dict)


def _page(rows: list[dict[str, object]], limit: int, offset: int) -> Page:
    more = len(rows) > limit
    return Page(rows[:limit], limit, offset, offset + limit if more else None)


def _payer_names(uow: UnitOfWork) -> dict[int, str]:
    return {p.id: p.name for p in uow.records.find(PayerRow)}


def _dates(column: Any, start: dt.date | None, end: dt.date | None) -> list[ColumnElement[bool]]:
    out: list[ColumnElement[bool]] = []
    if start is not None:
        out.append(column >= start)
    if end is not None:
        out.append(column <= end)
    return out


def claims_page(
    uow: UnitOfWork,
    *,
    status: str | None = None,
    payer_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page:
    """Claims oldest date of service first (the work-queue order), without their findings."""
    query = select(
        ClaimRow.id, ClaimRow.number, ClaimRow.status, ClaimRow.date_of_service,
        ClaimRow.payer_id, ClaimRow.total_charge_cents, ClaimRow.error_count,
    ).where(ClaimRow.clinic_id == uow.clinic_id)  # fmt: skip
    if status is not None:
        query = query.where(ClaimRow.status == status)
    if payer_id is not None:
        query = query.where(ClaimRow.payer_id == payer_id)
    query = query.where(*_dates(ClaimRow.date_of_service, date_from, date_to))
    query = query.order_by(ClaimRow.date_of_service, ClaimRow.id).offset(offset).limit(limit + 1)
    names = _payer_names(uow)
    rows: list[dict[str, object]] = [
        {
            "id": cid, "number": number, "status": st, "date_of_service": on,
            "payer_id": payer, "payer": names.get(payer, "?"),
            "total_charge": from_cents(cents), "errors": errors,
        }
        for cid, number, st, on, payer, cents, errors in uow.session.execute(query)
    ]  # fmt: skip
    return _page(rows, limit, offset)


def visits_page(
    uow: UnitOfWork,
    *,
    provider_id: int | None = None,
    patient_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page:
    """Visits newest first, each with its service lines and whether its note is signed."""
    query = uow.records.select(VisitRow).where(*_dates(VisitRow.date, date_from, date_to))
    if provider_id is not None:
        query = query.where(VisitRow.provider_id == provider_id)
    if patient_id is not None:
        query = query.where(VisitRow.patient_id == patient_id)
    query = query.order_by(VisitRow.date.desc(), VisitRow.id.desc()).offset(offset)
    visits = list(uow.session.scalars(query.limit(limit + 1)))
    ids = [v.id for v in visits]
    lines: dict[int, list[dict[str, object]]] = {}
    for line in uow.records.find(ServiceLineRow, ServiceLineRow.visit_id.in_(ids)):
        lines.setdefault(line.visit_id, []).append(
            {"code": line.code, "minutes": line.minutes, "units": line.units,
             "modifiers": [m for m in line.modifiers.split(",") if m]}
        )  # fmt: skip
    notes = {n.visit_id: n for n in uow.records.find(NoteRow, NoteRow.visit_id.in_(ids))}
    rows: list[dict[str, object]] = [
        {
            "id": v.id, "date": v.date, "patient_id": v.patient_id, "provider_id": v.provider_id,
            "coverage_id": v.coverage_id, "place_of_service": v.place_of_service,
            "telehealth": v.telehealth, "services": lines.get(v.id, []),
            "note_type": notes[v.id].note_type if v.id in notes else None,
            "note_signed": v.id in notes and notes[v.id].signed_at is not None,
        }
        for v in visits
    ]  # fmt: skip
    return _page(rows, limit, offset)


def remittances_page(uow: UnitOfWork, *, limit: int = 50, offset: int = 0) -> Page:
    """Remittances received, newest payment date first."""
    query = (
        uow.records.select(RemittanceRow)
        .order_by(RemittanceRow.paid_on.desc(), RemittanceRow.id.desc())
        .offset(offset)
        .limit(limit + 1)
    )
    names = _payer_names(uow)
    rows: list[dict[str, object]] = [
        {
            "id": r.id, "payer_id": r.payer_id,
            "payer": names.get(r.payer_id, "?") if r.payer_id is not None else None,
            "trace_number": r.trace_number, "paid_on": r.paid_on,
            "total": from_cents(r.total_cents),
        }
        for r in uow.session.scalars(query)
    ]  # fmt: skip
    return _page(rows, limit, offset)
